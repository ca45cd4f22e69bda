"""Paper files imported before every import needed a campaign: finding their responses and giving
them the campaign they were typed in for, so they reach its dashboard, exports, coding, retention
and (for any safeguarding flags) its reviewers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from survey_app.extensions import db
from survey_app.models import Campaign, PaperImport, QuestionnaireVersion, Response
from survey_app.paper.importer import row_key, wrong_campaign

#: The most rows a spreadsheet can hold (and far more than any box of paper questionnaires).
MOST_ROWS = 1_048_576


@dataclass(frozen=True)
class UnassignedImport:
    """An imported file whose responses belong to no campaign."""

    paper_import: PaperImport
    response_ids: list[str]


def unassigned_imports() -> list[UnassignedImport]:
    """Every imported file with responses in no campaign, oldest first."""
    found = []
    files = db.session.scalars(
        select(PaperImport).where(PaperImport.collection_point_id.is_(None)).order_by(PaperImport.id)
    )
    for paper_import in files:
        ids = responses_of(paper_import)
        if ids:
            found.append(UnassignedImport(paper_import, ids))
    return found


def responses_of(paper_import: PaperImport) -> list[str]:
    """The ids of this file's responses that belong to no campaign.

    Responses keep no link to their file, only a key made from the file's hash and the row number;
    the file's candidates (same questionnaire version and day, no campaign) are matched against the
    keys of its rows.
    """
    candidates = {
        key: response_id
        for key, response_id in db.session.execute(
            select(Response.idempotency_key, Response.id).where(
                Response.campaign_id.is_(None),
                Response.questionnaire_version_id == paper_import.questionnaire_version_id,
                Response.submitted_on == paper_import.imported_on,
            )
        )
    }
    matched: list[str] = []
    row = 2  # row 1 is the header
    while candidates and len(matched) < paper_import.imported_rows and row <= MOST_ROWS:
        response_id = candidates.pop(row_key(paper_import.content_hash, row), None)
        if response_id is not None:
            matched.append(response_id)
        row += 1
    return matched


def assign(unassigned: UnassignedImport, campaign: Campaign) -> str:
    """Put a file's responses into the campaign (flushes; the caller commits); or say in plain words
    why not ('' when done)."""
    version = db.session.get(QuestionnaireVersion, unassigned.paper_import.questionnaire_version_id)
    assert version is not None  # a foreign key
    refusal = wrong_campaign(version, campaign, None)
    if refusal:
        return refusal
    db.session.execute(
        update(Response)
        .where(Response.id.in_(unassigned.response_ids), Response.campaign_id.is_(None))
        .values(campaign_id=campaign.id)
    )
    db.session.flush()
    return ""
