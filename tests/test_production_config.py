"""Production configuration fails closed: known environments only, every safety setting required,
every setting typed and checked at start-up, and what production serves and logs hardened."""

from __future__ import annotations

import logging
import os
import runpy
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from gunicorn.config import Config as GunicornConfig
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from survey_app import create_app
from survey_app.config import ROOT, Config, ConfigError
from survey_app.extensions import db as _db
from tests.conftest import FIXTURES
from tests.test_migrations import logging_restored

KEY = secrets.token_hex(32)
CLIENT_ADDRESS = "203.0.113.77"


def production_env(tmp_path: Path, **more: str) -> dict[str, str]:
    """Everything production needs, plus `more`."""
    return {
        "COMMUNITY_VOICE_ENV": "production",
        "SECRET_KEY": KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite'}",
        **more,
    }


@pytest.mark.parametrize("name", ["prod", "Production", "dev", "staging", ""])
def test_an_unknown_environment_refuses_to_start(name: str) -> None:
    with pytest.raises(ConfigError, match="not an environment this app knows.*production, development, testing"):
        Config.from_env({"COMMUNITY_VOICE_ENV": name, "SECRET_KEY": KEY})


def test_the_web_entry_point_refuses_a_mistyped_environment(tmp_path: Path) -> None:
    """`flask --app wsgi ...` (and gunicorn's wsgi:app) stop with the reason, before anything runs."""
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    env["COMMUNITY_VOICE_ENV"] = "prod"
    result = subprocess.run(  # noqa: S603 - our own interpreter and entry point
        [sys.executable, "-m", "flask", "--app", "wsgi", "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "refuses to start" in result.stderr and "'prod'" in result.stderr
    assert "users" not in result.stdout, "no command list for an app that did not start"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": "short-and-guessable"}, "SECRET_KEY is too short"),
        ({"DATABASE_URL": ""}, "DATABASE_URL is not set"),
        ({"SECURE_COOKIES": "0"}, "SECURE_COOKIES is off"),
    ],
)
def test_production_refuses_to_start_without_each_safety_setting(tmp_path: Path, change: dict, words: str) -> None:
    assert Config.from_env(production_env(tmp_path)).secure_cookies
    with pytest.raises(ConfigError, match=words):
        Config.from_env(production_env(tmp_path, **change))


def test_a_hand_built_production_config_is_checked_too(tmp_path: Path) -> None:
    good = Config.from_env(production_env(tmp_path))
    for field, value, words in (
        ("secure_cookies", False, "SECURE_COOKIES"),
        ("csrf_enabled", False, "CSRF"),
        ("environment", "prod", "COMMUNITY_VOICE_ENV"),
    ):
        bad = Config.from_env(production_env(tmp_path))
        setattr(bad, field, value)
        with pytest.raises(ConfigError, match=words):
            create_app(bad)
    assert create_app(good).config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("KIOSK_IDLE_SECONDS", "three minutes", "KIOSK_IDLE_SECONDS must be a whole number, not 'three minutes'"),
        ("TRUSTED_PROXY_HOPS", "1.5", "TRUSTED_PROXY_HOPS must be a whole number"),
        ("TRUSTED_PROXY_HOPS", "-1", "TRUSTED_PROXY_HOPS must be at least 0"),
        ("STAFF_IDLE_MINUTES", "0", "STAFF_IDLE_MINUTES must be at least 1"),
        ("MIN_SECONDS_ON_CHECK", "soon", "MIN_SECONDS_ON_CHECK must be a number"),
        ("SECURE_COOKIES", "maybe", "SECURE_COOKIES must be one of"),
        ("LANGUAGES", "en,xx", "no compiled translations for it"),
        ("DEFAULT_LANGUAGE", "pl", "DEFAULT_LANGUAGE 'pl' is not one of LANGUAGES"),
        ("SAFEGUARDING_RULES_FILE", "/no/such/rules.yaml", "without rules no answer could be flagged"),
        ("QUESTIONNAIRE_FOLDER", "/no/such/folder", "QUESTIONNAIRE_FOLDER /no/such/folder is not a folder"),
    ],
)
def test_a_bad_setting_stops_the_start_with_its_name(tmp_path: Path, name: str, value: str, words: str) -> None:
    env = production_env(tmp_path, **{name: value})
    if name == "DEFAULT_LANGUAGE":
        env["LANGUAGES"] = "en,ur"
    with pytest.raises(ConfigError, match=words):
        Config.from_env(env)


