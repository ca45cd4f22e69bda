"""The columns analysis reads, declared here with SQLAlchemy Core so that no Flask is imported.

They mirror `survey_app/models/` (only what analysis needs); `tests/analysis/test_load.py` checks
that every column named here exists in the app's models with the same name.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, Integer, MetaData, String, Table, Text

metadata = MetaData()

campaign = Table(
    "campaign",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(80)),
    Column("name", String(200)),
    Column("opens_on", Date),
    Column("closes_on", Date),
)

collection_point = Table(
    "collection_point",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("campaign_id", Integer),
    Column("name", String(200)),
    Column("kind", String(20)),
)

questionnaire_version = Table(
    "questionnaire_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("questionnaire_id", String(80)),
    Column("version", Integer),
    Column("audience", String(20)),
    Column("definition", JSON),
)

response = Table(
    "response",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("questionnaire_version_id", Integer),
    Column("audience", String(20)),
    Column("campaign_id", Integer),
    Column("collection_point_id", Integer),
    Column("completion", String(10)),
    Column("submitted_on", Date),
)

answer = Table(
    "answer",
    metadata,
    Column("response_id", String(32), primary_key=True),
    Column("question_key", String(80), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("measure", String(80)),
    Column("value", String(100)),
    Column("rank", Integer),
    Column("text", Text),
    Column("number", Integer),
)
