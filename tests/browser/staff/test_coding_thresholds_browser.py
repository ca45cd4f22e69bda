"""The coding page's automation curve and per-theme confidences in real Chromium, with axe-core:
choose a target precision, open a theme's curve, and type a wrong confidence. Screenshots go to
/tmp/screens/staff-coding-curve*.png.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select

from analysis.coding.automation import curves
from survey_app.extensions import db
from survey_app.models import Campaign, CoderModel
from survey_app.staff.free_text.coding import campaign_codebook
from tests.browser.axe import assert_accessible
from tests.browser.staff.test_staff_browser import demo, sign_in  # noqa: F401 - `demo` is a fixture

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.browser


def _trained_curve(campaign_id: int) -> None:
    """A trained coder's row whose out-of-fold curve has strong, middling and rare themes."""
    book, row = campaign_codebook(campaign_id)
    themes = book.keys()
    rng = np.random.default_rng(7)
    n = 1200
    P = np.clip(rng.beta(0.1, 40, (n, len(themes))), 0, 1)
    Y = (rng.random((n, len(themes))) < P**0.6).astype(int)
    for j in range(min(4, len(themes))):  # a few common themes, some better calibrated than others
        P[:, j] = rng.beta(0.15, 0.6, n)
        Y[:, j] = rng.random(n) < P[:, j] ** (0.2 + j * 0.5)
    Y[:, -1], P[:, -1] = 0, 0.01  # a theme nobody has been coded with yet
    db.session.add(
        CoderModel(
            campaign_id=campaign_id,
            codebook_version_id=row.id,
            version=1,
            trained_on_answers=n,
            trained_on=dt.date(2026, 3, 1),
            file_name="browser-test.model",
            metrics={"automation": curves(P, Y, themes)},
        )
    )
    db.session.commit()


def test_curve_target_and_theme_confidences(
    demo: str,  # noqa: F811 - the fixture, imported from conftest for this module
    new_page: Callable[..., Any],
    browser: Any,
    screenshot: Callable[[Any, str], Any],
) -> None:
    campaign_id = db.session.scalar(select(Campaign.id))
    _trained_curve(campaign_id)
    page = new_page()
    sign_in(page, demo, "analyst")
    page.goto(f"{demo}/staff/campaigns/{campaign_id}/coding")
    chart = page.get_by_role("img", name="Automation curve")
    expect(chart).to_be_visible()
    assert "checked on 1,200 answers the model did not train on" in (chart.get_attribute("aria-label") or "")

    page.get_by_label("Precision automatic codes should reach").select_option("0.90")
    # saving recodes every answer no one has reviewed: slow on a busy machine
    page.get_by_role("button", name="Use this precision").click(timeout=120_000)
    expect(page.get_by_role("status").filter(has_text="90% precision")).to_be_visible(timeout=120_000)
    expect(page.locator("table.theme-thresholds")).to_contain_text("Follows the target")
    expect(page.locator("table.theme-thresholds")).to_contain_text("with people")
    page.locator("details.theme-curve summary").first.click()
    expect(page.locator("details.theme-curve").first.get_by_role("img")).to_be_visible()
    assert_accessible(page, "the coding page with its automation curve")
    screenshot(page, "staff-coding-curve")

    # A wrong number is explained, linked to its field, and the typing is kept. The page comes back
    # with HTTP 400, which new_page() counts as a problem, so this part uses a context of its own.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        other = context.new_page()
        sign_in(other, demo, "analyst")
        other.goto(f"{demo}/staff/campaigns/{campaign_id}/coding")
        other.locator("table.theme-thresholds input").first.fill("2")
        other.get_by_role("button", name="Save the themes' confidences").click(timeout=60_000)
        alert = other.get_by_role("alert").filter(has_text="There is a problem")
        expect(alert).to_contain_text("Enter a confidence between 0.5 and 0.99")
        expect(other.locator("table.theme-thresholds input").first).to_have_value("2")
        expect(other.locator("table.theme-thresholds input").first).to_have_attribute("aria-invalid", "true")
        assert_accessible(other, "the coding page showing a wrong confidence")
        screenshot(other, "staff-coding-curve-error")
    finally:
        context.close()
