"""Retention (`flask retention apply`), exports (CSV and JSON, formula-safe) and deleting a campaign."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import func, select

from survey_app.models import Answer, AuditEvent, Campaign, CollectionPoint, Response, SafeguardingFlag, StaffUser
from survey_app.staff.data.export import safe_cell
from tests.staff.conftest import SECRET_WORDS, World


def _count(db, model, *where) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_retention_removes_free_text_after_the_period(app, db, world: World, runner):
    a, b = world.a.campaign, world.b.campaign
    a.retention_days = 30  # closed 31 March 2026: long past
    b.retention_days = 3650  # kept
    # One answer with a choice and words ("Other: ..."), so retention keeps the choice and drops the words.
    first = db.session.scalars(select(Response).where(Response.campaign_id == a.id)).first()
    first.answers.append(Answer(question_key="worries", position=0, value="other", text="other words"))
    db.session.commit()
    result = runner.invoke(args=["retention", "apply"])
    assert result.exit_code == 0, result.output
    assert "alderley-2026: 0 response(s) deleted, 26 free-text answer(s) removed" in result.output
    a_ids = select(Response.id).where(Response.campaign_id == a.id)
    assert _count(db, Answer, Answer.response_id.in_(a_ids), Answer.text.is_not(None)) == 0
    assert _count(db, Answer, Answer.response_id.in_(a_ids), Answer.value == "other") == 1, "choices are kept"
    assert _count(db, Response, Response.campaign_id == a.id) == 25
    assert db.session.get(SafeguardingFlag, world.a.flag.id).matched_text is None
    b_ids = select(Response.id).where(Response.campaign_id == b.id)
    assert _count(db, Answer, Answer.response_id.in_(b_ids), Answer.text.is_not(None)) == 25
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention_applied"))
    assert event.target == f"campaign:{a.id}" and event.details["texts_removed"] == 26
    assert event.partnership_id == world.a.partnership.id and event.actor == "command line"
    again = runner.invoke(args=["retention", "apply"])
    assert "0 free-text answer(s) removed" in again.output
    assert _count(db, AuditEvent, AuditEvent.action == "retention_applied") == 1, "nothing removed, nothing logged"


def test_retention_can_remove_whole_responses(app, db, world: World, runner):
    world.a.campaign.retention_days, world.a.campaign.retention_action = 1, "responses"
    flag_id = world.a.flag.id
    db.session.commit()
    assert runner.invoke(args=["retention", "apply"]).exit_code == 0
    assert _count(db, Response, Response.campaign_id == world.a.campaign.id) == 0
    assert _count(db, SafeguardingFlag, SafeguardingFlag.id == flag_id) == 0
    assert _count(db, Response, Response.campaign_id == world.b.campaign.id) == 25


def test_formula_injection_is_defused():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    for start in "+-@\t\r":
        assert safe_cell(start + "1") == "'" + start + "1"
    assert safe_cell("fine words") == "fine words" and safe_cell(3) == 3


def test_csv_and_json_exports(app, db, world: World, session_for):
    first = db.session.scalars(select(Response).where(Response.campaign_id == world.a.campaign.id)).first()
    first.answers.append(Answer(question_key="one_word", position=0, text="=1+2"))
    db.session.commit()
    admin = session_for(world.a.users["administrator"])
    csv_response = admin.get(f"/staff/campaigns/{world.a.campaign.id}/export.csv")
    assert csv_response.status_code == 200 and "attachment" in csv_response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(csv_response.get_data(as_text=True))))
    assert len({r["response_id"] for r in rows}) == 25
    assert any(r["text"] == "'=1+2" for r in rows), "a formula is exported as text"
    assert all(not r["text"].startswith(("=", "+", "-", "@")) for r in rows)
    data = json.loads(admin.get(f"/staff/campaigns/{world.a.campaign.id}/export.json").get_data(as_text=True))
    assert data["campaign"]["slug"] == "alderley-2026" and len(data["responses"]) == 25
    assert any(SECRET_WORDS in a["text"] for r in data["responses"] for a in r["answers"] if a["text"])
    assert data["safeguarding_flags"][0]["rule"] == "weapon_for_protection"
    assert "brookfield" not in json.dumps(data)


def test_deleting_a_campaign(app, db, world: World, session_for):
    admin = session_for(world.a.users["administrator"])
    campaign_id, slug = world.a.campaign.id, world.a.campaign.slug
    coordinator_id = world.a.users["school_coordinator"].id
    url = f"/staff/campaigns/{campaign_id}/delete"
    wrong = admin.post(url, data={"confirm": "wrong"})
    assert wrong.status_code == 400
    page = wrong.get_data(as_text=True)
    assert f"Type {slug} exactly to confirm." in page and 'value="wrong"' in page and 'aria-invalid="true"' in page
    assert db.session.get(Campaign, campaign_id) is not None
    assert admin.post(url, data={"confirm": slug}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Campaign, campaign_id) is None
    assert _count(db, Response, Response.campaign_id == campaign_id) == 0
    assert _count(db, CollectionPoint, CollectionPoint.campaign_id == campaign_id) == 0
    assert db.session.get(StaffUser, coordinator_id).collection_points == []
    assert _count(db, Response, Response.campaign_id == world.b.campaign.id) == 25
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "campaign_deleted"))
    assert event.details["responses"] == 25 and event.details["slug"] == slug


def test_campaign_settings(app, db, world: World, session_for):
    admin = session_for(world.a.users["administrator"])
    url = f"/staff/campaigns/{world.a.campaign.id}/settings"
    assert admin.post(url, data={"retention_days": "abc", "retention_action": "free_text"}).status_code == 400
    saved = admin.post(
        url,
        data={"retention_days": "400", "retention_action": "responses", "target_total": "500", "target_children": ""},
    )
    assert saved.status_code == 302
    db.session.expire_all()
    campaign = db.session.get(Campaign, world.a.campaign.id)
    assert (campaign.retention_days, campaign.retention_action, campaign.targets) == (400, "responses", {"total": 500})
    assert _count(db, AuditEvent, AuditEvent.action == "campaign_settings_changed") == 1
