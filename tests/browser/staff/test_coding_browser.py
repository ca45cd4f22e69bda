"""The theme review screen in real Chromium, by keyboard alone, with axe-core on each page.

An analyst signs in, then only presses keys: Tab to "Code answers now" and Enter; Tab to "Review
answers" and Enter; on the review screen, number keys tick themes and S saves; then Tab, Space and
Enter do the same without the shortcuts. Screenshots go to /tmp/screens/staff-coding-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Campaign, ThemeCode
from tests.browser.axe import assert_accessible
from tests.browser.conftest import wait_for_script
from tests.browser.staff.test_staff_browser import demo, sign_in  # noqa: F401 - `demo` is a fixture

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.browser


def tab_to(page: Any, name: str, limit: int = 80) -> None:
    """Press Tab until the focused element is the one named (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => (document.activeElement.innerText || document.activeElement.value || '').trim()")
        if focused.startswith(name):
            return
    pytest.fail(f"Tab never reached {name!r}")


def test_review_screen_by_keyboard_alone(
    demo: str,  # noqa: F811 - the fixture, imported from conftest for this module
    new_page: Callable[..., Any],
    screenshot: Callable[[Any, str], Any],
) -> None:
    page = new_page()
    sign_in(page, demo, "analyst")
    campaign_id = db.session.scalar(select(Campaign.id))
    page.goto(f"{demo}/staff/campaigns/{campaign_id}/coding")
    expect(page.get_by_role("heading", name="Theme coding", level=1)).to_be_visible()
    tab_to(page, "Code answers now")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Coded")).to_be_visible(timeout=120_000)
    assert_accessible(page, "the theme coding overview")
    screenshot(page, "staff-coding-overview")

    tab_to(page, "Review answers")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Review themes")).to_be_visible()
    assert_accessible(page, "the theme review screen")
    screenshot(page, "staff-coding-review")

    # Shortcuts: 1 and 2 toggle the first two themes, S saves and brings the next answer.
    wait_for_script(page, "coding-review")
    boxes = page.locator("input[name=theme]")
    before = [boxes.nth(0).is_checked(), boxes.nth(1).is_checked()]
    page.locator("h1").focus()
    page.keyboard.press("1")
    page.keyboard.press("2")
    assert [boxes.nth(0).is_checked(), boxes.nth(1).is_checked()] == [not before[0], not before[1]]
    answer = page.locator("input[name=answer]")
    first = answer.get_attribute("value")
    page.keyboard.press("s")
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()
    expect(answer).not_to_have_value(first)  # the save has landed: the next answer is showing
    db.session.rollback()
    decided = db.session.scalars(select(ThemeCode).where(ThemeCode.status.in_(("accepted", "rejected", "added")))).all()
    assert decided and all(c.reviewer_id for c in decided)

    # Without shortcuts: Tab to a theme, Space ticks it, Tab to the button, Enter saves.
    expect(page.locator("#answer-text")).to_be_visible()
    box = page.locator("input[name=theme]").nth(2)
    was = box.is_checked()
    page.locator("h1").focus()
    for _ in range(80):
        page.keyboard.press("Tab")
        if box.evaluate("el => el === document.activeElement"):
            break
    page.keyboard.press("Space")
    assert box.is_checked() != was
    second = answer.get_attribute("value")
    tab_to(page, "Save and next")
    page.keyboard.press("Enter")
    # "Saved" is already on the page from the first save: wait for the next answer, not the message.
    expect(answer).not_to_have_value(second)
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()

    # K skips an answer without deciding it, once this page's script is listening.
    wait_for_script(page, "coding-review")
    page.locator("h1").focus()
    page.keyboard.press("k")
    expect(page).to_have_url(re.compile(r"skip="))
    expect(page.get_by_role("heading", name="Review themes")).to_be_visible()
