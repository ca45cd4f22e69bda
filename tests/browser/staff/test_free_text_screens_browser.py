"""The free-text screens in real Chromium on the demo data: the agreement coding screen by keyboard
alone, and axe-core (WCAG 2.2 A/AA, zero violations) on the agreement, quote bank and tone-and-words
pages. Screenshots go to /tmp/screens/staff-free-text-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import AgreementCoding, AgreementSample, Campaign, StaffUser
from survey_app.staff import clock
from survey_app.staff.cli import DEMO_DOMAIN
from survey_app.staff.free_text.coding import code_answers
from tests.browser.axe import assert_accessible
from tests.browser.conftest import wait_for_script
from tests.browser.staff.test_coding_browser import tab_to
from tests.browser.staff.test_staff_browser import demo, sign_in  # noqa: F401 - `demo` is a fixture

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.browser


def _user(role: str) -> StaffUser:
    return db.session.scalar(select(StaffUser).where(StaffUser.email == f"{role.replace('_', '-')}@{DEMO_DOMAIN}"))


def test_agreement_by_keyboard_alone(
    demo: str,  # noqa: F811 - the fixture, imported from conftest for this module
    new_page: Callable[..., Any],
    screenshot: Callable[[Any, str], Any],
) -> None:
    page = new_page()
    sign_in(page, demo, "analyst")
    campaign_id = db.session.scalar(select(Campaign.id))
    page.goto(f"{demo}/staff/campaigns/{campaign_id}/coding/agreement")
    expect(page.get_by_role("heading", name="Coding agreement", level=1)).to_be_visible()
    assert_accessible(page, "the agreement samples page")
    screenshot(page, "staff-free-text-agreement-list")

    # Only keys from here: the sample size field, then the button.
    tab_to(page, "Start the sample")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile(r"Code sample \d+"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"Answer 1 of \d+"))).to_be_visible()
    assert page.locator("input[name=theme]:checked").count() == 0, "blind: nothing is ticked for the analyst"
    assert_accessible(page, "the agreement coding screen")
    screenshot(page, "staff-free-text-agreement-code")

    # Shortcuts: 1 and 3 tick two themes, S saves and brings the next answer.
    wait_for_script(page, "coding-review")
    boxes = page.locator("input[name=theme]")
    page.locator("h1").focus()
    page.keyboard.press("1")
    page.keyboard.press("3")
    assert [boxes.nth(0).is_checked(), boxes.nth(1).is_checked(), boxes.nth(2).is_checked()] == [True, False, True]
    page.keyboard.press("s")
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Answer 2 of \d+"))).to_be_visible()

    # Without shortcuts: Tab to a theme, Space ticks it, Tab to the button, Enter saves.
    box = page.locator("input[name=theme]").nth(1)
    page.locator("h1").focus()
    for _ in range(80):
        page.keyboard.press("Tab")
        if box.evaluate("el => el === document.activeElement"):
            break
    page.keyboard.press("Space")
    assert box.is_checked()
    tab_to(page, "Save and next")
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"Answer 3 of \d+"))).to_be_visible()

    # K skips an answer without coding it, once this page's script is listening.
    wait_for_script(page, "coding-review")
    page.locator("h1").focus()
    page.keyboard.press("k")
    expect(page).to_have_url(re.compile(r"skip="))
    expect(page.get_by_text(re.compile(r"Answer 3 of \d+"))).to_be_visible()

    db.session.rollback()
    sample = db.session.scalar(select(AgreementSample))
    analyst = _user("analyst")
    # Keyed by answer, not response: a response can have two free-text answers in the sample.
    saved = {(c.response_id, c.question_key): c.themes for c in db.session.scalars(select(AgreementCoding))}
    assert len(saved) == 2 and sample.first_analyst_id == analyst.id

    # Both analysts finish (the rest typed in here), and the comparison page passes axe too.
    other = _user("administrator")
    for i, item in enumerate(sample.items):
        mine = ["police"] if i % 3 else ["police", "knives_weapons"]
        if (item.response_id, item.question_key) not in saved:
            db.session.add(
                AgreementCoding(
                    sample_id=sample.id,
                    response_id=item.response_id,
                    question_key=item.question_key,
                    analyst_id=analyst.id,
                    themes=mine,
                    coded_on=clock.today(),
                )
            )
        db.session.add(
            AgreementCoding(
                sample_id=sample.id,
                response_id=item.response_id,
                question_key=item.question_key,
                analyst_id=other.id,
                themes=["police"] if i % 2 else [],
                coded_on=clock.today(),
            )
        )
    sample.second_analyst_id = other.id
    db.session.commit()
    page.goto(f"{demo}/staff/campaigns/{campaign_id}/coding/agreement/{sample.id}")
    expect(page.get_by_role("table", name="Agreement by theme")).to_be_visible()
    expect(page.get_by_role("heading", name="Disagreements to resolve")).to_be_visible()
    assert_accessible(page, "the agreement figures and disagreements")
    screenshot(page, "staff-free-text-agreement")
    first = page.locator("section.disagreement").first
    first.get_by_role("button", name=re.compile("Record agreed themes")).click()
    expect(page.get_by_role("status").filter(has_text="Resolved")).to_be_visible()


def test_quote_bank_and_text_pages_for_the_communications_lead(
    demo: str,  # noqa: F811 - the fixture, imported from conftest for this module
    shipped_app: Flask,
    new_page: Callable[..., Any],
    screenshot: Callable[[Any, str], Any],
) -> None:
    campaign_id = db.session.scalar(select(Campaign.id))
    code_answers(shipped_app, campaign_id)
    db.session.commit()
    page = new_page()
    sign_in(page, demo, "communications_lead")
    page.get_by_role("link", name=re.compile("^Quote bank")).first.click()
    expect(page.get_by_role("heading", name=re.compile("^Quote bank"), level=1)).to_be_visible()
    assert page.locator("li.quote").count() >= 5
    assert_accessible(page, "the quote bank")
    screenshot(page, "staff-free-text-quotes")
    page.locator("li.quote").first.get_by_role("button", name="Use", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Marked to use")).to_be_visible()
    expect(page.get_by_text("Chosen to use")).to_be_visible()
    assert_accessible(page, "the quote bank after a choice")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"Download the chosen quotes as CSV \(1\)")).click()
    assert download.value.suggested_filename.endswith("-quotes.csv")

    # The page reads and scores every answer while the click waits for it: allow a busy machine a minute.
    page.get_by_role("link", name="Free text at a glance").first.click(timeout=60_000)
    expect(page.get_by_role("table", name=re.compile("Tone by theme"))).to_be_visible(timeout=60_000)
    images = page.locator(".cloud img")
    assert images.count() >= 1
    images.first.scroll_into_view_if_needed()
    # Each cloud is drawn on request from every answer in the campaign, several at once: on a busy
    # machine that outlasts the usual ten seconds, as coding does above.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.cloud img')].slice(0, 1).every(i => i.complete && i.naturalWidth > 0)",
        timeout=60_000,
    )
    assert_accessible(page, "free text at a glance, by theme")
    screenshot(page, "staff-free-text-insights")
    page.get_by_role("link", name="By audience").click(timeout=60_000)  # the same work again
    expect(page.get_by_role("link", name="By audience")).to_have_attribute("aria-current", "page")
    assert_accessible(page, "free text at a glance, by audience")
