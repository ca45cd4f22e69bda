"""The phone's own Back button and the language switch, in real Chromium on a 375 px phone, with and
without JavaScript, in English and Arabic (right to left).

Back goes to the previous question with its answers, until the answers are sent or the person leaves
quickly; after either, Back shows none of them. Switching language keeps what was ticked or typed on
the page, even before it was sent."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from tests.browser.conftest import wait_for_script
from tests.browser.test_journey_browser import choose, press
from tests.browser.test_journey_browser import start as start_all_types
from tests.browser.test_respondent_journeys import (
    answer_by_touch,
    blocks,
    plan,
    respondent_label,
    start_survey,
)
from tests.browser.test_respondent_safety import NEUTRAL_SITE, _fake_neutral_site

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright for Python is not installed; browser tests need it (pip install playwright)",
)
expect = sync_api.expect

pytestmark = pytest.mark.browser

CASES = [(True, "en"), (False, "en"), (True, "ar"), (False, "ar")]


def _answer_choices(page: Any) -> dict[str, str]:
    """Answer every choice question on this page by touch; returns {input id: value} of what was ticked."""
    ticked = {}
    for block in blocks(page):
        key, kind, expected = plan(block)
        if kind in ("radio", "checkbox"):
            answer_by_touch(page, block, kind, expected)
            control = block.locator(f"input[value='{expected[1][0]}']").first
            ticked[str(control.get_attribute("id"))] = str(expected[1][0])
    assert ticked, f"no choice question on {page.url}"
    return ticked


def _next(page: Any) -> None:
    before = page.url
    page.locator("main button[value=continue]").tap()
    expect(page).not_to_have_url(before)
    wait_for_script(page, "respond")


def _still_ticked(page: Any, ticked: dict[str, str]) -> None:
    for control_id in ticked:
        expect(page.locator(f"[id='{control_id}']")).to_be_checked()


@pytest.mark.parametrize(("js", "lang"), CASES)
def test_back_goes_to_the_previous_question_with_its_answers(
    shipped_app: Flask, shipped_server: str, new_page: Any, js: bool, lang: str
) -> None:
    page = new_page("phone", js=js)
    _fake_neutral_site(page, shipped_server)
    start_survey(page, shipped_server, respondent_label("young-people", lang), keyboard=False, lang=lang)
    first_url = page.url
    first = _answer_choices(page)
    _next(page)
    second_url = page.url
    second = _answer_choices(page)
    _next(page)
    expect(page.locator("html")).to_have_attribute("lang", lang)

    # The phone's Back button: the previous question, as it was answered; and again.
    page.go_back()
    expect(page).to_have_url(second_url)
    _still_ticked(page, second)
    page.go_back()
    expect(page).to_have_url(first_url)
    _still_ticked(page, first)
    # Forward again, and carrying on from there works as usual.
    page.go_forward()
    expect(page).to_have_url(second_url)
    _still_ticked(page, second)
    wait_for_script(page, "respond")
    _next(page)

    # Leaving quickly ends all that: Back, however far, shows no answer.
    wait_for_script(page, "respond")
    page.locator("a[data-quick-exit]").tap()
    expect(page).to_have_url(NEUTRAL_SITE)
    for _ in range(4):
        page.go_back()
        if page.url.startswith(shipped_server):
            expect(page.locator("input:checked")).to_have_count(0)
            expect(page.locator("dl")).to_have_count(0)


@pytest.mark.parametrize("js", [True, False])
def test_back_after_sending_shows_none_of_the_answers(app: Flask, live_server: str, new_page: Any, js: bool) -> None:
    page = new_page("phone", js=js)
    start_all_types(page, live_server, "I'm testing every question type")
    choose(page, "carried", "No")
    choose(page, "feel_safe", "Fairly unsafe")
    for _ in range(3):
        press(page, "Next")
    expect(page).to_have_url(live_server + "/survey/check")
    press(page, "Send my answers")
    expect(page).to_have_url(live_server + "/survey/thank-you")
    for _ in range(3):
        page.go_back()
        # The pages before are asked for afresh: they say the answers were sent, and show none.
        expect(page).to_have_url(live_server + "/survey/thank-you")
        expect(page.locator("input:checked")).to_have_count(0)
        expect(page.get_by_text("Fairly unsafe")).to_have_count(0)


@pytest.mark.parametrize(("js", "lang"), CASES)
def test_switching_language_keeps_what_was_ticked_on_the_page(
    shipped_app: Flask, shipped_server: str, new_page: Any, js: bool, lang: str
) -> None:
    page = new_page("phone", js=js)
    start_survey(page, shipped_server, respondent_label("young-people", lang), keyboard=False, lang=lang)
    here = page.url
    ticked = _answer_choices(page)  # not sent yet
    other = "ar" if lang == "en" else "en"
    page.locator(f"nav.languages [lang={other}]").tap()
    expect(page.locator("html")).to_have_attribute("lang", other)
    expect(page).to_have_url(here)  # the same page, not the next one
    _still_ticked(page, ticked)
    expect(page.locator("[data-error-summary]")).to_have_count(0)
    wait_for_script(page, "respond")
    page.locator(f"nav.languages [lang={lang}]").tap()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    _still_ticked(page, ticked)


@pytest.mark.parametrize("js", [True, False])
def test_enter_in_a_text_box_still_means_next(app: Flask, live_server: str, new_page: Any, js: bool) -> None:
    """The language buttons come first in the page; pressing Enter must not switch language."""
    page = new_page("phone", js=js)
    start_all_types(page, live_server, "I'm testing every question type")
    choose(page, "carried", "No")
    for _ in range(2):
        press(page, "Next")
    expect(page).to_have_url(re.compile(r"/survey/page/words$"))
    box = page.get_by_label("One word for your area")
    box.fill("Green")
    box.press("Enter")
    expect(page).to_have_url(live_server + "/survey/check")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a_text_box_counts_down_as_it_is_typed(app: Flask, live_server: str, new_page: Any) -> None:
    """A long answer was caught only after Next ("Your answer is 539 characters long"): the box counts
    down under it, and says plainly when it is too long, before anything is sent."""
    page = new_page("phone", js=True)
    start_all_types(page, live_server, "I'm testing every question type")
    for _ in range(2):
        press(page, "Next")
    expect(page).to_have_url(re.compile(r"/survey/page/words$"))
    box = page.get_by_label("One word for your area")
    hint = page.locator("#one_word-limit")
    expect(hint).to_have_text("You can write up to 20 characters.")
    box.press_sequentially("Green")
    expect(hint).to_have_text("15 characters left")
    box.fill("Green and pleasant land")
    box.press("End")
    box.press_sequentially("!")
    expect(hint).to_have_text("4 characters too many")
    expect(hint).to_have_class(re.compile(r"\bover-limit\b"))
    # Read out once typing pauses, not at every letter.
    expect(page.locator("#one_word-limit + [role=status]")).to_have_text("4 characters too many")
