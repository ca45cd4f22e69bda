"""The children's pages on a 375 x 667 phone, in real Chromium, in English and Urdu: the landing page's
Start now, a question with all its answers and the check page each fit the screen they should, and
screenshots of each are kept in tests/artifacts/ (made by the tests, ignored by git) to look at."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from survey_app.extensions import db
from survey_app.models import Campaign
from tests.browser.axe import assert_accessible
from tests.browser.conftest import wait_for_script
from tests.browser.test_respondent_journeys import complete, respondent_label

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright for Python is not installed; browser tests need it (pip install playwright)",
)
expect = sync_api.expect

pytestmark = pytest.mark.browser

SCREEN = {"width": 375, "height": 667}
#: Screenshots kept after the run, for people to look at; the folder ignores itself in git.
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
#: The words staff typed about a campaign for grown-ups: long, as real ones are.
DESCRIPTION = (
    "The Community Safety Partnership wants to hear from children, young people, young adults, parents "
    "and carers, and people who work with them, about feeling safe: in your area, at school and online.\n\n"
    "The survey is anonymous. We don't ask for your name, address or email. You can skip any question. "
    "What you tell us will help decide how the council, police, schools, health and youth services work "
    "together to prevent violence."
)


def keep(page: Any, name: str) -> Path:
    """Save the first screen and the whole page as tests/artifacts/<name>.png and <name>-full.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    ignore = ARTIFACTS / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Screenshots the browser tests make; never committed.\n*\n", encoding="utf-8")
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    page.screenshot(path=str(ARTIFACTS / f"{name}-full.png"), full_page=True)
    return path


def primary_school_campaign(translations: dict | None = None) -> str:
    """A campaign offering only the children's questionnaire (a primary school's link); its slug."""
    today = dt.date.today()
    campaign = Campaign(
        slug="primary-voices",
        name="Primary Voices",
        description=DESCRIPTION,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=30),
        questionnaire_ids=["children"],
        translations=translations or {},
    )
    db.session.add(campaign)
    db.session.commit()
    return campaign.slug


def accessible(page: Any, js: bool, where: str) -> None:
    """axe-core, which needs JavaScript to run; the HTML it checks is what pages without it get too."""
    if js:
        assert_accessible(page, where)


def bottom(page: Any, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return float(box["y"] + box["height"])


@pytest.mark.parametrize(("js", "lang"), [(True, "en"), (False, "en"), (True, "ur")])
def test_childrens_pages_fit_a_phone(
    shipped_app: Flask, shipped_server: str, new_page: Any, js: bool, lang: str
) -> None:
    slug = primary_school_campaign()
    page = new_page("phone", js=js)
    page.goto(f"{shipped_server}/c/{slug}")
    if lang != "en":
        page.goto(f"{shipped_server}/?lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    wait_for_script(page, "respond")
    suffix = f"{lang}-{'js' if js else 'nojs'}"

    # The landing page speaks to children, briefly, and Start now is on the first screen.
    expect(page.locator("body")).to_have_class(re.compile(r"\btheme-children\b"))
    # The header is compact: under a fifth of the screen (Urdu's Nastaliq letters need more height).
    assert bottom(page, ".site-header") <= (120 if lang == "en" else 150), "the header takes too much of the screen"
    assert bottom(page, "a.start") <= SCREEN["height"], "Start now is below the first screen"
    words = len(page.locator("main .lead").first.inner_text().split())
    assert words <= 20, f"the first words are {words} words long"
    keep(page, f"children-landing-{suffix}")
    accessible(page, js, f"the children's landing page ({lang})")

    page.locator("a.start").tap()
    wait_for_script(page, "respond")
    page.get_by_label(respondent_label("children", lang), exact=True).tap()
    page.locator("form button[type=submit]").tap()
    expect(page).to_have_url(re.compile(r"/survey/intro$"))
    wait_for_script(page, "respond")
    page.locator("a.start").tap()
    expect(page).to_have_url(re.compile(r"/survey/page/"))
    wait_for_script(page, "respond")

    # The first question and every one of its answers are on the first screen, without scrolling.
    keep(page, f"children-question-{suffix}")
    last_answer = page.locator("form .question .face-choice, form .question .choice").last
    box = last_answer.bounding_box()
    assert box is not None and box["y"] + box["height"] <= SCREEN["height"], f"the last answer is at {box}"
    accessible(page, js, f"a children's question ({lang})")

    complete(page, shipped_server, keyboard=False)
    expect(page).to_have_url(re.compile(r"/survey/check$"))
    wait_for_script(page, "respond")
    keep(page, f"children-check-{suffix}")
    height = page.evaluate("document.documentElement.scrollHeight")
    # Three screens at most in English; Urdu's Nastaliq needs taller lines (measured, not asserted).
    print(f"children's check page in {lang}: {height} px")
    assert lang != "en" or height <= 3 * SCREEN["height"], f"the check page is {height} px, over three screens"
    # Easy to scan: grouped under headings, each answer with its own Change link.
    rows = page.locator(".summary-row")
    assert rows.count() >= 10
    expect(page.locator("h2.check-heading").first).to_be_visible()
    assert page.locator(".summary-row .change a").count() == rows.count()
    accessible(page, js, f"the children's check page ({lang})")


#: The shipped fonts a page in each language should load, and those it must not.
FONTS = {"ur": "Noto Nastaliq Urdu", "ar": "Noto Naskh Arabic"}


@pytest.mark.parametrize("lang", ["ur", "ar", "en"])
def test_urdu_and_arabic_pages_use_the_shipped_fonts(
    shipped_app: Flask, shipped_server: str, new_page: Any, lang: str
) -> None:
    page = new_page("phone", js=True)
    fetched: list[str] = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    page.goto(f"{shipped_server}/?lang={lang}")
    wait_for_script(page, "respond")
    page.evaluate("document.fonts.ready.then(() => true)")
    loaded = page.evaluate(
        "() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/[\"']/g, ''))"
    )
    fonts = [u.rsplit("/", 1)[1] for u in fetched if "/static/fonts/" in u]
    assert all(u.startswith(shipped_server + "/") for u in fetched), "a font or file came from elsewhere"
    if lang == "en":
        # Only the language switcher's two names, a few glyphs each: no page-sized font for English.
        assert set(fonts) <= {"noto-nastaliq-urdu-name.woff2", "noto-naskh-arabic-name.woff2"}, fonts
        assert FONTS["ur"] not in loaded and FONTS["ar"] not in loaded
        return
    assert FONTS[lang] in loaded, f"the page in {lang} did not load {FONTS[lang]}: {loaded}"
    # The words on the page are drawn with it: the heading's text is in the shipped font's range.
    heading = page.locator("h1").first
    family = heading.evaluate("el => getComputedStyle(el).fontFamily")
    assert family.strip('"').startswith(FONTS[lang]), family
    assert page.evaluate(
        '([f, text]) => document.fonts.check(`700 32px "${f}"`, text)', [FONTS[lang], heading.inner_text()]
    )
    other = FONTS["ar" if lang == "ur" else "ur"]
    assert other not in loaded, f"the page in {lang} also loaded {other}"
    keep(page, f"landing-{lang}-font")
