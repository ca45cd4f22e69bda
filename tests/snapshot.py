"""Copy a whole database's rows into memory once, and put them back for each test that needs them
(all of them with `restore`, or only the rows some data added on top of others with `added` and `insert`).

Building some fixtures' data (the demo campaign with 900 responses, its argon2-hashed accounts and its
safeguarding flags) costs seconds of CPU; restoring the same rows costs a fraction of a second. Works
on SQLite and PostgreSQL alike (plain inserts, then PostgreSQL's id sequences moved past the rows), so
a test sees exactly what building the data afresh would have given it, ids included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Integer, select, text

from survey_app import create_app
from survey_app.config import ROOT, Config
from survey_app.extensions import db
from tests.conftest import PG_URL, database_url, reset_postgres


@dataclass(frozen=True)
class Snapshot:
    """Every table's rows, by table name, in primary-key order."""

    rows: dict[str, list[dict[str, Any]]]


def build(folder: Path, make: Callable[[Flask], None]) -> Snapshot:
    """Run make(app) on a database of its own with the shipped questionnaires folder (a SQLite file in
    `folder`, or this worker's PostgreSQL database emptied first) and return the rows it left."""
    app = create_app(Config.for_tests(database_url=database_url(folder), questionnaire_folder=ROOT / "questionnaires"))
    if PG_URL:
        reset_postgres(app)
    with app.app_context():
        db.create_all()
        make(app)
        rows = take()
        db.session.remove()
        db.engine.dispose()
    return rows


def take() -> Snapshot:
    """The current database's rows (inside an app context; commits the session first)."""
    db.session.commit()
    rows: dict[str, list[dict[str, Any]]] = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            query = select(table).order_by(*table.primary_key.columns)
            rows[table.name] = [dict(row) for row in connection.execute(query).mappings()]
    return Snapshot(rows)


def restore(snapshot: Snapshot) -> None:
    """Replace every table's rows with the snapshot's (inside an app context; the session is ended first)."""
    db.session.commit()
    db.session.expunge_all()
    tables = db.metadata.sorted_tables
    postgres = db.engine.dialect.name == "postgresql"
    with db.engine.begin() as connection:
        for table in reversed(tables):
            connection.execute(table.delete())
        for table in tables:
            if snapshot.rows.get(table.name):
                connection.execute(table.insert(), snapshot.rows[table.name])
        if postgres:
            for table in tables:
                for column in table.primary_key.columns:
                    if isinstance(column.type, Integer) and column.autoincrement in (True, "auto"):
                        connection.execute(_move_sequence(table.name, column.name))


def added(before: Snapshot, after: Snapshot) -> Snapshot:
    """The rows `after` has beyond `before`, by primary key. Refuses if a row of `before` changed or went,
    as `insert` could not then put `after` back on top of `before`."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for table in db.metadata.sorted_tables:
        keys = [column.name for column in table.primary_key.columns]
        old = {tuple(row[k] for k in keys): row for row in before.rows.get(table.name, [])}
        new = {tuple(row[k] for k in keys): row for row in after.rows.get(table.name, [])}
        for key, row in old.items():
            assert new.get(key) == row, f"{table.name} {key}: changed or deleted, so the rows cannot be added on top"
        rows[table.name] = [row for key, row in new.items() if key not in old]
    return Snapshot(rows)


def insert(rows: Snapshot) -> None:
    """Add the snapshot's rows to the current database (inside an app context; commits the session first),
    then, on PostgreSQL, move the id sequences of the tables written past the largest id, as inserting
    them through the models would have left them."""
    db.session.commit()
    tables = [table for table in db.metadata.sorted_tables if rows.rows.get(table.name)]
    with db.engine.begin() as connection:
        for table in tables:
            connection.execute(table.insert(), rows.rows[table.name])
        if db.engine.dialect.name == "postgresql":
            for table in tables:
                for column in table.primary_key.columns:
                    if isinstance(column.type, Integer) and column.autoincrement in (True, "auto"):
                        connection.execute(_move_sequence(table.name, column.name))


def row_counts() -> dict[str, int]:
    """How many rows each table holds now, in one query (inside an app context)."""
    names = [table.name for table in db.metadata.sorted_tables]
    query = " UNION ALL ".join(f"SELECT '{name}', COUNT(*) FROM \"{name}\"" for name in names)  # noqa: S608 - names from the models
    return {name: count for name, count in db.session.execute(text(query))}


def _move_sequence(table: str, column: str) -> Any:
    """PostgreSQL: the column's id sequence set just past its largest restored value (names from the models)."""
    sequence = f"pg_get_serial_sequence('\"{table}\"', '{column}')"
    return text(f'SELECT setval({sequence}, COALESCE(MAX("{column}"), 0) + 1, false) FROM "{table}"')  # noqa: S608
