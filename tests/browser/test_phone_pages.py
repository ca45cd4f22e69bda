"""The children's pages on a 375 x 667 phone, in real Chromium, in English and Urdu: the landing page's
Start now, a question with all its answers and the check page each fit the screen they should, and
screenshots of each are kept in tests/artifacts/ (made by the tests, ignored by git) to look at."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from survey_app.extensions import db
from survey_app.models import Campaign
from tests.browser.axe import assert_accessible
from tests.browser.conftest import wait_for_script
from tests.browser.test_respondent_journeys import complete, respondent_label, start_survey

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright for Python is not installed; browser tests need it (pip install playwright)",
)
expect = sync_api.expect

pytestmark = pytest.mark.browser

SCREEN = {"width": 375, "height": 667}
#: Phone widths children use, from the smallest (320 px, also 400% zoom) to a large phone.
PHONE_WIDTHS = (320, 360, 375, 390)
#: The header's share of the first screen: under a fifth of a 667 px phone, in every language.
HEADER_BUDGET = 120
#: The header buttons' words are 16 px on a phone; a narrow screen may take them one small step down at most.
SMALLEST_BUTTON_TEXT = 15
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
    # The header is compact: under a fifth of the screen, in Urdu too (its buttons stay on one row).
    assert bottom(page, ".site-header") <= HEADER_BUDGET, "the header takes too much of the screen"
    assert bottom(page, "a.start") <= SCREEN["height"], "Start now is below the first screen"
    words = len(page.locator("main .lead").first.inner_text().split())
    assert words <= 20, f"the first words are {words} words long"
    keep(page, f"children-landing-{suffix}")
    accessible(page, js, f"the children's landing page ({lang})")

    page.locator("a.start").tap()
    wait_for_script(page, "respond")
    # Only the children's questionnaire on offer: it is named, and one tap confirms it.
    expect(page.locator("main .lead")).to_have_text(respondent_label("children", lang))
    expect(page.locator("input[type=radio]")).to_have_count(0)
    page.locator("form button[type=submit]").tap()
    expect(page).to_have_url(re.compile(r"/survey/intro$"))
    wait_for_script(page, "respond")
    page.locator("a.start").tap()
    expect(page).to_have_url(re.compile(r"/survey/page/"))
    wait_for_script(page, "respond")

    # The first question and every one of its answers are on the first screen, without scrolling.
    keep(page, f"children-question-{suffix}")
    if lang == "ur":
        # Nastaliq climbs and descends far beyond Latin letters: a face's words wrapped onto two lines
        # ran into each other at the Latin line height (seen at 375 px on "تھوڑا غیر محفوظ").
        ratios = page.evaluate("""() => [...document.querySelectorAll('.face-choice label')].map(label => {
            const style = getComputedStyle(label);
            return parseFloat(style.lineHeight) / parseFloat(style.fontSize); })""")
        assert ratios and min(ratios) >= 1.7, f"face answers' line height over font size: {ratios}"
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
    # Every Change link is a 44 px target for a thumb, and no two targets overlap.
    boxes = [link.bounding_box() for link in page.locator(".summary-row .change a").all()]
    assert all(b is not None and b["height"] >= 44 and b["width"] >= 44 for b in boxes), boxes
    tops = sorted((b["y"], b["y"] + b["height"]) for b in boxes if b)
    assert all(below[0] >= above[1] for above, below in zip(tops, tops[1:], strict=False)), tops
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


#: The least distance from one line of a header button's words to the next, in ems, by script.
LINE_PITCH = {"ur": 1.7, "ar": 1.45}
#: Each header button, measured: where it is, its words, their size, and whether any word is cut off.
HEADER_BUTTONS = """() => {
  const box = (r) => ({top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height});
  return [...document.querySelectorAll('.header-actions > .help-link, .header-actions > .quick-exit')].map((el) => {
    const style = getComputedStyle(el);
    const words = document.createRange();
    words.selectNodeContents(el);
    return {
      text: el.innerText.replace(/\\s+/g, ' ').trim(),
      label: el.textContent.replace(/\\s+/g, ' ').trim(),
      box: box(el.getBoundingClientRect()),
      lines: [...words.getClientRects()].map(box),
      fontSize: parseFloat(style.fontSize),
      ellipsis: style.textOverflow === 'ellipsis',
      overflowing: el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1,
    };
  });
}"""


def assert_header_is_one_row(page: Any, width: int, where: str) -> None:
    """The header's two buttons side by side, whole and big enough to tap; the header in its budget."""
    header = page.locator(".site-header").bounding_box()
    buttons = page.evaluate(HEADER_BUTTONS)
    sizes = {b["label"]: (round(b["box"]["width"]), round(b["box"]["height"]), b["fontSize"]) for b in buttons}
    print(f"{where} at {width} px: header {header['height']:.0f} px, buttons (w, h, font px) {sizes}")
    assert len(buttons) == 2, f"{where}: the header should hold Get help and the quick exit"
    first, second = sorted(buttons, key=lambda b: b["box"]["left"])
    assert second["box"]["top"] < first["box"]["bottom"] and first["box"]["top"] < second["box"]["bottom"], (
        f"{where} at {width} px: the buttons are on two rows ({first['box']} and {second['box']})"
    )
    assert header["y"] + header["height"] <= HEADER_BUDGET, (
        f"{where} at {width} px: the header is {header['height']:.0f} px tall, over {HEADER_BUDGET}"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{where}: sideways scrolling"
    for b in buttons:
        name, r = b["label"], b["box"]
        assert r["left"] >= 0 and r["right"] <= width, f"{where} at {width} px: {name!r} is off the screen: {r}"
        assert r["width"] >= 44 and r["height"] >= 44, f"{where} at {width} px: {name!r} is under 44 x 44 px: {r}"
        assert b["fontSize"] >= SMALLEST_BUTTON_TEXT, f"{where} at {width} px: {name!r} is {b['fontSize']} px"
        assert b["text"] == name and not b["ellipsis"] and not b["overflowing"], (
            f"{where} at {width} px: {name!r} is cut short (shown as {b['text']!r})"
        )
        # Every line of its words inside the button's own edges, none spilling over its border.
        for line in b["lines"]:
            inside = (
                line["left"] >= r["left"] - 0.5
                and line["right"] <= r["right"] + 0.5
                and line["top"] >= r["top"] - 0.5
                and line["bottom"] <= r["bottom"] + 0.5
            )
            assert inside, f"{where} at {width} px: a line of {name!r} ({line}) spills out of its button ({r})"
        # Words wrapped onto a second line keep the room their script needs not to touch the first
        # (measured by eye in screenshots: Nastaliq's letters collided at 1.2 line heights, not at 1.75).
        tops = sorted({round(line["top"]) for line in b["lines"]})
        pitch = LINE_PITCH.get(page.locator("html").get_attribute("lang") or "", 1.15) * b["fontSize"]
        assert all(lower - upper >= pitch - 1 for upper, lower in itertools.pairwise(tops)), (
            f"{where} at {width} px: the lines of {name!r} are {tops} px down, closer than {pitch:.0f} px"
        )


@pytest.mark.parametrize("width", PHONE_WIDTHS)
@pytest.mark.parametrize("lang", ["en", "ar", "pl", "ur"])
def test_header_is_one_row_on_a_phone_in_every_language(
    shipped_app: Flask, shipped_server: str, new_page: Any, lang: str, width: int
) -> None:
    """Polish's longer words and Urdu's taller letters pushed the two buttons onto a second row, a
    header of about 144 px: the first screen a child sees is for the question, not the frame."""
    page = new_page("phone", js=True)
    page.set_viewport_size({"width": width, "height": SCREEN["height"]})
    page.goto(f"{shipped_server}/?lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    wait_for_script(page, "respond")
    page.evaluate("document.fonts.ready.then(() => true)")
    # Kept before judging, so a failure leaves its picture to look at.
    if width in (320, 375):
        keep(page, f"header-landing-{lang}-{width}")
    assert_header_is_one_row(page, width, f"the landing page in {lang}")

    # On a page of questions Get help is a button of the page's form; it must look and fit the same.
    start_survey(page, shipped_server, respondent_label("children", lang), keyboard=False, lang=lang)
    page.evaluate("document.fonts.ready.then(() => true)")
    # Kept before judging, so a failure leaves its picture to look at.
    if width in (320, 375):
        keep(page, f"header-question-{lang}-{width}")
    assert_header_is_one_row(page, width, f"a children's question in {lang}")


def test_a_tap_anywhere_on_an_answers_row_chooses_it(shipped_app: Flask, shipped_server: str, new_page: Any) -> None:
    """The gap between a radio's circle and its words did nothing when a child tapped it, and the words'
    own line was the only other target: the whole row chooses the answer."""
    page = new_page("phone", js=True)
    page.goto(f"{shipped_server}/start")
    rows = page.locator(".choice")
    assert rows.count() >= 2
    for i in range(rows.count()):
        row = rows.nth(i)
        row.scroll_into_view_if_needed()
        circle = row.locator("input").bounding_box()
        label = row.locator("label").bounding_box()
        box = row.bounding_box()
        assert circle and label and box
        # The label reaches from just after the circle to the row's end, over the row's whole height.
        assert label["height"] >= 44 and abs(label["height"] - box["height"]) < 1
        assert label["x"] - (circle["x"] + circle["width"]) < 1
        page.touchscreen.tap(circle["x"] + circle["width"] + 4, box["y"] + box["height"] / 2)
        expect(row.locator("input")).to_be_checked()
