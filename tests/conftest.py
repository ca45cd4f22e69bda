"""Shared fixtures: an app on a fresh database (SQLite by default, PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from survey_app import create_app
from survey_app.config import ROOT, Config
from survey_app.extensions import db as _db
from survey_app.questionnaire_store import load_questionnaires

FIXTURES = Path(__file__).parent / "fixtures"
PG_URL = os.environ.get("TEST_DATABASE_URL", "")


def _database_for_this_worker(url: str) -> str:
    """With pytest-xdist each worker gets its own PostgreSQL database (test_gw0, test_gw1, made if
    missing), because every test empties the tables and the migration test drops the schema."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


PG_URL = _database_for_this_worker(PG_URL)
requires_postgres = pytest.mark.skipif(
    not PG_URL, reason="PostgreSQL not configured: set TEST_DATABASE_URL=postgresql+psycopg://... to run"
)


def database_url(tmp_path: Path) -> str:
    """PostgreSQL when TEST_DATABASE_URL is set, else a fresh SQLite file for this test."""
    return PG_URL or f"sqlite:///{tmp_path / 'test.sqlite'}"


def reset_postgres(app: Flask) -> None:
    """Start each PostgreSQL test from empty tables (the schema is made once, then truncated)."""
    with app.app_context():
        tables = ", ".join(f'"{t.name}"' for t in _db.metadata.sorted_tables)
        # A previous browser test's server may still be finishing a request (or a background
        # retraining) when the next test starts; TRUNCATE then deadlocks with it. PostgreSQL picks
        # one side to fail: roll back, let the other finish, and try again.
        for attempt in range(5):
            try:
                _db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
                _db.session.commit()
                return
            except OperationalError:
                _db.session.rollback()
                if attempt == 4:
                    raise
                time.sleep(0.5 * (attempt + 1))


@pytest.fixture(scope="session")
def _postgres_schema() -> Iterator[None]:
    if not PG_URL:
        yield
        return
    app = create_app(Config.for_tests(database_url=PG_URL))
    with app.app_context():
        _db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        _db.session.commit()
        _db.create_all()
    yield
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def questionnaire_folder(tmp_path: Path) -> Path:
    """A copy of the test questionnaires (every type), which a test may edit."""
    folder = tmp_path / "questionnaires"
    shutil.copytree(FIXTURES, folder)
    return folder


@pytest.fixture
def app(tmp_path: Path, questionnaire_folder: Path, _postgres_schema: None) -> Iterator[Flask]:
    """The app on an empty database with tables made, inside an app context."""
    app = create_app(Config.for_tests(database_url=database_url(tmp_path), questionnaire_folder=questionnaire_folder))
    if PG_URL:
        reset_postgres(app)
    with app.app_context():
        if not PG_URL:
            _db.create_all()
        yield app
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def db(app: Flask):  # type: ignore[no-untyped-def]
    """The database extension, bound to the test app."""
    return _db


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test browser with its own cookie jar."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Runs `flask ...` commands against the test app."""
    return app.test_cli_runner()


@pytest.fixture
def loaded(app: Flask, questionnaire_folder: Path) -> Callable[[], None]:
    """Load the test questionnaires (every type); call again after editing a file."""

    def load() -> None:
        load_questionnaires(questionnaire_folder)
        _db.session.commit()

    load()
    return load


@pytest.fixture
def shipped_app(tmp_path: Path, _postgres_schema: None) -> Iterator[Flask]:
    """The app with the real shipped questionnaires loaded."""
    app = create_app(
        Config.for_tests(database_url=database_url(tmp_path), questionnaire_folder=ROOT / "questionnaires")
    )
    if PG_URL:
        reset_postgres(app)
    with app.app_context():
        if not PG_URL:
            _db.create_all()
        load_questionnaires(ROOT / "questionnaires")
        _db.session.commit()
        yield app
        _db.session.remove()
        _db.engine.dispose()
