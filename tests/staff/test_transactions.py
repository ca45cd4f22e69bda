"""One transaction rule: the view commits its own work once; nothing else commits it for it.

What these tests read, they read through a connection of their own, which sees only committed rows
(the tests' own database session is shared with the requests, so it would see uncommitted work too).
"""

from __future__ import annotations

from flask import request
from sqlalchemy import func, select

from survey_app.models import AuditEvent, SafeguardingFlag, StaffUser
from survey_app.models.staff import StaffSession
from tests.staff.conftest import PASSWORD, World


def _committed(db, query):  # type: ignore[no-untyped-def]
    with db.engine.connect() as connection:
        return connection.execute(query).scalar()


def test_the_session_store_never_commits_a_views_unfinished_work(app, db, world: World):
    colleague = world.a.colleague
    with app.test_request_context("/staff/"):
        session = app.session_interface.open_session(app, request)
        session["_user_id"] = str(world.a.users["viewer"].id)
        colleague.display_name = "changed by a view that never committed"
        app.session_interface.save_session(app, session, app.response_class(""))
    assert (
        _committed(db, select(StaffUser.display_name).where(StaffUser.id == colleague.id)) == "Colleague alderley-2026"
    )
    assert _committed(db, select(func.count()).select_from(StaffSession)) == 1, "the session itself was stored"
    db.session.rollback()


def test_a_cookieless_visit_to_the_sign_in_page_stores_no_session(app, db, world: World, fake_clock):
    for _ in range(3):
        assert app.test_client().get("/staff/login").status_code == 200
    assert _committed(db, select(func.count()).select_from(StaffSession)) == 0
    # Signing in still works, and makes the one row there is something to keep for.
    client = app.test_client()
    client.get("/staff/login")
    user = world.a.users["analyst"]
    assert client.post("/staff/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    assert _committed(db, select(func.count()).select_from(StaffSession)) == 1
    assert client.post("/staff/login/code", data={"code": fake_clock.code(user)}).status_code == 302
    assert client.get("/staff/").status_code == 200
    assert _committed(db, select(func.count()).select_from(StaffSession)) == 1, "the old id's row went"


def test_signing_out_ends_the_row_and_says_so(app, db, world: World, sign_in):
    client = sign_in(world.a.users["viewer"])
    assert _committed(db, select(func.count()).select_from(StaffSession)) == 1
    out = client.post("/staff/logout", follow_redirects=True)
    assert "You have signed out." in out.text
    assert _committed(db, select(func.count()).select_from(StaffSession)) == 0


def test_head_never_acts_on_a_form(app, db, world: World, session_for):
    admin = session_for(world.a.users["administrator"])
    made = admin.open(
        "/staff/users/new",
        method="HEAD",
        data={
            "email": "sneaky@alderley.example",
            "display_name": "Sneaky",
            "role": "administrator",
            "password": PASSWORD * 2,
        },
    )
    assert made.status_code == 200
    assert (
        _committed(db, select(func.count()).select_from(StaffUser).where(StaffUser.email == "sneaky@alderley.example"))
        == 0
    )
    slug = world.a.campaign.slug
    deleted = admin.open(f"/staff/campaigns/{world.a.campaign.id}/delete", method="HEAD", data={"confirm": slug})
    assert deleted.status_code == 200
    assert admin.get(f"/staff/campaigns/{world.a.campaign.id}/dashboard").status_code == 200, "campaign still there"


def test_views_commit_their_work_and_refusals_are_kept(app, db, world: World, session_for):
    admin = session_for(world.a.users["administrator"])
    made = admin.post(
        "/staff/users/new",
        data={"email": "new@alderley.example", "display_name": "New Person", "role": "viewer", "password": PASSWORD},
    )
    assert made.status_code == 302
    assert _committed(db, select(func.count()).select_from(StaffUser).where(StaffUser.email == "new@alderley.example"))
    assert _committed(db, select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "user_created"))

    reviewer = session_for(world.a.users["safeguarding_reviewer"])
    assert (
        reviewer.post(f"/staff/safeguarding/{world.a.flag.id}/outcome", data={"outcome": "no_action"}).status_code
        == 302
    )
    assert _committed(db, select(SafeguardingFlag.outcome).where(SafeguardingFlag.id == world.a.flag.id)) == "no_action"

    viewed = session_for(world.a.users["analyst"]).get(f"/staff/campaigns/{world.a.campaign.id}/dashboard")
    assert viewed.status_code == 200
    assert _committed(db, select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "dashboard_viewed"))

    refused = session_for(world.a.users["viewer"]).get("/staff/users")
    assert refused.status_code == 403
    assert _committed(db, select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "access_denied"))
