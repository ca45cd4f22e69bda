"""Privacy and safety in real Chromium: every request stays on the site, only the session cookie,
nothing left in browser storage, quick exit leaves nothing in Back, read aloud stays on the device,
tailored help after sending; and screenshots (375 px) for reviewers in /tmp/screens."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask

from tests.browser.conftest import wait_for_script
from tests.browser.test_respondent_journeys import (
    blocks,
    complete,
    respondent_label,
    send,
    start_survey,
    stored_responses,
)

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright for Python is not installed; browser tests need it (pip install playwright)",
)
expect = sync_api.expect

pytestmark = pytest.mark.browser

NEUTRAL_SITE = "https://www.bbc.co.uk/weather"


def _fake_neutral_site(page: Any, base: str) -> None:
    """Serve the quick-exit site locally, and refuse anything else off the test server."""

    def handle(route: Any) -> None:
        url = route.request.url
        if url.startswith(NEUTRAL_SITE):
            route.fulfill(
                status=200, content_type="text/html", body="<!doctype html><title>Weather</title><h1>Weather</h1>"
            )
        elif url.startswith(base + "/"):
            route.continue_()
        else:
            route.abort()

    page.context.route("**/*", handle)


@pytest.mark.parametrize("questionnaire_id", ["children", "young-people"])
def test_a_whole_survey_stays_on_the_site_and_leaves_nothing_behind(
    shipped_app: Flask, shipped_server: str, new_page: Any, questionnaire_id: str
) -> None:
    page = new_page("phone", js=True)
    requested: list[str] = []
    page.context.on("request", lambda request: requested.append(request.url))
    history_at_start = None
    page.goto(shipped_server + "/")
    history_at_start = page.evaluate("history.length")
    start_survey(page, shipped_server, respondent_label(questionnaire_id), keyboard=False)
    complete(page, shipped_server, keyboard=False)
    send(page, shipped_server, keyboard=False)
    for path in ("/help", "/about-your-answers", "/accessibility"):
        page.goto(shipped_server + path)

    elsewhere = sorted({u for u in requested if not u.startswith(shipped_server + "/")})
    assert not elsewhere, f"respondent pages asked other sites for: {elsewhere}"
    assert {c["name"] for c in page.context.cookies()} == {"cv_respondent"}  # the session (which holds the CSRF token)
    assert page.evaluate("[localStorage.length, sessionStorage.length]") == [0, 0]
    # Each survey page was its own history entry (so the phone's Back button works while answering).
    assert page.evaluate("history.length") > history_at_start + 3
    assert len(stored_responses()) == 1


@pytest.mark.parametrize("how", ["button", "shift-three-times"])
def test_after_quick_exit_back_does_not_return_to_the_survey(
    shipped_app: Flask, shipped_server: str, new_page: Any, how: str
) -> None:
    page = new_page("phone", js=True)
    _fake_neutral_site(page, shipped_server)
    page.goto(shipped_server + "/")
    start_survey(page, shipped_server, respondent_label("young-people"), keyboard=False)
    # Each tap waits for the page's script, which handles the quick exit.
    for _ in range(3):  # a few pages in, with Back and a help visit in between
        before = page.url
        page.locator("button[value=continue]").tap()
        expect(page).not_to_have_url(before)
        wait_for_script(page, "respond")
    before = page.url
    page.locator("button[value=back]").tap()
    expect(page).not_to_have_url(before)
    wait_for_script(page, "respond")
    page.locator(".help-link").tap()  # on a page of questions, a button that saves the page first
    expect(page).to_have_url(re.compile(r"/help\?from="))
    wait_for_script(page, "respond")
    page.get_by_role("link", name="Go back to the questions").tap()
    expect(page).to_have_url(re.compile(r"/survey/page/"))
    wait_for_script(page, "respond")  # quick exit (both ways) is the script's
    expect(page.locator("h1, legend").first).to_be_visible()

    if how == "button":
        page.get_by_role("link", name="Leave this site quickly").tap()
    else:
        for _ in range(3):
            page.keyboard.press("Shift")
    expect(page).to_have_url(NEUTRAL_SITE)
    # The survey's pages are still history entries, but each is asked for afresh (never cached) and
    # the answers are gone from the server: going Back through all of them shows none of the answers.
    for _ in range(page.evaluate("history.length")):
        page.go_back()
        if page.url == "about:blank":
            break
        expect(page.locator("input:checked")).to_have_count(0)
        expect(page.locator("dl, textarea:not(:empty)")).to_have_count(0)
        assert not urlsplit(page.url).path.startswith(("/survey/page", "/survey/check")), f"Back showed {page.url}"


def test_read_aloud_is_hidden_where_the_device_has_no_voice(
    shipped_app: Flask, shipped_server: str, new_page: Any
) -> None:
    page = new_page("tablet", js=True)
    page.add_init_script("delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;")
    start_survey(page, shipped_server, respondent_label("children"), keyboard=False)
    expect(page.locator("[data-read-aloud]")).to_be_hidden()
    without_js = new_page("tablet", js=False)
    without_js.goto(shipped_server + "/")
    expect(without_js.locator("[data-read-aloud]")).to_have_count(0)  # only question pages have it


def test_read_aloud_uses_only_an_on_device_voice(shipped_app: Flask, shipped_server: str, new_page: Any) -> None:
    """The speech engine is the operating system's, which CI machines lack: the test gives the page's
    speechSynthesis one on-device and one online voice, records what is spoken, and checks the
    online voice (which would send the words elsewhere) is never used."""
    page = new_page("tablet", js=True)
    page.add_init_script("""
        const voices = [{name: 'Online', lang: 'en-GB', localService: false},
                        {name: 'On device', lang: 'en-GB', localService: true}];
        window.__spoken = [];
        Object.defineProperty(window.speechSynthesis, 'getVoices', {value: () => voices});
        Object.defineProperty(window.speechSynthesis, 'speak', {value: (u) => window.__spoken.push([u.text, u.voice && u.voice.name])});
        window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
    """)
    start_survey(page, shipped_server, respondent_label("children"), keyboard=False)
    button = page.locator("[data-read-aloud]")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["height"] >= 44
    button.tap()
    ((text, voice),) = page.evaluate("window.__spoken")
    question = page.locator("legend").inner_text().strip()
    assert voice == "On device"
    assert text.startswith(question)
    for label in page.locator(".face-choice label span").all_inner_texts():
        assert label in text  # every answer is read out too


def test_tailored_help_after_sending_and_screenshots(
    shipped_app: Flask, shipped_server: str, new_page: Any, screenshot: Any
) -> None:
    page = new_page("phone", js=True)
    start_survey(page, shipped_server, respondent_label("young-people"), keyboard=False)
    while not page.url.endswith("/survey/page/knives"):
        before = page.url
        page.locator("button[value=continue]").tap()
        expect(page).not_to_have_url(before)
        wait_for_script(page, "respond")
    page.locator("#q-carried_weapon label", has_text=re.compile("^Yes$")).tap()
    page.locator("button[value=continue]").tap()
    expect(page).to_have_url(re.compile(r"/survey/page/knives-more$"))
    wait_for_script(page, "respond")
    page.locator("#q-why_carried label", has_text="To protect myself").tap()
    while not page.url.endswith("/survey/check"):
        before = page.url
        page.locator("button[value=continue]").tap()
        expect(page).not_to_have_url(before)
        wait_for_script(page, "respond")
    send(page, shipped_server, keyboard=False)
    note = page.locator("[data-tailored-support]")
    expect(note).to_contain_text("You are not in trouble for telling us")
    expect(note).to_contain_text("0800 1111")
    screenshot(page, "thank-you-tailored-help-phone")
    (response,) = stored_responses()
    assert [f for f in response.answers if f.question_key == "why_carried"]

    page.goto(shipped_server + "/help")
    screenshot(page, "help-page-phone-375")

    child = new_page("phone", js=True)
    start_survey(child, shipped_server, respondent_label("children"), keyboard=False)
    expect(child.locator(".progress")).to_have_text(re.compile(r"^Question 1 of \d+$"))
    assert len(blocks(child)) == 1
    screenshot(child, "children-question-phone-375")


@pytest.mark.parametrize(("js", "lang"), [(True, "en"), (False, "ar")])
def test_help_before_choosing_a_questionnaire_lists_childrens_and_adults_services(
    shipped_app: Flask, shipped_server: str, new_page: Any, screenshot: Any, js: bool, lang: str
) -> None:
    """A child may be the one reading the landing page or a kiosk's start screen."""
    page = new_page("phone", js=js)
    page.goto(shipped_server + f"/?lang={lang}")
    page.locator("a.help-link").first.tap()
    expect(page).to_have_url(re.compile(r"/help"))
    services = page.locator(".support-list")
    for name in ("Childline", "NSPCC", "Samaritans"):
        expect(services).to_contain_text(name)
    childline = services.locator("li", has_text="Childline")
    expect(childline).to_have_count(1)
    expect(childline.locator("a[href='tel:08001111']")).to_be_visible()
    screenshot(page, f"help-before-choosing-{lang}-phone-375")


@pytest.mark.parametrize("js", [True, False])
def test_knife_yes_and_no_carry_no_tick_or_cross(
    shipped_app: Flask, shipped_server: str, new_page: Any, screenshot: Any, js: bool
) -> None:
    """A tick beside "No" and a cross beside "Yes" would say which answer is right."""
    page = new_page("phone", js=js)
    start_survey(page, shipped_server, respondent_label("young-people-easy-read"), keyboard=False)
    for _ in range(30):
        if page.locator("#q-carried_weapon").count():
            break
        before = page.url
        page.locator("button[value=continue]").tap()
        expect(page).not_to_have_url(before)
        wait_for_script(page, "respond")
    question = page.locator("#q-carried_weapon")
    expect(question).to_be_visible()
    expect(question.locator("label", has_text=re.compile("^Yes$"))).to_be_visible()
    expect(question.locator("label img[src*='/symbols/yes'], label img[src*='/symbols/no']")).to_have_count(0)
    screenshot(page, f"knife-yes-no-{'js' if js else 'nojs'}")
