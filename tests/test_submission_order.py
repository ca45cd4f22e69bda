"""The order in which a class sent its responses can't be read back out of the database."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from survey_app.extensions import db
from survey_app.models import Answer, QuestionnaireVersion, Response
from survey_app.models.safeguarding import SafeguardingFlag


def _send(how_many: int) -> list[str]:
    """Responses (each with an answer and a flag) stored one transaction at a time, in sending order."""
    sent = []
    for _ in range(how_many):
        version = db.session.scalars(db.select(QuestionnaireVersion.id)).first()
        response = Response(
            questionnaire_version_id=version,
            audience="young_people",
            language="en",
            submitted_on=dt.date(2026, 3, 2),
            idempotency_key=secrets.token_hex(8),
        )
        response.answers.append(Answer(question_key="feel_safe", position=0, value="yes"))
        db.session.add(response)
        db.session.flush()
        db.session.add(
            SafeguardingFlag(response_id=response.id, rule="r", reason="why", flagged_on=dt.date(2026, 3, 2))
        )
        db.session.commit()
        sent.append(response.id)
    return sent


def test_ids_say_nothing_of_order(app: Flask, loaded) -> None:  # type: ignore[no-untyped-def]
    loaded()
    sent = _send(30)
    assert sorted(sent) != sent, "random ids: sorting them does not give the sending order"
    flags_in_sending_order = [
        db.session.scalars(db.select(SafeguardingFlag.id).where(SafeguardingFlag.response_id == r)).one() for r in sent
    ]
    assert sorted(flags_in_sending_order) != flags_in_sending_order, "flag ids are not serial numbers either"


def test_sqlite_keeps_no_hidden_row_number(app: Flask, loaded) -> None:  # type: ignore[no-untyped-def]
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's rowid only")
    loaded()
    sent = _send(30)
    for table in ("response", "answer", "safeguarding_flag"):
        with pytest.raises(OperationalError, match="rowid"):
            db.session.execute(text(f"SELECT rowid FROM {table}"))  # noqa: S608
        db.session.rollback()
    stored = db.session.scalars(text("SELECT id FROM response")).all()
    assert stored == sorted(sent), "rows come back in key order, not the order they were written"


def test_postgresql_scrub_leaves_no_write_order(app: Flask, loaded, runner: FlaskCliRunner) -> None:  # type: ignore[no-untyped-def]
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's xmin and ctid only")
    loaded()
    sent = _send(30)
    before = db.session.scalars(text("SELECT id FROM response ORDER BY xmin::text::bigint")).all()
    assert before == sent, "without the scrub, the transaction ids give the order away (the test can fail)"
    db.session.close()
    result = runner.invoke(args=["responses", "scrub-order"])
    assert result.exit_code == 0, result.output
    assert "30 rows of response" in result.output
    for table in ("response", "safeguarding_flag"):
        assert db.session.execute(text(f"SELECT count(DISTINCT xmin::text) FROM {table}")).scalar() == 1  # noqa: S608
    physical = db.session.scalars(text("SELECT id FROM response ORDER BY ctid")).all()
    assert physical == sorted(sent), "stored in the order of the random keys"
    assert len(db.session.scalars(text("SELECT id FROM response")).all()) == 30, "nothing lost"


def test_a_migrated_sqlite_database_keeps_no_row_numbers_either(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.test_migrations import migrated_app

    app = migrated_app(f"sqlite:///{tmp_path / 'migrated.sqlite'}")
    with app.app_context():
        for table in ("response", "answer", "safeguarding_flag"):
            with pytest.raises(OperationalError, match="rowid"):
                db.session.execute(text(f"SELECT rowid FROM {table}"))  # noqa: S608
            db.session.rollback()
        db.engine.dispose()
