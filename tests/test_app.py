"""App set-up: configuration, the SQLite durability settings, campaigns and draft clean-up."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text

from survey_app.config import Config
from survey_app.models import Campaign, Draft, Response
from tests.conftest import PG_URL
from tests.journey_helpers import complete, open_a_campaign_if_none_is, submission_key


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        Config.from_env({"COMMUNITY_VOICE_ENV": "production"})
    config = Config.from_env(
        {"COMMUNITY_VOICE_ENV": "production", "SECRET_KEY": "k" * 64, "DATABASE_URL": "postgresql+psycopg://db/cv"}
    )
    assert config.secure_cookies


def test_development_gets_a_random_key_each_start():
    first = Config.from_env({"COMMUNITY_VOICE_ENV": "development"})
    second = Config.from_env({"COMMUNITY_VOICE_ENV": "development"})
    assert first.secret_key and first.secret_key != second.secret_key


@pytest.mark.skipif(bool(PG_URL), reason="SQLite settings; this run uses PostgreSQL")
def test_sqlite_is_durable_and_concurrent(db):
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    assert db.session.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path):
    from survey_app import create_app

    app = create_app(Config.for_tests(database_url=""))
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.instance_path in app.config["SQLALCHEMY_DATABASE_URI"]


def test_respondent_cookie_is_strictly_necessary_and_http_only(client, loaded):
    open_a_campaign_if_none_is()
    response = client.post("/start", data={"questionnaire": "all-types"})
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 1
    assert cookies[0].startswith("cv_respondent=")
    assert "HttpOnly" in cookies[0] and "SameSite=Lax" in cookies[0]
    assert "Expires" not in cookies[0]  # gone when the browser closes


def make_campaign(db, opens: dt.date, closes: dt.date, slug: str = "test-2026") -> Campaign:  # type: ignore[no-untyped-def]
    campaign = Campaign(
        slug=slug,
        name="Test Consultation 2026",
        description="",
        opens_on=opens,
        closes_on=closes,
        questionnaire_ids=["all-types"],
    )
    db.session.add(campaign)
    db.session.commit()
    return campaign


def test_responses_record_the_campaign_they_came_through(client, loaded, db):
    today = dt.date.today()
    campaign = make_campaign(db, today - dt.timedelta(days=5), today + dt.timedelta(days=5))
    assert client.get("/c/test-2026").status_code == 302
    assert "Test Consultation 2026" in client.get("/").text
    key = submission_key(complete(client))
    client.post("/survey/check", data={"submission_key": key})
    assert db.session.scalar(select(Response.campaign_id)) == campaign.id


@pytest.mark.parametrize(
    ("opens", "closes", "words"),
    [
        (10, 20, "This survey opens on"),
        (-20, -10, "This survey closed on"),
    ],
)
def test_campaign_outside_its_dates_is_a_friendly_page(client, loaded, db, opens, closes, words):
    today = dt.date.today()
    make_campaign(db, today + dt.timedelta(days=opens), today + dt.timedelta(days=closes))
    client.get("/c/test-2026")
    for url in ("/", "/start"):
        page = client.get(url)
        assert page.status_code == 200 and words in page.text
    assert client.post("/start", data={"questionnaire": "all-types"}).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Draft)) == 0


def test_unknown_campaign_is_not_found(client, loaded):
    assert client.get("/c/no-such-thing").status_code == 404


def test_purge_removes_only_old_drafts(client, loaded, db, runner):
    open_a_campaign_if_none_is()
    client.post("/start", data={"questionnaire": "all-types"})
    other = client.application.test_client()
    other.post("/start", data={"questionnaire": "all-types"})
    old = db.session.scalars(select(Draft)).first()
    old.active_on = dt.date.today() - dt.timedelta(days=45)
    db.session.commit()
    result = runner.invoke(args=["drafts", "purge", "--days", "30"])
    assert result.exit_code == 0 and "Removed 1" in result.output
    assert db.session.scalar(select(func.count()).select_from(Draft)) == 1
