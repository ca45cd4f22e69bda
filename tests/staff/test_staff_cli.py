"""`flask users create`, `flask users demo`, `flask users code`, `flask population load`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from survey_app.models import AuditEvent, Campaign, Partnership, PopulationEstimate, StaffUser
from survey_app.staff.accounts.passwords import verify_password
from survey_app.staff.cli import DEMO_PASSWORD


def test_first_administrator(app, db, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Lead@Council.example",
            "--name",
            "Sam Lead",
            "--partnership",
            "Safer Trafford",
            "--area-code",
            "E08000009",
            "--password",
            "tidy river stones glow",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(StaffUser))
    assert (user.email, user.role, user.partnership.name) == ("lead@council.example", "administrator", "Safer Trafford")
    assert user.password_hash.startswith("$argon2id$") and verify_password(user.password_hash, "tidy river stones glow")
    assert user.totp_secret is None, "the authenticator is set up at first sign-in"
    event = db.session.scalar(select(AuditEvent))
    assert event.action == "user_created" and event.actor == "command line"


def test_create_refuses_a_common_password(app, db, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "a@b.example",
            "--name",
            "A",
            "--partnership",
            "P",
            "--password",
            "password1234",
        ]
    )
    assert result.exit_code == 1 and "common passwords" in result.output
    assert db.session.scalar(select(func.count()).select_from(StaffUser)) == 0


def test_demo_accounts_sign_in(app, db, runner, client):
    db.session.add(Campaign(slug="demo", name="Demo", opens_on=dt.date(2026, 1, 1), closes_on=dt.date(2026, 2, 1)))
    db.session.commit()
    result = runner.invoke(args=["users", "demo"])
    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD in result.output
    users = db.session.scalars(select(StaffUser)).all()
    assert len(users) == 6 and len({u.role for u in users}) == 6
    campaign = db.session.scalar(select(Campaign))
    assert campaign.partnership_id == db.session.scalar(select(Partnership.id)) and campaign.targets
    assert db.session.scalar(select(func.count()).select_from(PopulationEstimate)) == 182
    analyst = next(u for u in users if u.role == "analyst")
    code = runner.invoke(args=["users", "code", analyst.email]).output.strip()
    assert len(code) == 6 and code.isdigit()
    assert client.post("/staff/login", data={"email": analyst.email, "password": DEMO_PASSWORD}).status_code == 302
    assert client.post("/staff/login/code", data={"code": code}).status_code == 302
    assert client.get("/staff/").status_code == 200
    assert runner.invoke(args=["users", "demo"]).exit_code == 0, "running it again changes nothing"
    assert db.session.scalar(select(func.count()).select_from(StaffUser)) == 6


def test_population_load(app, db, runner):
    result = runner.invoke(args=["population", "load"])
    assert result.exit_code == 0 and "Stored 182 population cells" in result.output
    twelve = db.session.scalars(select(PopulationEstimate.people).where(PopulationEstimate.age == 12)).all()
    assert sorted(twelve) == [1765, 1885]
    assert runner.invoke(args=["population", "load"]).exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(PopulationEstimate)) == 182, "loading again replaces"
