"""Nothing that identifies a respondent is stored or logged.

The schema (in the models and in a database built by the migrations) has no column for a name,
email, phone number, address, IP address, user agent or exact time on the tables that hold answers,
and no column anywhere for IP addresses or user agents. A whole journey through the app, from an
address and browser we can recognise, leaves neither in the logs, the database or the cookie.
"""

from __future__ import annotations

import logging
import re
import runpy
import threading
from http.client import HTTPConnection
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import Date, DateTime, Interval, MetaData, String, Text, Time, inspect, select
from sqlalchemy.types import TypeEngine
from werkzeug.serving import make_server

from survey_app import create_app
from survey_app.config import PACKAGE, ROOT, Config
from survey_app.extensions import db as _db
from survey_app.models import Response
from tests.journey_helpers import complete, open_a_campaign_if_none_is, submission_key
from tests.test_migrations import logging_restored

#: tables that hold what a respondent gave us (tables pointing at `response` are added to these)
RESPONDENT_TABLES = {"response", "answer", "draft"}

#: words that must not appear in a column name on a respondent table, and why
RESPONDENT_WORDS = {
    "name": "a person's name",
    "surname": "a person's name",
    "forename": "a person's name",
    "fullname": "a person's name",
    "username": "an account name",
    "user": "an account",
    "account": "an account",
    "login": "an account",
    "student": "a pupil id",
    "pupil": "a pupil id",
    "upn": "a pupil id",
    "nhs": "an NHS number",
    "email": "an email address",
    "mail": "an email address",
    "phone": "a phone number",
    "mobile": "a phone number",
    "tel": "a phone number",
    "telephone": "a phone number",
    "address": "an address",
    "addr": "an address",
    "postcode": "a postcode",
    "zip": "a postcode",
    "street": "an address",
    "latitude": "a location",
    "longitude": "a location",
    "lat": "a location",
    "lon": "a location",
    "lng": "a location",
    "gps": "a location",
    "geo": "a location",
    "dob": "a date of birth",
    "birth": "a date of birth",
    "birthday": "a date of birth",
    "time": "an exact time",
    "timestamp": "an exact time",
    "datetime": "an exact time",
    "ts": "an exact time",
    "hour": "an exact time",
    "minute": "an exact time",
    "seconds": "an exact time",
}
#: words that must not appear in any column name on any table
EVERYWHERE_WORDS = {
    "ip": "an IP address",
    "ipv4": "an IP address",
    "ipv6": "an IP address",
    "ipaddress": "an IP address",
    "remote": "a client address",
    "remoteaddr": "a client address",
    "host": "a client address",
    "agent": "a user agent",
    "useragent": "a user agent",
    "ua": "a user agent",
    "browser": "a user agent",
    "device": "a device",
    "fingerprint": "a device fingerprint",
    "referrer": "where someone came from",
    "referer": "where someone came from",
}
#: fragments that give these away even run together ("emailAddress", "client_ipaddr", "created_at")
RESPONDENT_FRAGMENTS = (
    "email",
    "phone",
    "postcode",
    "surname",
    "forename",
    "fullname",
    "username",
    "birth",
    "timestamp",
    "datetime",
)
EVERYWHERE_FRAGMENTS = ("ipaddr", "remoteaddr", "useragent", "fingerprint")

REMOTE_ADDR = "203.0.113.9"
USER_AGENT = "UniqueAgent/9.9"


