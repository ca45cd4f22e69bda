"""The starting-model page in real Chromium, with axe-core: before choosing, and after an earlier
campaign's reviewed answers have trained the starting model. Screenshots go to
/tmp/screens/staff-coding-starting-*.png."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Answer, Campaign, QuestionnaireVersion, Response, ThemeCode
from survey_app.staff.free_text.coding import shipped_codebook
from tests.browser.axe import assert_accessible
from tests.browser.staff.test_staff_browser import demo, sign_in  # noqa: F401 - `demo` is a fixture

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.browser

TOPICS = {
    "police": "the police never come round here",
    "youth_provision": "nothing to do since the youth club closed",
    "knives_weapons": "kids carry knives for protection",
}


def _earlier_campaign(current: Campaign) -> Campaign:
    """Last year's campaign of the same partnership, with 30 answers people reviewed."""
    version = db.session.scalar(select(QuestionnaireVersion).limit(1))
    earlier = Campaign(
        slug="last-year",
        name="Last year's survey",
        opens_on=current.opens_on - dt.timedelta(days=365),
        closes_on=current.opens_on - dt.timedelta(days=300),
        questionnaire_ids=list(current.questionnaire_ids),
        partnership_id=current.partnership_id,
    )
    db.session.add(earlier)
    db.session.flush()
    _, row = shipped_codebook()
    keys = list(TOPICS)
    for i in range(30):
        theme = keys[i % 3]
        r = Response(
            questionnaire_version_id=version.id,
            audience="young_people",
            language="en",
            campaign_id=earlier.id,
            completion="complete",
            submitted_on=earlier.opens_on,
            idempotency_key=f"last-year-{i}",
        )
        r.answers = [Answer(question_key="unsafe_why", position=0, text=f"{TOPICS[theme]} {i}")]
        db.session.add(r)
        db.session.flush()
        db.session.add(
            ThemeCode(
                response_id=r.id,
                question_key="unsafe_why",
                theme_key=theme,
                codebook_version_id=row.id,
                source="human",
                confidence=1.0,
                status="added",
                evidence=[],
                reviewer_id=1,
                decided_on=earlier.opens_on,
            )
        )
    db.session.commit()
    return earlier


def test_starting_model_page(
    demo: str,  # noqa: F811 - the fixture, imported from conftest for this module
    new_page: Callable[..., Any],
    screenshot: Callable[[Any, str], Any],
) -> None:
    current = db.session.scalar(select(Campaign).order_by(Campaign.id))
    earlier = _earlier_campaign(current)
    page = new_page()
    sign_in(page, demo, "analyst")
    page.goto(f"{demo}/staff/campaigns/{current.id}/coding")
    page.get_by_role("link", name="Start from a model trained on earlier campaigns").click()
    expect(page.get_by_role("heading", name="Starting model", level=1)).to_be_visible()
    assert_accessible(page, "the starting-model page, before choosing")
    screenshot(page, "staff-coding-starting-choose")

    page.get_by_label(earlier.name).check()
    # training runs inline in tests and takes longer than a click waits for its page on a busy machine
    page.get_by_role("button", name="Start from these campaigns").click(no_wait_after=True)
    expect(page.locator("#starting-status")).to_have_attribute("data-status", "done", timeout=300_000)
    statement = page.locator("#expected-performance")
    expect(statement).to_contain_text("Not yet checked on this campaign")
    expect(statement).to_contain_text("in 10")
    expect(page.locator("#held")).to_contain_text("Nothing it suggests is applied without review")
    assert_accessible(page, "the starting-model page, with a starting model in use")
    screenshot(page, "staff-coding-starting-in-use")
