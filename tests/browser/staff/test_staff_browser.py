"""The staff workspace in real Chromium, on the demo data: signing in with both factors (typing and
pasting), the dashboard and the safeguarding queue (screenshots in /tmp/screens/staff-*.png for
people to look at), axe-core on every staff page, and nothing loaded from anywhere else.

Run with: python -m pytest tests/browser/staff -q   (needs /usr/bin/chromium, playwright and npm)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import pyotp
import pytest
from flask import Flask
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import Campaign, SafeguardingFlag, StaffUser
from survey_app.staff.cli import DEMO_DOMAIN, DEMO_PASSWORD
from tests import snapshot
from tests.browser.axe import assert_accessible
from tests.browser.conftest import SCREENS

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright for Python is not installed; browser tests need it (pip install playwright)",
)
expect = sync_api.expect

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(demo_rows: snapshot.Snapshot, shipped_app: Flask, shipped_server: str) -> str:
    """The demo campaign with its partnership, accounts and a few safeguarding flags; returns the base URL.
    (Built once per test process by the `demo_rows` fixture, restored here: see tests/browser/staff/conftest.py.)"""
    snapshot.restore(demo_rows)
    assert db.session.scalar(select(func.count()).select_from(SafeguardingFlag)), (
        "`flask users demo` runs the safeguarding rules over the bulk-loaded demo answers"
    )
    return shipped_server


def sign_in(page: Any, base: str, role: str, paste: bool = False) -> None:
    """Sign in through both steps, as a person would (or pasting, as from a password manager)."""
    email = f"{role.replace('_', '-')}@{DEMO_DOMAIN}"
    db.session.rollback()
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
    user.totp_last_step = None
    db.session.commit()
    page.goto(f"{base}/staff/login")
    page.get_by_label("Email address").fill(email)
    if paste:
        # A paste event that nothing cancels, then the text lands, as a password manager's paste would.
        allowed = page.evaluate("""() => {
            const field = document.getElementById('password');
            const data = new DataTransfer(); data.setData('text/plain', 'x');
            return field.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, cancelable: true, bubbles: true}));
        }""")
        assert allowed, "the password field must not block paste"
        page.get_by_label("Password").focus()
        page.keyboard.insert_text(DEMO_PASSWORD)
    else:
        page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{base}/staff/login/code")
    page.get_by_label("6-digit code").fill(pyotp.TOTP(user.totp_secret).now())
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(f"{base}/staff/")


def only_first_party(page: Any, base: str) -> list[str]:
    """Record every request the page makes; returns the list to check."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def test_dashboard_on_demo_data(demo: str, new_page: Callable[..., Any], screenshot: Callable[[Any, str], Any]):
    page = new_page()
    requests = only_first_party(page, demo)
    sign_in(page, demo, "analyst", paste=True)
    campaign_id = db.session.scalar(select(Campaign.id))
    page.get_by_role("link", name="Dashboard").first.click()
    expect(page).to_have_url(f"{demo}/staff/campaigns/{campaign_id}/dashboard")
    expect(page.get_by_role("heading", name="Progress against targets")).to_be_visible()
    expect(page.get_by_role("table", name="Responses by audience")).to_be_visible()
    expect(page.get_by_role("heading", name="Sample compared with the population")).to_be_visible()
    assert page.get_by_text("Under-represented").count() + page.get_by_text("In line or over").count() > 4
    assert page.locator(".suppressed").count() > 0, "demo data has small groups: they must say so"
    screenshot(page, "staff-dashboard")
    page.screenshot(path=str(SCREENS / "staff-dashboard-top.png"))  # the first screenful, as people see it
    assert_accessible(page, "the campaign dashboard")
    assert all(urlparse(u).netloc == urlparse(demo).netloc for u in requests), [
        u for u in requests if urlparse(u).netloc != urlparse(demo).netloc
    ]


def test_safeguarding_queue_on_demo_data(
    demo: str, new_page: Callable[..., Any], screenshot: Callable[[Any, str], Any]
):
    page = new_page()
    requests = only_first_party(page, demo)
    sign_in(page, demo, "safeguarding_reviewer")
    page.get_by_role("link", name="Safeguarding queue").first.click()
    expect(page.get_by_role("heading", name="Safeguarding queue", level=1)).to_be_visible()
    cards = page.locator(".flag-card")
    assert cards.count() >= 1
    expect(
        cards.first.get_by_text("days old")
        .or_(cards.first.get_by_text("flagged today"))
        .or_(cards.first.get_by_text("1 day old"))
    ).to_be_visible()
    screenshot(page, "staff-safeguarding")
    assert_accessible(page, "the safeguarding queue")
    first = cards.first
    flag_heading = first.locator("h2").inner_text()
    first.get_by_label("Signposting was sufficient").check()
    first.get_by_role("textbox", name="Note").fill("Help page shown at submission covers this.")
    first.get_by_role("button", name="Record outcome").click()
    expect(page.get_by_role("status").filter(has_text="Outcome recorded")).to_be_visible()
    page.get_by_role("link", name="Reviewed").click()
    expect(page.get_by_text(flag_heading)).to_be_visible()
    expect(page.get_by_text("Signposting was sufficient").first).to_be_visible()
    screenshot(page, "staff-safeguarding-reviewed")
    assert_accessible(page, "the reviewed safeguarding items")
    assert all(urlparse(u).netloc == urlparse(demo).netloc for u in requests)


@pytest.mark.parametrize(
    ("role", "paths"),
    [
        (
            "administrator",
            [
                "/staff/",
                "/staff/users",
                "/staff/users/new",
                "/staff/audit",
                "/staff/campaigns/{c}/settings",
                "/staff/campaigns/{c}/delete",
                "/staff/account",
                "/staff/account/password",
            ],
        ),
        ("school_coordinator", ["/staff/my-collection-points"]),
        ("viewer", ["/staff/"]),
    ],
)
def test_staff_pages_pass_axe(
    demo: str, new_page: Callable[..., Any], screenshot: Callable[[Any, str], Any], role: str, paths: list[str]
):
    page = new_page()
    page.goto(f"{demo}/staff/login")
    assert_accessible(page, "the sign-in page")
    sign_in(page, demo, role)
    campaign_id = db.session.scalar(select(Campaign.id))
    for path in paths:
        page.goto(demo + path.format(c=campaign_id))
        assert_accessible(page, path)
    if role == "administrator":
        page.goto(f"{demo}/staff/audit")
        screenshot(page, "staff-audit")
        db.session.rollback()
        user_id = db.session.scalar(select(StaffUser.id).where(StaffUser.role == "viewer"))
        page.goto(f"{demo}/staff/users/{user_id}")
        assert_accessible(page, "changing a user")


def test_code_and_setup_pages_pass_axe(demo: str, new_page: Callable[..., Any], screenshot: Callable[[Any, str], Any]):
    db.session.rollback()
    user = db.session.scalar(select(StaffUser).where(StaffUser.role == "viewer"))
    user.totp_secret = None
    db.session.commit()
    page = new_page()
    page.goto(f"{demo}/staff/login")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    assert_accessible(page, "setting up the authenticator")
    screenshot(page, "staff-setup-authenticator")
    secret = page.locator(".secret code").inner_text().replace(" ", "")
    page.get_by_label("6-digit code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Check the code and continue").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert page.locator(".codes li").count() == 10
    assert_accessible(page, "the recovery codes")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    # The click returns before the post has been answered: check the code page, not the one before it.
    expect(page).to_have_url(f"{demo}/staff/login/code")
    assert_accessible(page, "the code page")
