"""Quick exit and save-for-later in real Chromium on a 375 px phone, with and without JavaScript, in
English and Arabic: quick exit ends the answers on the server and in the cookie, so neither reopening
the survey nor pressing Back shows them; "Save and come back later" saves with JavaScript on too."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import Draft, ResumeCode
from tests.browser.conftest import wait_for_script
from tests.browser.test_respondent_journeys import answer_by_touch, blocks, plan, respondent_label, start_survey
from tests.browser.test_respondent_safety import NEUTRAL_SITE, _fake_neutral_site

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright for Python is not installed; browser tests need it (pip install playwright)",
)
expect = sync_api.expect

pytestmark = pytest.mark.browser


def _count(model: Any) -> int:
    """Rows of a table, read afresh (the live server writes from other threads)."""
    db.session.rollback()
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _answer_first_question(page: Any) -> str:
    """Answer the first question on this page by touch; returns the chosen answer's value."""
    block = blocks(page)[0]
    key, kind, expected = plan(block)
    assert kind in ("radio", "checkbox"), f"expected a choice question first, got {kind} for {key}"
    answer_by_touch(page, block, kind, expected)
    return str(expected[1][0])


def _continue(page: Any) -> None:
    before = page.url
    page.locator("button[value=continue]").tap()
    expect(page).not_to_have_url(before)
    wait_for_script(page, "respond")


def _nothing_shown(page: Any) -> None:
    """No answer is on the page: no ticked box or chosen radio, and no answers to check."""
    expect(page.locator("input:checked")).to_have_count(0)
    expect(page.locator(".check-answers, dl")).to_have_count(0)


@pytest.mark.parametrize(("js", "lang"), [(True, "en"), (False, "en"), (True, "ar"), (False, "ar")])
def test_quick_exit_ends_the_answers_everywhere(
    shipped_app: Flask, shipped_server: str, new_page: Any, screenshot: Any, js: bool, lang: str
) -> None:
    page = new_page("phone", js=js)
    _fake_neutral_site(page, shipped_server)
    start_survey(page, shipped_server, respondent_label("young-people", lang), keyboard=False, lang=lang)
    expect(page).to_have_url(re.compile(r"/survey/page/"))
    _answer_first_question(page)
    _continue(page)
    _answer_first_question(page)
    _continue(page)
    assert _count(Draft) == 1

    page.locator("a[data-quick-exit]").first.tap()
    expect(page).to_have_url(NEUTRAL_SITE)
    # The server has forgotten the answers and any code to reopen them; the browser has no cookie.
    assert _count(Draft) == 0
    assert _count(ResumeCode) == 0
    assert not [c for c in page.context.cookies() if c["name"] == "cv_respondent" and "draft" in c["value"]]

    # Back (twice) fetches the survey's pages afresh (they are never cached): no answer on them.
    for _ in range(2):
        page.go_back()
        if page.url.startswith(shipped_server):
            _nothing_shown(page)
    # Reopening the survey on the same device shows nothing either.
    page.goto(shipped_server + "/survey/check")
    expect(page).not_to_have_url(re.compile(r"/survey/check$"))
    _nothing_shown(page)
    screenshot(page, f"after-quick-exit-check-{lang}-{'js' if js else 'nojs'}")


@pytest.mark.parametrize(("js", "lang"), [(True, "en"), (False, "en"), (True, "ar")])
def test_save_and_come_back_later_saves(
    shipped_app: Flask, shipped_server: str, new_page: Any, screenshot: Any, js: bool, lang: str
) -> None:
    page = new_page("phone", js=js)
    start_survey(page, shipped_server, respondent_label("young-people", lang), keyboard=False, lang=lang)
    expect(page).to_have_url(re.compile(r"/survey/page/"))
    _answer_first_question(page)
    page.locator("button.save-later").tap()
    words = page.locator("[data-resume-words]")
    expect(words).to_be_visible()
    assert len(words.inner_text().split()) >= 3
    assert _count(ResumeCode) == 1
    screenshot(page, f"saved-for-later-{lang}-{'js' if js else 'nojs'}")
    db.session.rollback()
    (draft,) = db.session.scalars(select(Draft))
    assert draft.answers, "the answer on the page was saved with the code"


def _overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize(("js", "lang"), [(True, "en"), (False, "ar")])
def test_quick_exit_is_in_reach_at_the_end_of_a_long_page(
    shipped_app: Flask, shipped_server: str, new_page: Any, screenshot: Any, js: bool, lang: str
) -> None:
    page = new_page("phone", js=js)
    start_survey(page, shipped_server, respondent_label("young-people", lang), keyboard=False, lang=lang)
    expect(page).to_have_url(re.compile(r"/survey/page/"))
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height > 2 * 667, "a page longer than the screen, to show the exit stays in reach"
    # As the page opens, the exit is the header's, over nothing; its copy in the top corner waits.
    corner = page.locator("a.quick-exit-float")
    expect(page.locator("a[data-quick-exit]")).to_be_in_viewport()
    expect(corner).to_be_hidden()
    page.locator("button[value=continue]").scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    exit_link = corner
    expect(exit_link).to_be_visible()
    expect(exit_link).to_be_in_viewport()
    link = exit_link.bounding_box()
    assert link["y"] + link["height"] <= 667 and link["x"] >= 0 and link["x"] + link["width"] <= 375
    box = page.locator(".exit-bar").bounding_box()  # the bar it sits on, across the screen
    # At the end of the page nothing is hidden behind it: not Next or Back, not a word of the footer.
    things = page.locator("main button, .site-footer li, .site-footer p").all()
    hidden = [t.inner_text() for t in things if (b := t.bounding_box()) and b["height"] and _overlap(box, b)]
    assert not hidden, f"the quick exit covers {hidden}"
    screenshot(page, f"quick-exit-in-reach-{lang}-{'js' if js else 'nojs'}")


