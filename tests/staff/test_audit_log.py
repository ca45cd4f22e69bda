"""The audit log: append-only, filterable by administrators, partnership-scoped, never holding answers."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from survey_app.models import AuditEvent
from survey_app.staff.auth import audit
from tests.staff.conftest import FLAG_WORDS, SECRET_WORDS, World


def test_events_cannot_be_changed_or_deleted(app, db, world: World):
    event = audit("test_event", "campaign:1", actor_email="someone@example.org", count=3)
    db.session.commit()
    event.action = "something_else"
    with pytest.raises(ValueError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(ValueError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(ValueError, match="append-only"):
        db.session.execute(update(AuditEvent).values(action="x"))
    db.session.rollback()
    with pytest.raises(ValueError, match="append-only"):
        db.session.execute(delete(AuditEvent))
    db.session.rollback()
    assert db.session.get(AuditEvent, event.id).action == "test_event"


def test_administrators_read_and_filter_their_partnership_log(app, db, world: World, sign_in, session_for):
    sign_in(world.a.users["analyst"])
    sign_in(world.b.users["analyst"])
    admin = session_for(world.a.users["administrator"])
    page = admin.get("/staff/audit?action=login").text
    assert world.a.users["analyst"].email in page
    assert world.b.users["analyst"].email not in page, "another partnership's log is not shown"
    assert admin.get("/staff/audit?actor=nobody-matches").text.count("No events match.") == 1
    assert "login" in admin.get("/staff/audit?from=2000-01-01&to=2999-12-31").text


def test_a_busy_session_never_writes_answers_to_the_log(app, db, world: World, session_for):
    """Every staff page that touches answers, by every role that may: the log holds no answer text."""
    campaign = world.a.campaign.id
    admin = session_for(world.a.users["administrator"])
    for url in (
        "/staff/",
        f"/staff/campaigns/{campaign}/dashboard",
        f"/staff/campaigns/{campaign}/export.csv",
        f"/staff/campaigns/{campaign}/export.json",
    ):
        assert admin.get(url).status_code == 200
    reviewer = session_for(world.a.users["safeguarding_reviewer"])
    reviewer.get("/staff/safeguarding")
    reviewer.post(f"/staff/safeguarding/{world.a.flag.id}/outcome", data={"outcome": "no_action", "note": "ok"})
    events = db.session.scalars(select(AuditEvent)).all()
    assert {"export", "dashboard_viewed", "safeguarding_queue_viewed", "safeguarding_outcome"} <= {
        e.action for e in events
    }
    everything = " ".join(f"{e.action} {e.target} {e.details}" for e in events)
    assert SECRET_WORDS not in everything and FLAG_WORDS not in everything
    exports = [e for e in events if e.action == "export"]
    assert sorted(e.details["format"] for e in exports) == ["csv", "json"]


def test_failed_sign_ins_reach_the_right_administrators(app, db, world: World, session_for):
    client = app.test_client()
    client.post("/staff/login", data={"email": world.a.users["viewer"].email, "password": "not it at all"})
    client.post("/staff/login", data={"email": "stranger@nowhere.example", "password": "my secret password"})
    failed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "login_failed").order_by(AuditEvent.id)
    ).all()
    assert [(e.actor, e.partnership_id) for e in failed] == [
        (world.a.users["viewer"].email, world.a.partnership.id),
        ("(unknown address)", None),
    ]
    assert "my secret password" not in str([e.details for e in failed])
    page = session_for(world.a.users["administrator"]).get("/staff/audit?action=login_failed").text
    assert world.a.users["viewer"].email in page and "stranger@" not in page
