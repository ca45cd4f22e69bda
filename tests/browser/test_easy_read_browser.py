"""The easy-read questionnaire in real Chromium: symbols sit beside their words (and mirror right to left),
words and targets are large on a phone, and screenshots at 375 px for people to look at.

The end-to-end journeys and axe-core checks run in test_respondent_journeys.py and test_accessibility.py,
which walk every shipped questionnaire, this one included.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from tests.browser.conftest import wait_for_script
from tests.browser.test_respondent_journeys import complete, send, start_survey, stored_answers, stored_responses

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright for Python is not installed; browser tests need it (pip install playwright)",
)
expect = sync_api.expect

pytestmark = pytest.mark.browser

EASY = "young-people-easy-read"


def label(app: Flask, locale: str = "en") -> str:
    """The easy-read choice on 'Which of these best describes you?', in the page's language."""
    from questionnaires.translation import catalogue
    from survey_app.config import PACKAGE
    from survey_app.questionnaire_store import current_version

    version = current_version(EASY)
    if version is None:
        pytest.skip(f"{EASY} is not shipped")
    english = str(version.definition["respondent_label"])
    return english if locale == "en" else catalogue(PACKAGE / "translations", locale).gettext(english)


def symbol_sides(page: Any) -> list[tuple[str, float, float]]:
    """(words, symbol centre x, words centre x) for every symbol shown beside words on the page."""
    return page.evaluate("""() => [...document.querySelectorAll('main .with-symbol')].map(el => {
        const img = el.querySelector('img.symbol').getBoundingClientRect();
        const words = el.querySelector(':scope > span').getBoundingClientRect();
        return [el.textContent.trim(), img.x + img.width / 2, words.x + words.width / 2]; })""")


def test_easy_read_on_a_phone_is_large_with_symbols_before_the_words(
    shipped_app: Flask, shipped_server: str, new_page: Any, screenshot: Any
) -> None:
    page = new_page("phone", js=True)
    assert page.viewport_size["width"] == 375
    start_survey(page, shipped_server, label(shipped_app), keyboard=False)
    expect(page.locator("body")).to_have_class(re.compile(r"\bpresentation-easy-read\b"))
    screenshot(page, "easy-read-phone-375")
    heading = page.locator("h1.legend-heading")
    assert float(heading.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) >= 28
    # One question on the page, its symbol before its words (left to right).
    expect(page.locator("form .question")).to_have_count(1)
    sides = symbol_sides(page)
    assert sides and all(symbol < words for _, symbol, words in sides), sides
    # Large touch targets: every answer is at least 44 px high, however short its words.
    heights = page.locator("form .question label").evaluate_all("els => els.map(l => l.getBoundingClientRect().height)")
    assert heights and min(heights) >= 44, heights
    # Through to the content note before the questions about fights and knives.
    for _ in range(12):
        if page.locator(".content-note").count():
            break
        before = page.url
        page.locator("button[value=continue]").tap()
        expect(page).not_to_have_url(before)
        wait_for_script(page, "respond")
    note = page.locator(".content-note")
    expect(note).to_be_visible()
    expect(note.locator("img.symbol")).to_have_attribute("alt", "")
    screenshot(page, "easy-read-content-note-phone-375")
    # On these sensitive questions Yes and No carry no tick or cross: they would read as right and wrong.
    yes = page.locator("form label", has_text="Yes").first
    expect(yes).to_be_visible()
    expect(yes.locator("img.symbol")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "sideways scrolling on a phone"


def test_easy_read_right_to_left_mirrors_the_symbols_and_stores_the_same_answers(
    shipped_app: Flask, shipped_server: str, new_page: Any, screenshot: Any
) -> None:
    """In Urdu the page is right to left and each symbol moves to the right of its words; answers are
    stored exactly as in English."""
    page = new_page("phone", js=True)
    start_survey(page, shipped_server, label(shipped_app, "ur"), keyboard=False, lang="ur")
    shots: list[str] = []

    def check(p: Any) -> None:
        expect(p.locator("html")).to_have_attribute("dir", "rtl")
        sides = symbol_sides(p)
        assert all(symbol > words for _, symbol, words in sides), f"symbols not mirrored on {p.url}: {sides}"
        if not shots:
            shots.append(str(screenshot(p, "easy-read-ur-rtl-phone-375")))

    expected = complete(page, shipped_server, keyboard=False, on_page=check)
    send(page, shipped_server, keyboard=False)
    (response,) = stored_responses()
    assert (response.version.questionnaire_id, response.language) == (EASY, "ur")
    assert stored_answers(response) == expected