def test_every_setting_from_the_environment_reaches_the_app(tmp_path: Path) -> None:
    services = tmp_path / "services.yaml"
    services.write_text("services: []\n")
    env = production_env(
        tmp_path,
        QUESTIONNAIRE_FOLDER=str(FIXTURES),
        LANGUAGES="en,pl",
        DEFAULT_LANGUAGE="pl",
        DRAFT_DAYS="14",
        TRUSTED_PROXY_HOPS="2",
        TRUSTED_HOSTS="survey.example.org, www.survey.example.org",
        HSTS_SECONDS="600",
        MAX_CONTENT_LENGTH="1_000_000",
        MAX_UPLOAD_BYTES="5000000",
        MIN_SECONDS_ON_CHECK="1.5",
        SENDS_PER_BROWSER="3",
        CODE_BUCKET_LIMIT="12",
        KIOSK_IDLE_SECONDS="90",
        LOCAL_SERVICES_FILE=str(services),
        STAFF_IDLE_MINUTES="20",
        STAFF_ABSOLUTE_HOURS="8",
        CODING_RETRAIN_INLINE="yes",
    )
    config = Config.from_env(env)
    app = create_app(config)
    assert config.questionnaire_folder == FIXTURES and config.languages == ("en", "pl")
    assert (config.draft_days, config.trusted_proxy_hops, config.hsts_seconds) == (14, 2, 600)
    assert app.config["TRUSTED_HOSTS"] == ["survey.example.org", "www.survey.example.org"]
    assert app.config["BABEL_DEFAULT_LOCALE"] == "pl"
    assert app.config["MAX_CONTENT_LENGTH"] == 1_000_000 and app.config["MAX_UPLOAD_BYTES"] == 5_000_000
    assert app.config["MIN_SECONDS_ON_CHECK"] == 1.5
    assert (app.config["SENDS_PER_BROWSER"], app.config["CODE_BUCKET_LIMIT"]) == (3, 12)
    assert app.config["KIOSK_IDLE_SECONDS"] == 90 and app.config["LOCAL_SERVICES_FILE"] == str(services)
    assert (app.config["STAFF_IDLE_MINUTES"], app.config["STAFF_ABSOLUTE_HOURS"]) == (20, 8)
    assert app.config["CODING_RETRAIN_INLINE"] is True


def test_demo_accounts_and_printed_codes_are_for_development_only(tmp_path: Path) -> None:
    assert not Config.from_env(production_env(tmp_path)).is_development
    assert Config.from_env({"COMMUNITY_VOICE_ENV": "development"}).is_development
    assert Config.for_tests().is_development
    app = create_app(Config.from_env(production_env(tmp_path)))
    with app.app_context():
        _db.create_all()
        runner = app.test_cli_runner()
        for args in (["users", "demo"], ["users", "code", "administrator@demo.community-voice.invalid"]):
            result = runner.invoke(args=args)
            assert result.exit_code == 1 and "only for development" in result.output, (args, result.output)
        _db.engine.dispose()


@pytest.fixture
def production_command_line(tmp_path: Path) -> Iterator[Flask]:
    """The app as `flask` builds it in production with neither SECRET_KEY nor DATABASE_URL set."""
    app = create_app(Config.from_env({"COMMUNITY_VOICE_ENV": "production"}, command_line=True))
    yield app
    with app.app_context():
        _db.engine.dispose()


def test_commands_that_need_no_secret_or_database_run_without_them(production_command_line: Flask) -> None:
    runner = production_command_line.test_cli_runner()
    status = runner.invoke(args=["translate", "status"])
    assert status.exit_code == 0 and "messages" in status.output, status.output
    validate = runner.invoke(args=["questionnaires", "validate"])
    assert validate.exit_code == 0 and "no problems" in validate.output, validate.output


def test_a_production_command_without_a_database_says_so_and_touches_nothing(production_command_line: Flask) -> None:
    default_database = Path(production_command_line.instance_path) / "community_voice.sqlite"
    before = default_database.stat().st_mtime_ns if default_database.exists() else None
    result = production_command_line.test_cli_runner().invoke(args=["drafts", "purge"])
    assert result.exit_code != 0
    assert isinstance(result.exception, ConfigError) and "DATABASE_URL is not set" in str(result.exception)
    after = default_database.stat().st_mtime_ns if default_database.exists() else None
    assert before == after, "the instance folder's SQLite database was neither made nor opened"


