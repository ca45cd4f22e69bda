"""A response sent with every question skipped says nothing: reports do not count it among those who took part."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from analysis.findings import Settings
from analysis.load import load_campaign
from analysis.report.methodology import methodology
from survey_app.extensions import db
from survey_app.models import Answer, Response
from tests.analysis.report.conftest import _campaign, _respond, campaign_database


@pytest.mark.usefixtures("_postgres_schema")
@pytest.mark.parametrize("empty", [12, 3])
def test_responses_that_skipped_everything_are_left_out_of_the_counts(tmp_path: Path, empty: int) -> None:
    with campaign_database(tmp_path) as url:
        campaign = _campaign("skipped", 2026)
        answered = [{"feel_safe_area": ["very_safe"]}] * 40
        _respond(campaign, "young-people", answered + [{}] * empty, None)
        # One more wrote only in a free-text box: that is taking part.
        before = set(db.session.scalars(select(Response.id)))
        _respond(campaign, "young-people", [{}], None)
        wrote = db.session.scalar(select(Response).where(Response.id.not_in(before)))
        assert wrote is not None and not wrote.answers
        wrote.answers.append(Answer(question_key="anything_else", position=0, text="more youth clubs"))
        db.session.commit()

    data = load_campaign(url, "skipped")
    assert data.n == 40 + empty + 1
    assert int(data.took_part().sum()) == 41
    section = methodology(data, ["young_people"], Settings(), "2026-11-01", [], "How the survey was done")
    by_audience = next(t for t in section.tables if t.id == "method-audiences")
    assert [row.label for row in by_audience.rows] == ["Young people", "Total"]
    assert [row.cells[0].value for row in by_audience.rows] == [41, 41]
    said = " ".join(section.paragraphs)
    expected = "12 responses skipped every question" if empty >= 10 else "A few responses skipped every question"
    assert expected in said
