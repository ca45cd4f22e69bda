"""The codebook and discovery pages in real Chromium, with axe-core on each state of the page.

An analyst codes the demo answers, opens the codebook from the theme coding page, adds a theme with the
keyboard alone (Tab between fields, typing, Enter to submit), sees a mistake explained with the
input kept, and opens the discovery page and a candidate's promotion form. Screenshots go to
/tmp/screens/staff-codebook-*.png.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Campaign, CodebookVersion
from tests.browser.axe import assert_accessible
from tests.browser.staff.test_staff_browser import demo, sign_in  # noqa: F401 - `demo` is a fixture

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.browser


def tab_until(page: Any, element_id: str, limit: int = 400) -> None:
    """Press Tab until the element with this id has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
    pytest.fail(f"Tab never reached #{element_id}")


def focused_id(page: Any) -> str:
    return str(page.evaluate("() => document.activeElement && document.activeElement.id"))


def test_codebook_and_discovery_pages(
    demo: str,  # noqa: F811 - the fixture, imported from conftest for this module
    new_page: Callable[..., Any],
    browser: Any,
    screenshot: Callable[[Any, str], Any],
) -> None:
    page = new_page()
    sign_in(page, demo, "analyst")
    campaign_id = db.session.scalar(select(Campaign.id))
    page.goto(f"{demo}/staff/campaigns/{campaign_id}/coding")
    # Coding runs while the post waits, and the click waits for its page: allow it as long as coding.
    page.get_by_role("button", name="Code answers now").click(timeout=120_000)
    expect(page.get_by_role("status").filter(has_text="Coded")).to_be_visible(timeout=120_000)
    page.get_by_role("link", name="Codebook: add, edit, merge and retire themes").click()
    expect(page.get_by_role("heading", name="Codebook", level=1)).to_be_visible()
    assert_accessible(page, "the codebook page")
    screenshot(page, "staff-codebook")

    # Add a theme by keyboard alone: Tab to the key field, then type and Tab through the form.
    page.locator("h1").focus()
    tab_until(page, "add-key")
    page.keyboard.type("dog_fouling")
    page.keyboard.press("Tab")
    assert focused_id(page) == "add-label"
    page.keyboard.type("Dog fouling")
    page.keyboard.press("Tab")
    page.keyboard.type("Dog mess left in streets and parks.")
    page.keyboard.press("Tab")  # includes
    page.keyboard.press("Tab")  # excludes
    page.keyboard.press("Tab")
    assert focused_id(page) == "add-phrases"
    page.keyboard.type("dog poo")
    page.keyboard.press("Enter")  # a new line in the textarea: one phrase a line
    page.keyboard.type("dog mess")
    tab_until(page, "add-reason", limit=5)
    page.keyboard.type("often mentioned")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.innerText.trim()") == "Add the theme"
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Saved as codebook version 2")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="Dog fouling", level=3)).to_be_visible()
    db.session.rollback()
    row = db.session.scalar(select(CodebookVersion).where(CodebookVersion.campaign_id == campaign_id))
    assert row is not None and row.version == 2 and "dog_fouling" in str(row.content)
    assert_accessible(page, "the codebook page after a change")

    # A mistake is explained, linked to its field, and the typing is kept. The page comes back with
    # HTTP 400, which new_page() counts as a problem, so this part uses a context of its own.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        other = context.new_page()
        sign_in(other, demo, "analyst")
        other.goto(f"{demo}/staff/campaigns/{campaign_id}/codebook")
        other.locator("#add-key").fill("police")
        other.locator("#add-label").fill("Police again")
        other.get_by_role("button", name="Add the theme").click()
        alert = other.get_by_role("alert").filter(has_text="There is a problem")
        expect(alert).to_contain_text("the key is already used")
        expect(other.locator("#add-label")).to_have_value("Police again")
        alert.get_by_role("link").first.click()
        assert focused_id(other) == "add-key"
        assert_accessible(other, "the codebook page with an error")
        screenshot(other, "staff-codebook-error")
    finally:
        context.close()

    page.get_by_role("link", name="Find what the codebook misses").first.click(timeout=120_000)  # slow, as above
    expect(page.get_by_role("heading", name="Find what the codebook misses", level=1)).to_be_visible(timeout=120_000)
    assert_accessible(page, "the discovery page")
    summaries = page.locator("summary", has_text="Promote to a new theme")
    if summaries.count():
        summaries.first.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("button", name="Add as a theme").first).to_be_visible()
        assert page.locator("input[name=key]").first.input_value()
        assert_accessible(page, "the discovery page with a promotion form open")
    screenshot(page, "staff-codebook-discover")