def words(column: str) -> list[str]:
    """A column name's words: 'client_IP_addr' -> ['client', 'ip', 'addr']."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", column)
    return [w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w]


def name_problems(table: str, column: str, respondent: bool) -> list[str]:
    """Why a column name suggests personal data, if it does."""
    found, parts = [], words(column)
    run_together = "".join(parts)
    checks = [(EVERYWHERE_WORDS, EVERYWHERE_FRAGMENTS)]
    if respondent:
        checks.append((RESPONDENT_WORDS, RESPONDENT_FRAGMENTS))
        if len(parts) > 1 and parts[-1] == "at":  # created_at, submitted_at: the usual timestamp names
            found.append(f"{table}.{column} looks like an exact time ('..._at')")
    for banned_words, fragments in checks:
        hits = [w for w in parts if w in banned_words]
        for word in hits:
            found.append(f"{table}.{column} looks like {banned_words[word]} ('{word}')")
        if not hits:
            for fragment in fragments:
                if fragment.replace("_", "") in run_together:
                    found.append(f"{table}.{column} looks like personal data ('{fragment}')")
    return found


def type_problems(table: str, column: str, type_: TypeEngine) -> list[str]:
    """Respondent tables keep days, never times: a DATETIME/TIMESTAMP/TIME column is a problem."""
    name = type(type_).__name__.upper()
    if isinstance(type_, DateTime | Time | Interval) or "TIME" in name or "INTERVAL" in name:
        return [f"{table}.{column} is {name}: respondent tables keep a date (Date) at most, never a time"]
    return []


def respondent_tables(metadata: MetaData) -> set[str]:
    """The respondent tables, plus any table that points at one of them (such as future extras)."""
    tables = set(RESPONDENT_TABLES)
    for table in metadata.tables.values():
        if any(fk.column.table.name in RESPONDENT_TABLES for fk in table.foreign_keys):
            tables.add(table.name)
    return tables


def schema_problems(columns: dict[str, list[tuple[str, TypeEngine]]], respondent: set[str]) -> list[str]:
    """Every privacy problem in a {table: [(column, type)]} listing."""
    problems = []
    for table, cols in sorted(columns.items()):
        for column, type_ in cols:
            problems += name_problems(table, column, table in respondent)
            if table in respondent:
                problems += type_problems(table, column, type_)
    return problems


def model_columns() -> dict[str, list[tuple[str, TypeEngine]]]:
    return {t.name: [(c.name, c.type) for c in t.columns] for t in _db.metadata.tables.values()}


def test_the_checks_catch_what_they_are_for() -> None:
    """The rules themselves: these columns must be refused, and today's must pass."""
    bad = {
        "response": [
            ("ip_address", String()),
            ("user_agent", Text()),
            ("submitted_at", DateTime()),
            ("respondent_name", String()),
            ("email", String()),
            ("contactPhone", String()),
            ("home_address", String()),
            ("created", DateTime()),
        ],
        "campaign": [("remote_addr", String()), ("clientIPAddr", String())],
        "answer": [("answered_time", String())],
    }
    problems = schema_problems(bad, RESPONDENT_TABLES)
    for column in (
        "ip_address",
        "user_agent",
        "submitted_at",
        "respondent_name",
        "email",
        "contactPhone",
        "home_address",
        "remote_addr",
        "clientIPAddr",
        "answered_time",
    ):
        assert any(f".{column} " in p for p in problems), (column, problems)
    assert any("response.created is DATETIME" in p for p in problems), problems
    # Names of things (not people) are fine outside the respondent tables.
    assert (
        schema_problems({"campaign": [("name", String())], "collection_point": [("name", String())]}, RESPONDENT_TABLES)
        == []
    )
    assert schema_problems({"response": [("submitted_on", Date()), ("language", String())]}, RESPONDENT_TABLES) == []


def test_models_store_nothing_that_identifies_a_respondent() -> None:
    tables = set(_db.metadata.tables)
    assert tables >= RESPONDENT_TABLES, f"expected respondent tables {RESPONDENT_TABLES}, the models have {tables}"
    assert schema_problems(model_columns(), respondent_tables(_db.metadata)) == []


def test_migrated_database_stores_nothing_that_identifies_a_respondent(tmp_path: Path) -> None:
    app = create_app(Config.for_tests(database_url=f"sqlite:///{tmp_path / 'migrated.sqlite'}"))
    with logging_restored(), app.app_context():
        upgrade(directory=str(PACKAGE / "migrations"))
        inspector = inspect(_db.engine)
        columns = {
            t: [(c["name"], c["type"]) for c in inspector.get_columns(t)]
            for t in inspector.get_table_names()
            if t != "alembic_version"
        }
        _db.engine.dispose()
    assert set(columns) >= RESPONDENT_TABLES
    submitted_on = dict(columns["response"])["submitted_on"]
    assert isinstance(submitted_on, Date) and not isinstance(submitted_on, DateTime)
    assert schema_problems(columns, respondent_tables(_db.metadata)) == []


