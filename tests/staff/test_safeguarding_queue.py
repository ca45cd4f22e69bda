"""The safeguarding queue: what a reviewer sees, recording outcomes, and what the audit log keeps."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from survey_app.models import AuditEvent, SafeguardingFlag
from tests.staff.conftest import FLAG_WORDS, World


def test_queue_shows_the_flag_with_its_context_and_age(app, db, world: World, session_for, fake_clock):
    fake_clock.now = dt.datetime(2026, 1, 12, 9, 0)
    page = session_for(world.a.users["safeguarding_reviewer"]).get("/staff/safeguarding")
    assert page.status_code == 200
    html = page.text
    assert f"{FLAG_WORDS} (alderley-2026)" in html
    assert "Says they carry a weapon for protection" in html
    assert world.a.campaign.name in html and world.a.points[0].name in html
    assert "5 January 2026" in html and "7 days old" in html and "waiting more than a day" in html
    assert "Waiting for review (1)" in html
    assert "brookfield" not in html


def test_recording_an_outcome(app, db, world: World, session_for):
    reviewer = session_for(world.a.users["safeguarding_reviewer"])
    flag_id = world.a.flag.id
    missing_note = reviewer.post(f"/staff/safeguarding/{flag_id}/outcome", data={"outcome": "other", "note": ""})
    assert missing_note.status_code == 302
    db.session.expire_all()
    assert db.session.get(SafeguardingFlag, flag_id).outcome is None
    note = "Shared with the DSL at the school under the protocol"
    done = reviewer.post(f"/staff/safeguarding/{flag_id}/outcome", data={"outcome": "shared_with_dsl", "note": note})
    assert done.status_code == 302
    db.session.expire_all()
    flag = db.session.get(SafeguardingFlag, flag_id)
    assert (flag.outcome, flag.outcome_note, flag.reviewed_on is not None) == ("shared_with_dsl", note, True)
    assert "Nothing is waiting for review." in reviewer.get("/staff/safeguarding").text
    reviewed = reviewer.get("/staff/safeguarding?show=reviewed").text
    assert "Information shared with the school&#39;s designated safeguarding lead" in reviewed and note in reviewed
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "safeguarding_outcome"))
    assert event.target == f"flag:{flag_id}" and event.details["outcome"] == "shared_with_dsl"
    # The log says a note was written, never what it (or the answer) says.
    logged = str(event.details) + str([e.details for e in db.session.scalars(select(AuditEvent))])
    assert note not in logged and FLAG_WORDS not in logged


def test_opening_the_queue_is_audited_without_the_words(app, db, world: World, session_for):
    session_for(world.a.users["safeguarding_reviewer"]).get("/staff/safeguarding")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "safeguarding_queue_viewed"))
    assert event.details["items"] == 1 and event.details["flags"] == [world.a.flag.id]
    assert FLAG_WORDS not in str(event.details)


def test_an_invalid_outcome_is_refused(app, db, world: World, session_for):
    reviewer = session_for(world.a.users["safeguarding_reviewer"])
    reviewer.post(f"/staff/safeguarding/{world.a.flag.id}/outcome", data={"outcome": "deleted_it"})
    db.session.expire_all()
    assert db.session.get(SafeguardingFlag, world.a.flag.id).outcome is None


def test_the_whole_answer_is_shown_with_the_matched_words_marked(app, db, world: World, session_for):
    from survey_app.staff.safeguarding.queue import highlight

    assert highlight("I keep a Blade under my bed", "blade") == [
        ("I keep a ", False),
        ("Blade", True),
        (" under my bed", False),
    ]
    assert highlight("<script>", "script") == [("<", False), ("script", True), (">", False)]
    assert highlight("", "x") == [] and highlight("words", None) == [("words", False)]
    world.a.flag.matched_text = "zebracrossing"
    db.session.commit()
    html = session_for(world.a.users["safeguarding_reviewer"]).get("/staff/safeguarding").text
    assert "<mark>zebracrossing</mark> unreviewed words alderley-2026 0" in html
