"""The results page in real Chromium on the demo data: the lead opens it from the campaign list, filters
by audience and area, and reads charts drawn in colour under the workspace's policy (no inline style
refused: the browser would report it); the viewer reads it too. axe-core checks the results page, the
report builder's preview and the published public report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Campaign
from survey_app.models.reports import SavedReport
from survey_app.models.staff import StaffUser
from survey_app.staff.cli import DEMO_DOMAIN
from survey_app.staff.free_text.coding import code_answers
from survey_app.staff.reports import service as reports
from survey_app.staff.results import service
from tests.browser.axe import assert_accessible
from tests.browser.staff.test_staff_browser import demo, sign_in  # noqa: F401 - `demo` is a fixture

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.browser

#: The Okabe–Ito blue the report's charts draw bars in, as the browser computes it.
BAR_BLUE = "rgb(0, 114, 178)"


def test_lead_filters_results_and_everything_is_accessible(
    demo: str,  # noqa: F811 - the fixture, imported for this module
    shipped_app: Flask,
    new_page: Callable[..., Any],
    screenshot: Callable[[Any, str], Any],
) -> None:
    service.forget()
    campaign = db.session.scalar(select(Campaign))
    assert campaign is not None
    code_answers(shipped_app, campaign.id)  # themes by audience and the priorities key need coded free text
    db.session.commit()

    page = new_page()
    page.set_default_timeout(60_000)  # a full-page screenshot of a long page takes a while on a busy machine
    sign_in(page, demo, "communications_lead")
    # A worker's first page imports scipy.stats and matplotlib and reads the campaign: seconds on a busy machine.
    page.get_by_role("link", name=f"Results for {campaign.name}").click(timeout=120_000)
    expect(page.get_by_role("heading", name=f"Results: {campaign.name}", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Headline figures by audience", level=2)).to_be_visible()
    expect(page.get_by_role("heading", name="Our priorities and who raised them", level=2)).to_be_visible()
    charts = page.locator("svg.chart[role=img]")
    assert charts.count() >= 5
    first = charts.first
    first.scroll_into_view_if_needed()
    box = first.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 80
    # The bars keep their colour: matplotlib's inline styles became attributes the policy allows.
    fills = page.eval_on_selector_all("svg.chart path[fill]", "paths => paths.map(p => getComputedStyle(p).fill)")
    assert BAR_BLUE in fills
    assert_accessible(page, "the results page")
    screenshot(page, "staff-results")

    area = service.loaded(campaign).choices.areas[0][0]
    page.get_by_label("Audience", exact=True).select_option(label="Young people")
    page.get_by_label("Area", exact=True).select_option(value=area)
    page.get_by_role("button", name="Show results").click(timeout=60_000)
    expect(page.get_by_text(f"for people living in {area} (Young people only)")).to_be_visible()
    expect(page.get_by_label("Audience", exact=True)).to_have_value("young_people")
    assert_accessible(page, "the results page filtered by audience and area")
    screenshot(page, "staff-results-filtered")

    # The partnership's priorities, kept by the lead: renaming one shows on the results page.
    page.get_by_role("link", name="Our priorities", exact=True).click()
    expect(page.get_by_role("heading", name="Our priorities", level=1)).to_be_visible()
    assert_accessible(page, "the priorities settings page")
    primary = page.get_by_role("region", name="Primary prevention")
    primary.get_by_label("Name").fill("Early help")
    primary.get_by_role("button", name="Save Primary prevention").click()
    expect(page.get_by_text("Priority \u201cEarly help\u201d saved.")).to_be_visible()
    page.goto(f"{demo}/staff/campaigns/{campaign.id}/results#priorities")
    expect(page.get_by_role("rowheader", name="Early help")).to_be_visible()

    # The report builder's preview and the published public report, on the same data.
    lead = db.session.scalar(select(StaffUser).where(StaffUser.email == f"communications-lead@{DEMO_DOMAIN}"))
    assert lead is not None
    report = SavedReport(partnership_id=campaign.partnership_id, campaign_id=campaign.id)
    choices = reports.Choices("What young people told us", None, [], list(reports.DEFAULT_SECTIONS), {}, {})
    reports.apply_choices(report, choices, lead.id)
    db.session.commit()
    page.goto(f"{demo}/staff/reports/{report.id}/preview", timeout=120_000)
    expect(page.get_by_role("heading", name="How the survey was done", level=2)).to_be_visible()
    method = page.get_by_role("region", name="How the survey was done")
    expect(method.get_by_text("adjusted for the number of comparisons in this report")).to_be_visible()
    assert_accessible(page, "the report builder's preview")
    snapshot = reports.publish(report, True, lead.id)
    db.session.commit()
    reader = new_page()
    reader.set_default_timeout(60_000)
    reader.goto(f"{demo}/reports/{snapshot.slug}")
    expect(reader.get_by_role("heading", name="What young people told us", level=1)).to_be_visible()
    assert_accessible(reader, "the published public report")
    screenshot(reader, "public-report-from-results")


def test_viewer_reads_results(
    demo: str,  # noqa: F811 - the fixture, imported for this module
    new_page: Callable[..., Any],
) -> None:
    service.forget()
    campaign = db.session.scalar(select(Campaign))
    assert campaign is not None
    page = new_page()
    sign_in(page, demo, "viewer")
    # A fresh server's first page imports scipy.stats and matplotlib: seconds on a busy machine.
    page.goto(f"{demo}/staff/campaigns/{campaign.id}/results", timeout=120_000)
    expect(page.get_by_role("heading", name=f"Results: {campaign.name}", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Our priorities", exact=True)).to_have_count(0)
    expect(
        page.get_by_role("link", name="Change the partnership's priorities and the themes behind them")
    ).to_have_count(0)
