"""A findings report in real Chromium: the lead builds one on the demo data, writes beside a section,
saves and publishes it publicly; someone not signed in reads the public report and "You said, we did";
more answers arrive and the published numbers stay. axe-core checks the builder and both public pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Answer, Campaign, Response
from survey_app.models.reports import PublishedReport
from tests.browser.axe import assert_accessible
from tests.browser.staff.test_staff_browser import demo, sign_in  # noqa: F401 - `demo` is a fixture

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.browser


def more_answers(n: int) -> None:
    """Copy n of the demo's responses, answers and all, as if more people had taken part."""
    db.session.rollback()
    for i, old in enumerate(db.session.scalars(select(Response).limit(n)).all()):
        new = Response(
            questionnaire_version_id=old.questionnaire_version_id,
            audience=old.audience,
            language=old.language,
            campaign_id=old.campaign_id,
            collection_point_id=old.collection_point_id,
            completion=old.completion,
            submitted_on=old.submitted_on,
            idempotency_key=f"later-{i}",
        )
        new.answers = [
            Answer(
                question_key=a.question_key,
                position=a.position,
                measure=a.measure,
                value=a.value,
                rank=a.rank,
                text=a.text,
                number=a.number,
            )
            for a in old.answers
        ]
        db.session.add(new)
    db.session.commit()


def test_lead_publishes_and_anyone_reads(
    demo: str,  # noqa: F811 - the fixture, imported for this module
    new_page: Callable[..., Any],
    screenshot: Callable[[Any, str], Any],
) -> None:
    page = new_page()
    sign_in(page, demo, "communications_lead")
    campaign_id = db.session.scalar(select(Campaign.id))
    page.goto(f"{demo}/staff/campaigns/{campaign_id}/reports")
    page.get_by_role("link", name="New report").click()
    page.get_by_label("Title").fill("What young people told us")
    page.get_by_label('What you want to say about "Headline figures"').fill("Most young people feel safe here.")
    page.get_by_label("Primary prevention").fill("We will open the youth centre on Saturdays.")
    page.get_by_role("button", name="Save report").click()
    expect(page.get_by_role("heading", name="What young people told us", level=1)).to_be_visible()
    assert_accessible(page, "the report builder")
    screenshot(page, "staff-report-builder")

    page.get_by_label("Also show it on a public page").check()
    page.get_by_role("button", name="Publish", exact=True).click(timeout=120_000)
    # Nobody has coded the demo's free text: the lead is told what would go out empty, first.
    gaps = page.locator("#publish-gaps")
    expect(gaps).to_contain_text("Not published yet.", timeout=120_000)
    expect(gaps).to_contain_text("no free-text answer has been coded")
    expect(gaps).to_be_in_viewport()  # the page comes back where Publish was pressed, not at its top
    assert db.session.scalar(select(PublishedReport)) is None
    expect(page.get_by_label("Also show it on a public page")).to_be_checked()
    assert_accessible(page, "the report builder warning before publishing")
    screenshot(page, "staff-report-publish-warning")
    page.get_by_role("button", name="Publish as it is").click(timeout=120_000)
    expect(page.get_by_text("Report published.")).to_be_visible(timeout=120_000)

    db.session.rollback()
    snapshot = db.session.scalar(select(PublishedReport))
    assert snapshot is not None and snapshot.public

    reader = new_page()
    reader.goto(f"{demo}/reports/{snapshot.slug}")
    expect(reader.get_by_role("heading", name="What young people told us", level=1)).to_be_visible()
    expect(reader.get_by_text("Most young people feel safe here.")).to_be_visible()
    assert_accessible(reader, "the public report")
    published = reader.content()
    assert reader.context.cookies() == []

    reader.goto(f"{demo}/reports/{snapshot.slug}/you-said-we-did")
    expect(reader.get_by_role("heading", name="You said, we did", level=1)).to_be_visible()
    expect(reader.get_by_text("We will open the youth centre on Saturdays.")).to_be_visible()
    assert_accessible(reader, "You said, we did")
    screenshot(reader, "public-you-said")
    assert reader.context.cookies() == []

    # More answers arrive (copies of 100 demo responses); the published report does not move.
    more_answers(100)
    reader.goto(f"{demo}/reports/{snapshot.slug}")
    assert reader.content() == published
