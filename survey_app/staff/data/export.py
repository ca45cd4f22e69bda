"""An administrator's export of all of a campaign's data, as CSV (one row per answer part) or JSON.

CSV cells that a spreadsheet would run as a formula (starting =, +, -, @, tab or carriage return)
get a leading apostrophe, so an answer such as "=HYPERLINK(...)" stays text when opened in Excel.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from sqlalchemy import select

from analysis.exports.formats import formula_safe
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign, CollectionPoint
from survey_app.models.questionnaires import QuestionnaireVersion
from survey_app.models.responses import Answer, Response
from survey_app.models.safeguarding import SafeguardingFlag

CSV_COLUMNS = (
    "response_id",
    "audience",
    "questionnaire",
    "questionnaire_version",
    "language",
    "collection_point",
    "completion",
    "submitted_on",
    "question_key",
    "position",
    "measure",
    "value",
    "rank",
    "number",
    "text",
)
#: One rule for every export: the analysts' exports and this one make cells formula-safe alike.
safe_cell = formula_safe


def _rows(campaign: Campaign) -> list[tuple[Response, Answer | None, str, int, str]]:
    points = {
        p.id: p.name
        for p in db.session.scalars(select(CollectionPoint).where(CollectionPoint.campaign_id == campaign.id))
    }
    versions = {v.id: (v.questionnaire_id, v.version) for v in db.session.scalars(select(QuestionnaireVersion))}
    out: list[tuple[Response, Answer | None, str, int, str]] = []
    for response in db.session.scalars(
        select(Response).where(Response.campaign_id == campaign.id).order_by(Response.submitted_on, Response.id)
    ):
        qid, version = versions[response.questionnaire_version_id]
        point = points.get(response.collection_point_id or -1, "")
        answers: list[Answer | None] = list(response.answers) or [None]
        for answer in answers:
            out.append((response, answer, qid, version, point))
    return out


def campaign_csv(campaign: Campaign) -> str:
    """Every answer of the campaign, one row per answer part, formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for r, a, qid, version, point in _rows(campaign):
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    r.id,
                    r.audience,
                    qid,
                    version,
                    r.language,
                    point,
                    r.completion,
                    r.submitted_on.isoformat(),
                    a.question_key if a else "",
                    a.position if a else "",
                    a.measure if a else "",
                    a.value if a else "",
                    a.rank if a else "",
                    a.number if a else "",
                    a.text if a else "",
                )
            ]
        )
    return buffer.getvalue()


def campaign_json(campaign: Campaign) -> str:
    """The campaign, its collection points, responses with answers, and safeguarding flags, as JSON."""
    responses: dict[str, dict[str, Any]] = {}
    for r, a, qid, version, point in _rows(campaign):
        entry = responses.setdefault(
            r.id,
            {
                "id": r.id,
                "audience": r.audience,
                "questionnaire": qid,
                "questionnaire_version": version,
                "language": r.language,
                "collection_point": point,
                "completion": r.completion,
                "submitted_on": r.submitted_on.isoformat(),
                "answers": [],
            },
        )
        if a is not None:
            entry["answers"].append(
                {
                    "question_key": a.question_key,
                    "position": a.position,
                    "measure": a.measure,
                    "value": a.value,
                    "rank": a.rank,
                    "number": a.number,
                    "text": a.text,
                }
            )
    flags = db.session.scalars(
        select(SafeguardingFlag)
        .join(Response, SafeguardingFlag.response_id == Response.id)
        .where(Response.campaign_id == campaign.id)
        .order_by(SafeguardingFlag.id)
    )
    data = {
        "campaign": {
            "slug": campaign.slug,
            "name": campaign.name,
            "opens_on": campaign.opens_on.isoformat(),
            "closes_on": campaign.closes_on.isoformat(),
            "questionnaires": campaign.questionnaire_ids,
            "retention_days": campaign.retention_days,
            "retention_action": campaign.retention_action,
            "targets": campaign.targets or {},
        },
        "collection_points": [{"name": p.name, "kind": p.kind, "code": p.code} for p in campaign.collection_points],
        "responses": list(responses.values()),
        "safeguarding_flags": [
            {
                "response_id": f.response_id,
                "rule": f.rule,
                "reason": f.reason,
                "question_key": f.question_key,
                "matched_text": f.matched_text,
                "flagged_on": f.flagged_on.isoformat(),
                "outcome": f.outcome,
                "reviewed_on": f.reviewed_on.isoformat() if f.reviewed_on else None,
            }
            for f in flags
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1)
