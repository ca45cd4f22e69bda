"""Loading questionnaire files into immutable versions, and finding the current ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from questionnaires.loader import QuestionnaireError, content_hash, questionnaire_files, validate_paths
from survey_app.extensions import db
from survey_app.models import QuestionnaireVersion


@dataclass(frozen=True)
class LoadResult:
    """What loading one file did."""

    file: str
    questionnaire_id: str
    version: int
    created: bool


def load_questionnaires(folder: Path, today: dt.date | None = None) -> list[LoadResult]:
    """Validate every file in `folder` and store a new version for each one whose meaning changed.

    Refuses to load anything if any file has problems, so a half-checked set never goes live.
    """
    paths = questionnaire_files(folder)
    definitions, problems = validate_paths(paths)
    if problems:
        raise QuestionnaireError(problems)
    results = []
    for path in paths:
        definition = definitions[path.name]
        results.append(store_version(definition, path.read_text(encoding="utf-8"), path.name, today))
    return results


def store_version(definition: dict, source_text: str, file: str = "", today: dt.date | None = None) -> LoadResult:
    """Store `definition` as a new version unless an identical one exists. Flushes, never commits."""
    digest = content_hash(definition)
    qid = definition["id"]
    existing = db.session.scalar(select(QuestionnaireVersion).filter_by(questionnaire_id=qid, content_hash=digest))
    if existing is not None:
        return LoadResult(file, qid, existing.version, created=False)
    latest = db.session.scalar(select(func.max(QuestionnaireVersion.version)).filter_by(questionnaire_id=qid)) or 0
    version = QuestionnaireVersion(
        questionnaire_id=qid,
        version=latest + 1,
        content_hash=digest,
        audience=definition["audience"],
        title=definition["title"],
        definition=definition,
        source_text=source_text,
        loaded_on=today or dt.date.today(),
    )
    db.session.add(version)
    db.session.flush()
    return LoadResult(file, qid, version.version, created=True)


def current_version(questionnaire_id: str) -> QuestionnaireVersion | None:
    """The most recently loaded version of a questionnaire."""
    return db.session.scalar(
        select(QuestionnaireVersion)
        .filter_by(questionnaire_id=questionnaire_id)
        .order_by(QuestionnaireVersion.version.desc())
        .limit(1)
    )


def current_versions(questionnaire_ids: list[str] | None = None) -> list[QuestionnaireVersion]:
    """The current version of each questionnaire (optionally only those named)."""
    latest = (
        select(QuestionnaireVersion.questionnaire_id, func.max(QuestionnaireVersion.version).label("v"))
        .group_by(QuestionnaireVersion.questionnaire_id)
        .subquery()
    )
    query = select(QuestionnaireVersion).join(
        latest,
        (QuestionnaireVersion.questionnaire_id == latest.c.questionnaire_id)
        & (QuestionnaireVersion.version == latest.c.v),
    )
    if questionnaire_ids is not None:
        query = query.where(QuestionnaireVersion.questionnaire_id.in_(questionnaire_ids))
    return list(db.session.scalars(query))
