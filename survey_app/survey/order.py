"""Keep the order in which responses were sent from being read back out of the database.

A class answering together must not be re-identifiable by matching "the 14th response" to "the
14th pupil to press Send". What gives order away, and what is done about each:

- **Keys**: responses and safeguarding flags have random ids (no serial numbers).
- **SQLite**: the respondent tables are WITHOUT ROWID, so SQLite keeps no hidden write-order number;
  rows are stored in the order of their random keys.
- **PostgreSQL**: every row carries the id of the transaction that wrote it (``xmin``) and sits where
  it was appended (``ctid``). :func:`scrub_submission_order` rewrites the respondent tables in one
  transaction, so every row gets the same ``xmin``, then ``CLUSTER``s each on its random key, so the
  physical order is the key order. Rows sent after a scrub keep their order until the next one, so run
  it nightly (``flask responses scrub-order``, see docs/deployment.md).
- **What remains**: PostgreSQL's write-ahead log and any backup or replica taken before a scrub
  still hold the order, as do the database's own statistics; treat them with the same care as the
  live database, and keep backups only as long as the retention policy allows.
"""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

#: respondent tables, and a column of each that can be set to itself to make PostgreSQL rewrite the row
RESPONDENT_TABLES = {"response": "completion", "answer": "measure", "safeguarding_flag": "rule"}


def scrub_submission_order(connection: Connection) -> dict[str, int]:
    """Rewrite the respondent tables so write order can't be recovered; rows touched per table.

    On SQLite there is nothing to do (the tables keep no write order); on PostgreSQL the caller's
    connection must not be inside a transaction, because ``CLUSTER`` runs after the commit.
    """
    if connection.dialect.name != "postgresql":
        return {}
    touched: dict[str, int] = {}
    with connection.begin():
        for table, column in RESPONDENT_TABLES.items():
            result = connection.execute(text(f'UPDATE "{table}" SET "{column}" = "{column}"'))  # noqa: S608 - fixed names
            touched[table] = result.rowcount
    inspector = inspect(connection)
    for table in RESPONDENT_TABLES:
        primary_key = inspector.get_pk_constraint(table)["name"]
        connection.execute(text(f'CLUSTER "{table}" USING "{primary_key}"'))
    connection.commit()
    return touched
