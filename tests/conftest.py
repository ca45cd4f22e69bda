"""Shared fixtures: an app on a fresh database (SQLite by default, PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import copy
import os
import shutil
import time
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import Pool
from werkzeug.routing import Rule

from questionnaires import yamlsafe
from survey_app import create_app, static_files
from survey_app.config import ROOT, Config
from survey_app.extensions import db as _db
from survey_app.questionnaire_store import load_questionnaires

FIXTURES = Path(__file__).parent / "fixtures"
PG_URL = os.environ.get("TEST_DATABASE_URL", "")


def _compress_each_static_file_once() -> None:
    """create_app reads every static file and compresses it (brotli at quality 11, gzip at 9): about two
    thirds of its CPU time. The suite builds over a thousand apps from the same files, so each file's
    result is kept by its name and content and reused; a file that changes is read and compressed anew."""
    read = static_files._read
    done: dict[tuple[str, bytes], static_files.StaticFile] = {}

    def read_once(path: Path) -> static_files.StaticFile:
        key = (path.name, path.read_bytes())
        if key not in done:
            done[key] = read(path)
        return done[key]

    static_files._read = read_once


_compress_each_static_file_once()


def _parse_each_yaml_text_once() -> None:
    """Every YAML file the app reads (questionnaires, the codebook on every staff page that codes free
    text, safeguarding rules, support services) goes through `yamlsafe.load`, PyYAML's pure-Python
    parser: about 0.05 s a file, a fifth of the access-matrix tests' CPU time. Parsing is a function of
    the text and the options alone, so each text's result is kept and every caller gets its own deep
    copy (callers may change what they get). A text that is refused is never kept, so it is refused
    again, with the same message, every time; so is a stream, which is read rather than given."""
    load = yamlsafe.load
    done: dict[tuple[str | bytes, bool, int], object] = {}

    def load_once(text: Any, *, yes_no_as_text: bool = False, max_bytes: int = yamlsafe.MAX_BYTES) -> Any:
        if not isinstance(text, str | bytes):
            return load(text, yes_no_as_text=yes_no_as_text, max_bytes=max_bytes)
        key = (text, yes_no_as_text, max_bytes)
        if key not in done:
            if len(done) >= 512:  # a bound, so tests that make many files cannot grow it without limit
                done.clear()
            done[key] = load(text, yes_no_as_text=yes_no_as_text, max_bytes=max_bytes)
        return copy.deepcopy(done[key])

    yamlsafe.load = load_once


_parse_each_yaml_text_once()


def _write_each_url_builder_once() -> None:
    """For every URL rule of every app, Werkzeug writes two small functions that build its URLs (an
    abstract syntax tree, then compile): 30 of the 38 ms create_app takes, and the suite builds an
    app for nearly every test. What it writes depends only on the rule's text, its parsed parts and
    whether unknown arguments are appended (the function reads the rule's converters through its
    `self` when called), so one function per rule serves every app. Rules with defaults, whose
    values are written into the function, are still compiled each time. If Werkzeug stops writing
    builders this way, this does nothing and apps are built as they come."""
    compile_builder = getattr(Rule, "_compile_builder", None)
    if compile_builder is None:
        return
    done: dict[tuple[object, ...], Callable[..., tuple[str, str]]] = {}

    def compile_builder_once(self: Rule, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        if self.defaults:
            return compile_builder(self, append_unknown)
        key = (self.rule, tuple(self._trace), append_unknown)
        if key not in done:
            done[key] = compile_builder(self, append_unknown)
        return done[key]

    Rule._compile_builder = compile_builder_once  # type: ignore[method-assign]


_write_each_url_builder_once()

#: Test modules that never open a database: the analysis engine on its own (statistics, disclosure
#: control, coder training and evaluation, text analysis). They run on the SQLite pass only; on the
#: PostgreSQL pass (TEST_DATABASE_URL set) they are deselected, as they would repeat the same work.
#: The SQLite pass holds each to it: a test here that uses a database fixture, or opens any database
#: connection, fails and says so. A module not listed runs on both passes.
DATABASE_FREE = frozenset(
    {
        "tests/analysis/coding/test_active.py",
        "tests/analysis/coding/test_automation.py",
        "tests/analysis/coding/test_automation_heldout.py",
        "tests/analysis/coding/test_cli.py",
        "tests/analysis/coding/test_codebook.py",
        "tests/analysis/coding/test_counted.py",
        "tests/analysis/coding/test_descriptions.py",
        "tests/analysis/coding/test_learned.py",
        "tests/analysis/coding/test_metrics.py",
        "tests/analysis/coding/test_model_file.py",
        "tests/analysis/coding/test_no_flask.py",
        "tests/analysis/coding/test_reproducible.py",
        "tests/analysis/coding/test_review.py",
        "tests/analysis/coding/test_review_thresholds.py",
        "tests/analysis/coding/test_reviewed.py",
        "tests/analysis/coding/test_rules.py",
        "tests/analysis/coding/test_transfer.py",
        "tests/analysis/report/test_report_sentences.py",
        "tests/analysis/report/test_report_spec.py",
        "tests/analysis/report/test_theme_order.py",
        "tests/analysis/test_codebook_edits.py",
        "tests/analysis/test_disclosure.py",
        "tests/analysis/test_load.py",
        "tests/analysis/test_quotes_attribution.py",
        "tests/analysis/test_quotes_bank.py",
        "tests/analysis/test_quotes_chosen.py",
        "tests/analysis/test_stats.py",
        "tests/analysis/test_weighting.py",
        "tests/analysis/test_wording_benchmarks.py",
        "tests/analysis/test_wording_sentences.py",
        "tests/analysis/test_yaml_inputs.py",
        "tests/analysis/text/test_redaction.py",
        "tests/analysis/text/test_redaction_recall.py",
        "tests/analysis/text/test_sentiment.py",
        "tests/analysis/text/test_topics.py",
        "tests/analysis/text/test_words.py",
        "tests/test_questionnaire_model.py",
    }
)
_REPO = Path(__file__).resolve().parents[1]
#: the database-free test now being set up or run, else empty
_database_free_now: list[str] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).resolve().relative_to(_REPO).as_posix() in DATABASE_FREE:
            item.add_marker(pytest.mark.no_database)
    if PG_URL:
        free = [item for item in items if item.get_closest_marker("no_database")]
        if free:
            config.hook.pytest_deselected(items=free)
            items[:] = [item for item in items if not item.get_closest_marker("no_database")]


@event.listens_for(Pool, "checkout")
def _refuse_a_connection_to_a_database_free_test(*_: object) -> None:
    if _database_free_now:
        raise AssertionError(
            f"{_database_free_now[0]} is marked database-free (no_database, tests/conftest.py DATABASE_FREE) but "
            "opened a database connection: take it off the list, so that it runs on PostgreSQL too"
        )


def _hold_to_no_database(item: pytest.Item) -> Generator[None, object, object]:
    if not item.get_closest_marker("no_database"):
        return (yield)
    assert "_postgres_schema" not in getattr(item, "fixturenames", ()), (
        f"{item.nodeid} is marked database-free (no_database, tests/conftest.py DATABASE_FREE) but uses a "
        "database fixture: take it off the list, so that it runs on PostgreSQL too"
    )
    _database_free_now.append(item.nodeid)
    try:
        return (yield)
    finally:
        _database_free_now.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, object, object]:
    return (yield from _hold_to_no_database(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    return (yield from _hold_to_no_database(item))


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


#: Every id sequence in the test schema back to 1, as TRUNCATE ... RESTART IDENTITY would leave it.
_RESTART_SEQUENCES = (
    "SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind = 'S' AND n.nspname = current_schema()"
)


def reset_postgres(app: Flask) -> None:
    """Start each PostgreSQL test from empty tables with ids from 1 (the schema is made once per run).

    DELETE, not TRUNCATE: a test leaves a few rows in a few of the tables, and TRUNCATE makes every
    table and index afresh on disk, which took 0.2 to 1 s per test on a loaded machine; DELETE takes
    a tenth of that. Children first, so no foreign key objects; the sequences are reset as TRUNCATE's
    RESTART IDENTITY did, so a test sees exactly what it saw before.
    """
    with app.app_context():
        deletes = "; ".join(f'DELETE FROM "{t.name}"' for t in reversed(_db.metadata.sorted_tables))  # noqa: S608
        # A previous browser test's server may still be finishing a request (or a background
        # retraining) when the next test starts; the DELETE then deadlocks with it. PostgreSQL picks
        # one side to fail: roll back, let the other finish, and try again.
        for attempt in range(5):
            try:
                _db.session.execute(text(deletes))
                _db.session.execute(text(_RESTART_SEQUENCES))
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


@pytest.fixture(scope="session")
def _sqlite_schema(tmp_path_factory: pytest.TempPathFactory, _postgres_schema: None) -> Path | None:
    """On SQLite, an empty database with every table, made once per process and copied for each test
    (making the tables afresh cost each test about 0.08 s of CPU). None on PostgreSQL."""
    if PG_URL:
        return None
    path = tmp_path_factory.mktemp("schema") / "empty.sqlite"
    app = create_app(Config.for_tests(database_url=f"sqlite:///{path}"))
    with app.app_context():
        _db.create_all()
        _db.session.remove()
        _db.engine.dispose()
    return path


def _empty_database(tmp_path: Path, schema: Path | None) -> str:
    """database_url(tmp_path), its SQLite file first copied from the empty one with every table (unless
    this test already has it: `app` and `shipped_app` together share one database, as they always did)."""
    if schema is not None and not (tmp_path / "test.sqlite").exists():
        shutil.copyfile(schema, tmp_path / "test.sqlite")
    return database_url(tmp_path)


@pytest.fixture
def questionnaire_folder(tmp_path: Path) -> Path:
    """A copy of the test questionnaires (every type), which a test may edit."""
    folder = tmp_path / "questionnaires"
    shutil.copytree(FIXTURES, folder)
    return folder


@pytest.fixture
def app(tmp_path: Path, questionnaire_folder: Path, _sqlite_schema: Path | None) -> Iterator[Flask]:
    """The app on an empty database with tables made, inside an app context."""
    url = _empty_database(tmp_path, _sqlite_schema)
    app = create_app(Config.for_tests(database_url=url, questionnaire_folder=questionnaire_folder))
    if PG_URL:
        reset_postgres(app)
    with app.app_context():
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
def shipped_app(tmp_path: Path, _sqlite_schema: Path | None) -> Iterator[Flask]:
    """The app with the real shipped questionnaires loaded."""
    url = _empty_database(tmp_path, _sqlite_schema)
    app = create_app(Config.for_tests(database_url=url, questionnaire_folder=ROOT / "questionnaires"))
    if PG_URL:
        reset_postgres(app)
    with app.app_context():
        load_questionnaires(ROOT / "questionnaires")
        _db.session.commit()
        yield app
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture(scope="session")
def world_rows(tmp_path_factory: pytest.TempPathFactory, _postgres_schema: None) -> object:
    """The staff `world` fixture's rows, made once per process (see tests/staff/conftest.py). Defined here,
    not there, because test modules outside tests/staff import `world` by name, and it needs this."""
    from tests.staff.conftest import build_world_rows

    return build_world_rows(tmp_path_factory.mktemp("world"))
