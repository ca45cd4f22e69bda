"""Online responses sent when no single campaign was open (before the site asked which survey, or said
none was open) belong to no campaign: `flask responses unclaimed` lists them, with their safeguarding
flags, and `flask responses claim SLUG` gives a campaign those it could have taken, so its dashboard
and its safeguarding reviewers see them."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Partnership, Response, SafeguardingFlag
from survey_app.questionnaire_store import current_version
from survey_app.staff.safeguarding.queue import open_count
from tests.reach_helpers import TODAY, make_campaign


def _sent_with_no_campaign(questionnaire: str, days_ago: int, flagged: bool = False, key: str = "") -> Response:
    response = Response(
        questionnaire_version_id=current_version(questionnaire).id,
        audience=current_version(questionnaire).audience,
        language="en",
        submitted_on=TODAY - dt.timedelta(days=days_ago),
        idempotency_key=key or secrets.token_hex(16),
    )
    db.session.add(response)
    db.session.flush()
    if flagged:
        db.session.add(
            SafeguardingFlag(response_id=response.id, rule="feels_unsafe_at_home", reason="r", flagged_on=TODAY)
        )
    db.session.commit()
    return response


def test_unclaimed_responses_are_listed_and_a_campaign_claims_those_it_could_have_taken(app, shipped_app, runner):
    assert "Every online response belongs to a campaign." in runner.invoke(args=["responses", "unclaimed"]).output
    partnership = Partnership(name="Trafford CSP")
    db.session.add(partnership)
    campaign = make_campaign(["young-people"], opens=-20, closes=10)
    campaign.partnership_id = partnership.id
    db.session.commit()
    during = [_sent_with_no_campaign("young-people", 5, flagged=True), _sent_with_no_campaign("young-people", 1)]
    before = _sent_with_no_campaign("young-people", 40)  # before it opened
    other = _sent_with_no_campaign("parents-carers", 3)  # not one of its questionnaires
    assert open_count(partnership.id) == 0  # the flag reaches no reviewer

    listed = runner.invoke(args=["responses", "unclaimed"]).output
    assert "young-people\t3 response(s)" in listed and "1 flagged for safeguarding" in listed
    assert "parents-carers\t1 response(s)" in listed

    claimed = runner.invoke(args=["responses", "claim", campaign.slug])
    assert claimed.exit_code == 0 and "2 response(s) now in" in claimed.output
    db.session.expire_all()
    assert [db.session.get(Response, r.id).campaign_id for r in during] == [campaign.id, campaign.id]
    assert db.session.get(Response, before.id).campaign_id is None
    assert db.session.get(Response, other.id).campaign_id is None
    assert open_count(partnership.id) == 1  # now in its reviewers' queue

    assert runner.invoke(args=["responses", "claim", "no-such"]).exit_code == 1


def test_paper_files_are_left_to_their_own_commands(app, shipped_app, runner):
    from survey_app.models import PaperImport
    from survey_app.paper.importer import row_key

    version = current_version("young-people")
    paper_import = PaperImport(
        questionnaire_version_id=version.id,
        filename="forms.xlsx",
        content_hash="abc",
        imported_on=TODAY,
        imported_rows=1,
        rejected_rows=0,
        collection_point_id=None,
    )
    db.session.add(paper_import)
    db.session.commit()
    paper = _sent_with_no_campaign("young-people", 0, key=row_key("abc", 2))
    make_campaign(["young-people"])
    assert "Every online response belongs to a campaign." in runner.invoke(args=["responses", "unclaimed"]).output
    assert "0 response(s)" in runner.invoke(args=["responses", "claim", "youth-safety"]).output
    assert db.session.scalar(select(Response.campaign_id).where(Response.id == paper.id)) is None
