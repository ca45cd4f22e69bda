"""Online answers sent through the bare address when no single campaign was open (before it asked
which survey, or said none was open): they belong to no campaign, so no dashboard, export, retention
rule or safeguarding reviewer ever sees them. An administrator gives them the campaign they were
answered for. It sits beside the paper files imported into no campaign, which have their own
commands (`flask responses unassigned|assign`): their responses are told apart and left out here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select, update

from survey_app.extensions import db
from survey_app.models import Campaign, QuestionnaireVersion, Response, SafeguardingFlag
from survey_app.paper.unassigned import unassigned_imports


@dataclass(frozen=True)
class Unclaimed:
    """Online responses to one questionnaire that belong to no campaign."""

    questionnaire_id: str
    responses: int
    first_day: dt.date
    last_day: dt.date
    #: how many of them the safeguarding rules flagged (seen by no reviewer until they have a campaign)
    flagged: int


def _paper_ids() -> list[str]:
    return [rid for item in unassigned_imports() for rid in item.response_ids]


def _unclaimed(paper: list[str]) -> ColumnElement[bool]:
    """Responses in no campaign, less those of paper files imported into none."""
    query = Response.campaign_id.is_(None)
    return query & Response.id.not_in(paper) if paper else query


def unclaimed() -> list[Unclaimed]:
    """Every questionnaire with online responses in no campaign, with their days and flags."""
    condition = _unclaimed(_paper_ids())
    flagged = select(SafeguardingFlag.id).where(SafeguardingFlag.response_id == Response.id).exists()
    rows = db.session.execute(
        select(
            QuestionnaireVersion.questionnaire_id,
            func.count(),
            func.min(Response.submitted_on),
            func.max(Response.submitted_on),
            func.count().filter(flagged),
        )
        .join(QuestionnaireVersion, Response.questionnaire_version_id == QuestionnaireVersion.id)
        .where(condition)
        .group_by(QuestionnaireVersion.questionnaire_id)
        .order_by(QuestionnaireVersion.questionnaire_id)
    )
    return [Unclaimed(q, n, first, last, f) for q, n, first, last, f in rows]


def claim(campaign: Campaign) -> int:
    """Give the campaign every online response in no campaign that it could have taken: sent while it
    was open, to one of its questionnaires. Flushes (the caller commits); returns how many."""
    versions = select(QuestionnaireVersion.id)
    if campaign.questionnaire_ids:
        versions = versions.where(QuestionnaireVersion.questionnaire_id.in_(campaign.questionnaire_ids))
    result = db.session.execute(
        update(Response)
        .where(
            _unclaimed(_paper_ids()),
            Response.questionnaire_version_id.in_(versions),
            Response.submitted_on >= campaign.opens_on,
            Response.submitted_on <= campaign.closes_on,
        )
        .values(campaign_id=campaign.id)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return int(getattr(result, "rowcount", 0) or 0)