@pytest.mark.parametrize(("js", "lang"), [(False, "en"), (True, "ar")])
def test_progress_total_never_changes(
    shipped_app: Flask, shipped_server: str, new_page: Any, js: bool, lang: str
) -> None:
    page = new_page("phone", js=js)
    start_survey(page, shipped_server, respondent_label("young-people", lang), keyboard=False, lang=lang)
    totals = set()
    for _ in range(6):  # through routing that opens and skips follow-up pages
        text = page.locator(".progress").inner_text()
        totals.add(re.findall(r"\d+", text)[1])
        for block in blocks(page):
            key, kind, expected = plan(block)
            if kind in ("radio", "checkbox"):
                answer_by_touch(page, block, kind, expected)
        _continue(page)
    assert len(totals) == 1, f"the progress total changed: {sorted(totals)}"


@pytest.mark.parametrize("js", [True, False])
def test_on_a_page_that_fits_the_screen_the_exit_covers_nothing(
    shipped_app: Flask, shipped_server: str, new_page: Any, screenshot: Any, js: bool
) -> None:
    """A child's one-question pages fit a phone: an exit fixed in the corner sat over Back or "Prefer
    not to say" there for good, one tap from wiping every answer."""
    page = new_page("phone", js=js)
    start_survey(page, shipped_server, respondent_label("children"), keyboard=False)
    for _ in range(4):
        expect(page).to_have_url(re.compile(r"/survey/page/"))
        shown = [e for e in page.locator("a.quick-exit").all() if e.is_visible()]
        assert len(shown) == 1, "one exit on the screen, the header's"
        box = shown[0].bounding_box()
        things = page.locator("main button, main a, main label, main legend").all()
        hidden = [t.inner_text() for t in things if (b := t.bounding_box()) and b["height"] and _overlap(box, b)]
        assert not hidden, f"the quick exit covers {hidden} on {page.url}"
        before = page.url
        page.locator("button[value=continue]").tap()
        expect(page).not_to_have_url(before)
    screenshot(page, f"quick-exit-short-page-{'js' if js else 'nojs'}")


def test_a_change_link_opens_its_question_clear_of_the_exit(
    shipped_app: Flask, shipped_server: str, new_page: Any, screenshot: Any
) -> None:
    """Change on Check your answers opens a page scrolled to its question: the exit's copy, on screen
    at once there, must cover neither the question nor the buttons below it."""
    page = new_page("phone", js=True)
    start_survey(page, shipped_server, respondent_label("young-people"), keyboard=False)
    while not page.url.endswith("/survey/check"):
        before = page.url
        page.locator("button[value=continue]").tap()
        expect(page).not_to_have_url(before)
    changes = page.locator("dd.change a")
    links = [changes.nth(i).get_attribute("href") for i in range(changes.count())]
    checked = 0
    for href in links:
        if "#q-" not in (href or ""):
            continue
        page.goto(shipped_server + href)
        corner = page.locator("a.quick-exit-float")
        if not corner.is_visible():
            continue  # the question is near the top: the header's exit is on screen
        box = page.locator(".exit-bar").bounding_box()
        key = href.split("#q-")[1]
        things = page.locator(f"#q-{key} label, #q-{key} legend, main button").all()
        hidden = [t.inner_text() for t in things if (b := t.bounding_box()) and b["height"] and _overlap(box, b)]
        assert not hidden, f"the quick exit covers {hidden} on {href}"
        checked += 1
    assert checked >= 5, "several Change links open a page scrolled to their question"
    screenshot(page, "quick-exit-change-link")


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_scrolled_check_page_shows_nothing_beside_the_exit(
    shipped_app: Flask, shipped_server: str, new_page: Any, screenshot: Any, lang: str
) -> None:
    """Scrolled, the exit's copy in the corner sat beside half-hidden Change links: a child aiming for
    one could miss by a few pixels and lose every answer. On a solid bar across the screen, nothing of
    the page shows beside it: whatever has scrolled under the bar is out of sight, not a target."""
    page = new_page("phone", js=True)
    start_survey(page, shipped_server, respondent_label("young-people", lang), keyboard=False, lang=lang)
    while not page.url.endswith("/survey/check"):
        before = page.url
        page.locator("button[value=continue]").tap()
        expect(page).not_to_have_url(before)
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(300, height - 667, 250):
        page.evaluate(f"window.scrollTo(0, {y})")
        bar = page.locator(".exit-bar")
        expect(bar).to_be_visible()
        box = bar.bounding_box()
        assert box["x"] <= 0 and box["x"] + box["width"] >= 375 and box["y"] <= 0
        # Across the bar's whole width, a tap lands on the bar or its exit, never on the page beneath.
        for x in range(5, 375, 20):
            hit = page.evaluate(
                f"document.elementFromPoint({x}, {box['y'] + box['height'] / 2}).closest('.exit-bar') !== null"
            )
            assert hit, f"at x={x}, scrolled to {y}, the page shows beside the exit"
    screenshot(page, f"quick-exit-bar-check-page-{lang}")
