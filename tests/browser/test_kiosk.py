"""Kiosk mode in real Chromium: on one shared tablet, pupil A answers and sends; pupil B, on
the same browser, cannot reach A's answers by Back, through the history, or through the resume route.

Run with: python -m pytest tests/browser/test_kiosk.py -q   (needs /usr/bin/chromium and playwright)
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import Draft, Response
from tests.browser.conftest import wait_for_script
from tests.reach_helpers import make_campaign, make_point, make_session

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright for Python is not installed; browser tests need it (pip install playwright)",
)
expect = sync_api.expect

pytestmark = pytest.mark.browser

#: Pupil A's words: if these ever appear on pupil B's screen, kiosk mode has failed.
SECRET_WORD = "Zebracorn42"


@pytest.fixture
def kiosk_code(app: Flask, live_server: str) -> str:
    """A class's session on an open campaign using the every-question-type questionnaire."""
    point = make_point(make_campaign(["all-types"]), "Stretford High School")
    return make_session(point, 8, pupils=28).code


def count(model: Any) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def start_questions(page: Any, base: str) -> None:
    """Press Start on the kiosk's start screen, then on the questionnaire's introduction."""
    expect(page).to_have_url(f"{base}/kiosk")
    wait_for_script(page, "respond")
    page.get_by_role("button", name="Start").click()
    expect(page).to_have_url(f"{base}/survey/intro")
    wait_for_script(page, "respond")
    page.get_by_role("button", name="Start").click()


def a_answers_and_sends(page: Any, base: str) -> None:
    start_questions(page, base)
    expect(page).to_have_url(f"{base}/survey/page/choices")
    wait_for_script(page, "respond")
    page.get_by_label("Yes").first.check()
    page.get_by_role("button", name="Next").click()
    # Let the answer's own navigation finish first: going elsewhere mid-post aborts one or the other.
    expect(page).not_to_have_url(f"{base}/survey/page/choices")
    page.goto(f"{base}/survey/page/words")
    page.locator("#one_word").fill(SECRET_WORD)
    page.get_by_role("button", name="Next").click()
    expect(page).to_have_url(f"{base}/survey/check")
    expect(page.get_by_text(SECRET_WORD)).to_be_visible()
    wait_for_script(page, "respond")
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(f"{base}/kiosk/thank-you")


def assert_nothing_of_a(page: Any) -> None:
    content = page.content()
    assert SECRET_WORD not in content, page.url
    assert page.locator("input:checked").count() == 0, page.url
    for field in page.locator("input[type=text], textarea").all():
        assert field.input_value() == "", (page.url, field.get_attribute("name"))


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_pupil_b_cannot_reach_pupil_as_answers(
    new_page: Any, live_server: str, kiosk_code: str, screenshot: Any, js: bool
) -> None:
    page = new_page(device="tablet", js=js)
    page.goto(f"{live_server}/kiosk/{kiosk_code}")
    expect(page).to_have_url(f"{live_server}/kiosk")
    a_answers_and_sends(page, live_server)
    assert count(Response) == 1
    screenshot(page, f"kiosk-thank-you-{'js' if js else 'nojs'}")

    # The thank-you screen hands over to the next pupil (by itself after a while, or with this button).
    wait_for_script(page, "respond")
    page.get_by_role("button", name="Finish and clear the screen").click()
    expect(page).to_have_url(f"{live_server}/kiosk")
    screenshot(page, f"kiosk-start-{'js' if js else 'nojs'}")

    # Pupil B presses Back through everything pupil A did. (With JavaScript, moving through the survey
    # replaces the history entry instead of adding one; without it, every page A saw is in the history.)
    history = page.evaluate("history.length")
    assert history >= (3 if js else 8)
    for _ in range(history):
        before = page.url
        page.go_back()
        assert_nothing_of_a(page)
        if page.url == before:
            break
    # ...and forward again,
    for _ in range(history):
        page.go_forward()
        assert_nothing_of_a(page)
    # ...and straight to A's pages and the resume route.
    for path in (
        "/survey/check",
        "/survey/page/words",
        "/survey/page/choices",
        "/survey/thank-you",
        "/kiosk/thank-you",
        "/resume",
    ):
        page.goto(f"{live_server}{path}")
        assert_nothing_of_a(page)
    expect(page.get_by_text("Saved answers can't be opened here")).to_be_visible()

    # Pupil B starts afresh: empty questions, and a second response of their own.
    page.goto(f"{live_server}/kiosk")
    start_questions(page, live_server)
    expect(page).to_have_url(f"{live_server}/survey/page/choices")
    assert_nothing_of_a(page)
    expect(page.get_by_role("button", name="Save and come back later")).to_have_count(0)


def test_an_idle_kiosk_goes_back_to_the_start_and_forgets_the_pupil(
    app: Flask, new_page: Any, live_server: str, kiosk_code: str
) -> None:
    page = new_page(device="tablet")
    page.goto(f"{live_server}/kiosk/{kiosk_code}")
    start_questions(page, live_server)
    expect(page).to_have_url(f"{live_server}/survey/page/choices")
    wait_for_script(page, "respond")
    assert count(Draft) == 1  # the pupil's answers so far, kept since Start
    page.locator("#carried").check()
    # A short idle time from the next page on only, so the kiosk cannot clear itself while the test
    # is still answering (the pages so far count down from the usual three minutes).
    app.config["KIOSK_IDLE_SECONDS"] = 2
    page.get_by_role("button", name="Next").click()
    expect(page).not_to_have_url(f"{live_server}/survey/page/choices")
    # Nobody touches the screen: it returns to the start by itself and the unsent answers are wiped.
    page.wait_for_url(f"{live_server}/kiosk", timeout=10_000)
    assert count(Draft) == 0
    page.go_back()
    assert_nothing_of_a(page)


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_sending_too_fast_is_held_kindly_then_accepted(
    app: Flask, new_page: Any, live_server: str, kiosk_code: str, js: bool
) -> None:
    """The duplicate guard's minimum time on the check page, as production has it, in a real browser."""
    app.config["MIN_SECONDS_ON_CHECK"] = 2
    page = new_page(device="phone", js=js)
    page.goto(f"{live_server}/code")
    page.get_by_label("Enter your code").fill(kiosk_code.lower())
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server}/survey/intro")
    page.goto(f"{live_server}/survey/check")
    page.locator("form button[type=submit]").last.click()
    # On screen and focused, beside the button far down the page: not a reload that seems to do nothing.
    notice = page.locator("[data-guard-notice]")
    expect(notice).to_be_in_viewport()
    expect(notice).to_be_focused()
    assert count(Response) == 0
    # A person reading their answers. This pause is the behaviour under test, not a wait for the page:
    # the server measures the minimum time with its own clock, from a token it issued before the
    # notice above appeared, so 2.5 seconds here are always more than its 2.
    page.wait_for_timeout(2500)
    wait_for_script(page, "respond")  # with JavaScript, the page with the notice was swapped in whole
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(f"{live_server}/survey/thank-you")
    assert count(Response) == 1
