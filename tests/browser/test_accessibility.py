"""axe-core (WCAG 2.0–2.2, A and AA) on every kind of respondent page, for every audience, in real Chromium:
landing, start, introduction, every question page (so every question type), an error, check your answers,
thank you, help, privacy and the accessibility statement. Plus reflow at 320 px and target sizes.

Run with: python -m pytest tests/browser -q   (needs /usr/bin/chromium, playwright and npm for axe-core)
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from tests.browser.axe import assert_accessible
from tests.browser.conftest import wait_for_script
from tests.browser.test_respondent_journeys import (
    SHIPPED,
    answer_by_touch,
    blocks,
    plan,
    respondent_label,
    send,
    start_survey,
)

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright for Python is not installed; browser tests need it (pip install playwright)",
)
expect = sync_api.expect

pytestmark = pytest.mark.browser


def _walk_checking_every_page(page: Any, base: str, where: str) -> set[str]:
    """Answer every page (first answers), running axe on each; make one error on the first text box."""
    types: set[str] = set()
    made_error = False
    while not page.url.endswith("/survey/check"):
        wait_for_script(page, "respond")
        assert_accessible(page, f"{where}: question page {page.url.rsplit('/', 1)[-1]}")
        for block in blocks(page):
            key, kind, want = plan(block)
            types.add(kind)
            box = block.locator("textarea, input[type=text]:not([name$='-other'])")
            if kind == "text" and not made_error:
                # Error state: one character too many, then the kind error summary, then put it right.
                limit = int(box.first.get_attribute("data-max-length"))
                box.first.fill("x" * (limit + 1))
                url = page.url
                page.locator("button[value=continue]").tap()
                expect(page.locator(".error-summary")).to_be_visible()
                expect(page.locator(".error-summary")).to_be_focused()
                wait_for_script(page, "respond")  # the page with the error was swapped in whole
                assert_accessible(page, f"{where}: error state on {url.rsplit('/', 1)[-1]}")
                made_error = True
                block = page.locator(f"#q-{key}")
            answer_by_touch(page, block, kind, want)
        before = page.url
        page.locator("button[value=continue]").tap()
        expect(page).not_to_have_url(before)
    assert made_error, f"{where}: no free-text question to show an error on"
    assert_accessible(page, f"{where}: check your answers")
    return types


@pytest.mark.parametrize("questionnaire_id", SHIPPED)
def test_every_respondent_page_for_each_audience(
    shipped_app: Flask, shipped_server: str, new_page: Any, questionnaire_id: str
) -> None:
    base = shipped_server
    page = new_page("phone", js=True)
    page.goto(base + "/")
    assert_accessible(page, "the landing page")
    start_survey(page, base, respondent_label(questionnaire_id), keyboard=False)
    _walk_checking_every_page(page, base, questionnaire_id)
    send(page, base, keyboard=False)
    assert_accessible(page, f"{questionnaire_id}: thank you")
    # Help is worded for the audience just answered for; the other pages are the same whoever
    # answered, so they are checked once.
    for path in ("/help", "/about-your-answers", "/accessibility", "/start"):
        if path == "/help" or questionnaire_id == SHIPPED[0]:
            page.goto(base + path)
            assert_accessible(page, f"{questionnaire_id}: {path}")


def test_every_question_type_and_number_error(app: Flask, live_server: str, new_page: Any) -> None:
    """The test questionnaire has every question type (number included). (axe-core needs JavaScript to run;
    the HTML it checks is the same server-made HTML that respondents without JavaScript get.)"""
    for js in (True,):
        page = new_page("desktop", js=js)
        page.goto(live_server + "/start")
        assert_accessible(page, "the start page offering one questionnaire")
        page.locator("form button[type=submit]").click()
        expect(page).to_have_url(live_server + "/survey/intro")
        wait_for_script(page, "respond")
        page.locator("a.start").click()
        expect(page).to_have_url(re.compile(re.escape(live_server) + r"/survey/page/[\w-]+$"))
        seen: set[str] = set()
        for _ in range(12):
            if page.url.endswith("/survey/check"):
                break
            wait_for_script(page, "respond")
            assert_accessible(
                page, f"all-types page {page.url.rsplit('/', 1)[-1]} (JavaScript {'on' if js else 'off'})"
            )
            for block in blocks(page):
                key, kind, _ = plan(block)
                seen.add(kind)
                if kind == "number":
                    block.locator("input").fill("lots")
                    page.locator("button[value=continue]").click()
                    expect(page.locator(".error-summary")).to_be_visible()
                    wait_for_script(page, "respond")  # the page with the error was swapped in whole
                    assert_accessible(page, "a number error")
                    page.locator(f"#q-{key} input").fill("3")
            before = page.url
            page.locator("button[value=continue]").click()
            expect(page).not_to_have_url(before)
        assert {"radio", "checkbox", "select", "number", "text"} <= seen
        assert_accessible(page, "check your answers (all types)")


@pytest.mark.parametrize("locale", ["ur", "ar", "pl"])
def test_translated_pages_are_accessible(shipped_app: Flask, shipped_server: str, new_page: Any, locale: str) -> None:
    page = new_page("phone", js=True)
    start_survey(page, shipped_server, respondent_label("young-people", locale), keyboard=False, lang=locale)
    assert_accessible(page, f"a {locale} question page")
    for path in ("/help", "/about-your-answers", "/accessibility"):
        page.goto(shipped_server + path)
        expect(page.locator("html")).to_have_attribute("dir", "ltr" if locale == "pl" else "rtl")
        expect(page.locator("html")).to_have_attribute("lang", locale)
        assert_accessible(page, f"{locale} {path}")


@pytest.mark.parametrize("questionnaire_id", ["children", "young-people", "young-people-easy-read"])
def test_reflow_at_320_pixels_and_targets_at_least_24_pixels(
    shipped_app: Flask, shipped_server: str, new_page: Any, questionnaire_id: str
) -> None:
    """WCAG 1.4.10 reflow (320 CSS px, the same as 1280 px at 400% zoom) and 2.5.8 target size."""
    page = new_page("phone", js=True)
    page.set_viewport_size({"width": 320, "height": 640})
    start_survey(page, shipped_server, respondent_label(questionnaire_id), keyboard=False)
    for _ in range(3):
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, f"sideways scrolling on {page.url}"
        small = page.evaluate("""() => [...document.querySelectorAll('button, input:not([type=hidden]), select, textarea, header a, footer a, .languages a')]
            .filter(el => el.offsetParent !== null && !el.closest('p, li:not(.languages li):not(.footer-links li)'))
            .map(el => { const r = (el.type === 'radio' || el.type === 'checkbox') && el.labels.length
                         ? el.labels[0].getBoundingClientRect() : el.getBoundingClientRect();
                         return [el.outerHTML.slice(0, 80), r.width, r.height]; })
            .filter(([, w, h]) => w < 24 || h < 24)""")
        assert not small, f"targets under 24 x 24 px on {page.url}: {small}"
        for block in blocks(page):
            answer_by_touch(page, block, *plan(block)[1:])
        before = page.url
        page.locator("button[value=continue]").tap()
        expect(page).not_to_have_url(before)
        wait_for_script(page, "respond")


def test_choosing_between_open_campaigns_and_none_open(
    app: Flask, live_server: str, new_page: Any, screenshot: Any
) -> None:
    """The bare address with two campaigns open asks which one; with none open it says so. Both at
    phone width, where every choice must be a whole-width target."""
    from survey_app.extensions import db
    from survey_app.models import Campaign
    from tests.reach_helpers import make_campaign

    make_campaign(["all-types"], slug="parents-voice").name = "Parents' Voice"
    db.session.commit()
    page = new_page("phone", js=True)
    page.goto(live_server + "/")
    expect(page.locator("h1")).to_have_text("Which survey are you here for?")
    choices = page.locator(".campaign-choices a")
    expect(choices).to_have_count(2)
    for i in range(2):
        box = choices.nth(i).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 300, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page, "choosing a campaign")
    screenshot(page, "choose-campaign-375")
    choices.filter(has_text="Parents' Voice").tap()
    expect(page.locator("h1")).to_have_text("Parents' Voice")

    for campaign in db.session.query(Campaign):
        campaign.closes_on = campaign.opens_on
        campaign.opens_on = campaign.opens_on.replace(year=campaign.opens_on.year - 1)
    db.session.commit()
    page = new_page("phone", js=True)
    page.goto(live_server + "/")
    expect(page.locator("h1")).to_have_text("No survey is open at the moment")
    assert_accessible(page, "no campaign open")
    screenshot(page, "no-campaign-open-375")