def every_stored_text(app: Flask) -> str:
    """Every value in every row of every table, as one string to search."""
    chunks = []
    with app.app_context():
        for table in _db.metadata.sorted_tables:
            for row in _db.session.execute(select(table)):
                chunks += [repr(value) for value in row]
    return "\n".join(chunks)


def logged_text(records: list[logging.LogRecord]) -> str:
    """Everything a log record carries: message, arguments and any extra fields."""
    return "\n".join(f"{r.name} {r.getMessage()} {r.args!r} {r.__dict__!r}" for r in records)


@pytest.fixture
def canary_logging(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """caplog at DEBUG, after proving that records from the app and werkzeug reach it."""
    caplog.set_level(logging.DEBUG)
    for name in ("survey_app", "werkzeug", "flask_migrate"):
        assert not logging.getLogger(name).disabled, f"logger {name} was disabled by an earlier test"
    logging.getLogger("survey_app").debug("canary-app")
    logging.getLogger("werkzeug").warning("canary-werkzeug")
    assert {"canary-app", "canary-werkzeug"} <= {r.getMessage() for r in caplog.records}
    caplog.clear()
    return caplog


def test_a_whole_journey_logs_and_stores_no_address_or_browser(
    app: Flask, client, loaded, canary_logging: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    client.environ_base.update({"REMOTE_ADDR": REMOTE_ADDR, "HTTP_USER_AGENT": USER_AGENT})
    for path in ("/", "/start", "/help", "/about-your-answers", "/no-such-page"):
        client.get(path, headers={"User-Agent": USER_AGENT})
    check = complete(client)
    sent = client.post(
        "/survey/check", data={"submission_key": submission_key(check)}, headers={"User-Agent": USER_AGENT}
    )
    assert sent.status_code == 303
    client.get(sent.location, headers={"User-Agent": USER_AGENT})

    # The journey really went through the app as that address and browser...
    with app.app_context():
        assert _db.session.scalar(select(Response)) is not None
    # ...and nothing kept either of them.
    logged = logged_text(canary_logging.records)
    assert REMOTE_ADDR not in logged and USER_AGENT not in logged
    stored = every_stored_text(app)
    assert REMOTE_ADDR not in stored and USER_AGENT not in stored
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    if cookie is not None:
        session = app.session_interface.get_signing_serializer(app).loads(cookie.value)
        assert REMOTE_ADDR not in repr(session) and USER_AGENT not in repr(session)


def test_the_development_server_keeps_no_access_log(
    app: Flask, loaded, canary_logging: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    """`flask run` (werkzeug) logs every request with the client's address unless told not to."""
    open_a_campaign_if_none_is()
    server_address, client_address = "127.0.0.77", "127.0.0.88"  # loopback, but easy to spot
    server = make_server(server_address, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for path in ("/", "/start", "/no-such-page"):
            connection = HTTPConnection(server_address, server.port, timeout=10, source_address=(client_address, 0))
            connection.request("GET", path, headers={"User-Agent": USER_AGENT})
            response = connection.getresponse()
            response.read()
            connection.close()
            assert response.status in (200, 404)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    logged = logged_text(canary_logging.records)
    assert client_address not in logged, logged
    assert USER_AGENT not in logged
    assert "GET /start" not in logged


def test_gunicorn_keeps_no_access_log() -> None:
    """Production runs `gunicorn -c gunicorn.conf.py wsgi:app`: no access log, no debug messages."""
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["accesslog"] is None
    assert settings.get("disable_redirect_access_to_syslog") is True
    assert settings.get("loglevel", "info") in ("info", "warning", "error", "critical")
    assert "access_log_format" not in settings
    assert "logconfig" not in settings and "logconfig_dict" not in settings