def test_an_app_built_for_commands_serves_no_page(production_command_line: Flask) -> None:
    client = production_command_line.test_client()
    assert client.get("/").status_code == 503
    assert client.get("/staff/login").status_code == 503


def test_sql_errors_hide_the_answers_outside_development(tmp_path: Path) -> None:
    def failed_statement(config: Config) -> str:
        app = create_app(config)
        with app.app_context():
            with pytest.raises(OperationalError) as failure:
                _db.session.execute(text("INSERT INTO no_such_table VALUES (:answer)"), {"answer": "my secret answer"})
            _db.session.rollback()
            _db.engine.dispose()
        return str(failure.value)

    assert "my secret answer" not in failed_statement(Config.from_env(production_env(tmp_path)))
    assert "my secret answer" not in failed_statement(Config.for_tests(f"sqlite:///{tmp_path / 't.sqlite'}"))
    development = Config.from_env({"COMMUNITY_VOICE_ENV": "development", "DATABASE_URL": f"sqlite:///{tmp_path / 'd'}"})
    assert "my secret answer" in failed_statement(development), "development shows them, to debug"


def test_sqlite_settings_apply_to_this_apps_database_only(app: Flask) -> None:
    other = create_engine("sqlite://")
    with other.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 0, "another engine is left alone"
    other.dispose()
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert _db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_too_large_answer_gets_a_kind_page_with_the_quick_exit(client, loaded) -> None:  # type: ignore[no-untyped-def]
    client.post("/start", data={"questionnaire": "all-types"})
    page = client.post("/survey/page/words", data={"one_word": "x" * (3 * 1024 * 1024), "action": "continue"})
    assert page.status_code == 413
    assert "That was too much to send" in page.text
    assert "Leave this site quickly" in page.text and "Get help" in page.text
    assert 'href="/survey/page/words"' in page.text, "a way back to the page"


def test_staff_uploads_may_be_bigger_than_respondent_forms(client, app: Flask) -> None:  # type: ignore[no-untyped-def]
    body = b"x" * (3 * 1024 * 1024)
    assert client.post("/start", data=body, content_type="application/octet-stream").status_code == 413
    staff = client.post("/staff/login", data=body, content_type="application/octet-stream")
    assert staff.status_code != 413
    too_big = b"x" * (app.config["MAX_UPLOAD_BYTES"] + 1)
    refused = client.post("/staff/login", data=too_big, content_type="application/octet-stream")
    assert refused.status_code == 413 and "That file is too big" in refused.text


def test_every_response_carries_the_permissions_policy(client, loaded) -> None:  # type: ignore[no-untyped-def]
    for path in ("/", "/start", "/staff/login", "/static/css/respond.css", "/no-such-page"):
        with client.get(path) as response:
            policy = response.headers.get("Permissions-Policy", "")
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy, path


def test_hsts_only_over_https(client, loaded) -> None:  # type: ignore[no-untyped-def]
    assert "Strict-Transport-Security" not in client.get("/").headers
    over_https = client.get("/", base_url="https://survey.example.org")
    assert over_https.headers["Strict-Transport-Security"] == "max-age=31536000"


def gunicorn_logger(capsys: pytest.CaptureFixture[str]) -> logging.Logger:
    """The logger gunicorn builds from gunicorn.conf.py, writing to the captured stderr."""
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    cfg = GunicornConfig()
    for name, value in settings.items():
        if name in cfg.settings:
            cfg.set(name, value)
    return cfg.logger_class(cfg)


def test_gunicorn_writes_no_client_address(capsys: pytest.CaptureFixture[str]) -> None:
    with logging_restored():
        log = gunicorn_logger(capsys)
        # What gunicorn's worker logs for a malformed request, word for word.
        log.warning(f"Invalid request from ip={CLIENT_ADDRESS}: Invalid HTTP method: 'GE T'")
        log.warning("Invalid request from ip=2001:db8::77: %s", f"'PROXY TCP4 {CLIENT_ADDRESS} 10.0.0.1 4000 80'")
        try:
            raise ValueError(f"peer {CLIENT_ADDRESS} went away")
        except ValueError:
            log.exception("Error handling request /survey/check")
        log.access(None, None, {"REMOTE_ADDR": CLIENT_ADDRESS}, None)
    written = capsys.readouterr()
    assert "Invalid request from ip=[address not logged]: Invalid HTTP method" in written.err
    assert "Error handling request /survey/check" in written.err and "went away" in written.err
    assert CLIENT_ADDRESS not in written.err + written.out
    assert "2001:db8::77" not in written.err
