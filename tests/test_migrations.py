"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL.

Each test migrates its own empty database: a fresh SQLite file, or a PostgreSQL schema of its own
(`migration_test`), so the `public` schema that the other PostgreSQL tests share is never touched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from survey_app import create_app
from survey_app.config import PACKAGE, Config
from survey_app.extensions import db
from tests.conftest import PG_URL

MIGRATION_SCHEMA = "migration_test"
EXPECTED_TABLES = {
    "campaign",
    "collection_point",
    "questionnaire_version",
    "draft",
    "response",
    "answer",
    "safeguarding_flag",
    "codebook_version",
    "theme_code",
    "coder_model",
}


@contextmanager
def logging_restored() -> Iterator[None]:
    """migrations/env.py calls logging.config.fileConfig, which disables every logger that exists
    and replaces the root logger's handlers: put all that back, so later tests still see records."""

    def loggers() -> list[logging.Logger]:
        return [logging.getLogger()] + [
            lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)
        ]

    saved = {lg: (lg.disabled, lg.level, list(lg.handlers), lg.propagate) for lg in loggers()}
    try:
        yield
    finally:
        for lg in loggers():
            if lg in saved:
                lg.disabled, lg.level, handlers, lg.propagate = saved[lg]
                lg.handlers[:] = handlers
            else:  # made during the block (by create_app, say), then disabled by fileConfig
                lg.disabled = False


@pytest.fixture(autouse=True)
def _keep_logging_as_it_was() -> Iterator[None]:
    with logging_restored():
        yield


def migrated_app(database_url: str) -> Flask:
    """An app on the given (empty) database, upgraded to the newest migration."""
    app = create_app(Config.for_tests(database_url=database_url))
    with app.app_context():
        upgrade(directory=str(PACKAGE / "migrations"))
    return app


def differences(app: Flask) -> list[Any]:
    """What autogenerate would change to make the migrated database match the models."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": True})
        return compare_metadata(context, db.metadata)


def table_names(app: Flask) -> set[str]:
    """Tables in the app's database (its default schema), without Alembic's bookkeeping table."""
    with app.app_context():
        return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_sqlite_migrations_match_the_models(tmp_path: Path) -> None:
    app = migrated_app(f"sqlite:///{tmp_path / 'migrated.sqlite'}")
    try:
        assert table_names(app) >= EXPECTED_TABLES
        diff = differences(app)
        assert diff == [], (
            "The models and the migrations disagree. Make a migration with "
            f"`flask --app wsgi db migrate -m '...'` and check it by hand:\n{diff}"
        )
    finally:
        with app.app_context():
            db.engine.dispose()


def test_sqlite_downgrade_to_base_removes_everything(tmp_path: Path) -> None:
    app = migrated_app(f"sqlite:///{tmp_path / 'migrated.sqlite'}")
    try:
        with app.app_context():
            downgrade(directory=str(PACKAGE / "migrations"), revision="base")
        assert table_names(app) == set()
        # ...and it can go up again from there.
        with app.app_context():
            upgrade(directory=str(PACKAGE / "migrations"))
        assert differences(app) == []
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """A URL whose connections use only a fresh `migration_test` schema; dropped afterwards."""
    if not PG_URL:
        pytest.skip("PostgreSQL not configured: set TEST_DATABASE_URL=postgresql+psycopg://... to run")
    admin = create_engine(PG_URL)

    def reset(create: bool) -> None:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {MIGRATION_SCHEMA} CASCADE"))
            if create:
                connection.execute(text(f"CREATE SCHEMA {MIGRATION_SCHEMA}"))

    reset(create=True)
    # libpq's `options` makes the schema the only one on the search path, so every table, index
    # and alembic_version row goes there, and `public` stays as the other tests left it.
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={MIGRATION_SCHEMA}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        reset(create=False)
        admin.dispose()


@pytest.mark.postgres
def test_postgres_migrations_match_the_models(postgres_schema_url: str) -> None:
    app = migrated_app(postgres_schema_url)
    try:
        with app.app_context():
            assert db.session.scalar(text("SELECT current_schema()")) == MIGRATION_SCHEMA
            db.session.remove()
        assert table_names(app) >= EXPECTED_TABLES
        diff = differences(app)
        assert diff == [], (
            "The models and the migrations disagree on PostgreSQL. Make a migration with "
            f"`flask --app wsgi db migrate -m '...'` and check it by hand:\n{diff}"
        )
        with app.app_context():
            downgrade(directory=str(PACKAGE / "migrations"), revision="base")
        assert table_names(app) == set()
    finally:
        with app.app_context():
            db.engine.dispose()
