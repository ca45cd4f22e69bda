"""Retention and deletion of a campaign's answers.

`apply_retention()` (run daily as `flask retention apply`) looks at every campaign whose retention
period has passed since it closed and removes either the free text (the words people typed) or whole
responses, as the campaign says, and writes what it did to the audit log. `delete_campaign()` removes a
campaign and everything that hangs off it.

Rows that refer to responses, answers, collection points or campaigns are found from the models'
foreign keys rather than listed here, so tables other parts of the app add (coding, school sessions)
are cleared too. Saved theme coders are cleared as well: a trained coder keeps the words and word
pairs of the answers it learned from, so once a campaign's words must go, so must every coder that
learned from them (its own, and other campaigns' coders that started from its answers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Table, delete, select, tuple_, update

from survey_app.extensions import db
from survey_app.models.campaigns import Campaign, CollectionPoint
from survey_app.models.coding import CoderModel
from survey_app.models.jobs import CoderFile
from survey_app.models.responses import Answer, Draft, Response
from survey_app.models.safeguarding import SafeguardingFlag
from survey_app.models.starting import StartingModel
from survey_app.staff import clock

RETENTION_ACTIONS = ("free_text", "responses")


@dataclass
class RetentionResult:
    """What one campaign's retention run removed."""

    campaign: Campaign
    action: str
    responses_deleted: int = 0
    texts_removed: int = 0
    drafts_deleted: int = 0
    #: saved theme coders deleted because they learned from this campaign's words
    coders_deleted: int = 0

    @property
    def anything(self) -> bool:
        """Whether anything was removed."""
        return bool(self.responses_deleted or self.texts_removed or self.drafts_deleted or self.coders_deleted)


def delete_where(table: Table, condition: ColumnElement[bool], _depth: int = 0) -> int:
    """Delete rows of `table` matching `condition`, first deleting rows elsewhere that refer to them."""
    if _depth > 8:
        raise RuntimeError(f"foreign keys to {table.name} go round in a circle: delete by hand")
    for other in db.metadata.sorted_tables:
        if other is table:
            continue
        for constraint in other.foreign_key_constraints:
            if constraint.referred_table is not table:
                continue
            local = [element.parent for element in constraint.elements]
            remote = [element.column for element in constraint.elements]
            # Composite keys (e.g. to one answer: response, question, position) match as a whole.
            refers = (
                local[0].in_(select(remote[0]).where(condition))
                if len(local) == 1
                else tuple_(*local).in_(select(*remote).where(condition))
            )
            delete_where(other, refers, _depth + 1)
    result = db.session.execute(delete(table).where(condition))
    return int(getattr(result, "rowcount", 0) or 0)


def forget_coders_trained_on(campaign_id: int) -> int:
    """Delete the saved coders that learned from a campaign's answers (not committed): the campaign's
    own, and other campaigns' starting coders built from its answers and the coders retrained with
    them. Their figures stay (no words); the campaigns affected code with their rules until retrained,
    and a starting model built on this campaign is no longer in use. Returns how many were deleted."""
    models = set(db.session.scalars(select(CoderModel.id).where(CoderModel.campaign_id == campaign_id)))
    for choice in db.session.scalars(select(StartingModel)):
        if campaign_id not in (choice.source_campaign_ids or []) or choice.campaign_id == campaign_id:
            continue
        choice.in_use = False
        if choice.coder_model_id is not None:
            models.add(choice.coder_model_id)
        for model in db.session.scalars(select(CoderModel).where(CoderModel.campaign_id == choice.campaign_id)):
            if (model.metrics or {}).get("starting") == choice.id:
                models.add(model.id)
    if not models:
        return 0
    deleted = db.session.execute(delete(CoderFile).where(CoderFile.coder_model_id.in_(models)))
    db.session.execute(update(CoderModel).where(CoderModel.id.in_(models)).values(file_name=""))
    return int(getattr(deleted, "rowcount", 0) or 0)


def past_retention(campaign: Campaign, today: dt.date) -> bool:
    """Whether the campaign closed more than its retention period ago."""
    return campaign.closes_on + dt.timedelta(days=campaign.retention_days) < today


def apply_retention(today: dt.date | None = None) -> list[RetentionResult]:
    """Remove what every campaign past its retention period should no longer keep (not committed)."""
    today = today or clock.today()
    results = []
    for campaign in db.session.scalars(select(Campaign).order_by(Campaign.id)):
        if not past_retention(campaign, today):
            continue
        result = RetentionResult(campaign, campaign.retention_action)
        response_ids = select(Response.id).where(Response.campaign_id == campaign.id)
        result.drafts_deleted = delete_where(Draft.__table__, Draft.campaign_id == campaign.id)  # type: ignore[arg-type]  # __table__ is typed FromClause; it is the Table
        if campaign.retention_action == "responses":
            result.responses_deleted = delete_where(
                Response.__table__,  # type: ignore[arg-type]  # __table__ is typed FromClause; it is the Table
                Response.campaign_id == campaign.id,
            )
        else:
            text_only = (
                Answer.response_id.in_(response_ids)
                & Answer.text.is_not(None)
                & Answer.value.is_(None)
                & Answer.number.is_(None)
            )
            result.texts_removed = delete_where(Answer.__table__, text_only)  # type: ignore[arg-type]  # __table__ is typed FromClause; it is the Table
            with_choice = db.session.execute(
                update(Answer).where(Answer.response_id.in_(response_ids), Answer.text.is_not(None)).values(text=None)
            )
            result.texts_removed += int(getattr(with_choice, "rowcount", 0) or 0)
            db.session.execute(
                update(SafeguardingFlag)
                .where(SafeguardingFlag.response_id.in_(response_ids), SafeguardingFlag.matched_text.is_not(None))
                .values(matched_text=None)
            )
        result.coders_deleted = forget_coders_trained_on(campaign.id)
        results.append(result)
    return results


def delete_campaign(campaign: Campaign) -> dict[str, int]:
    """Delete a campaign with its responses, drafts, collection points and anything referring to them."""
    forget_coders_trained_on(campaign.id)
    counts = {
        "responses": delete_where(Response.__table__, Response.campaign_id == campaign.id),  # type: ignore[arg-type]  # __table__ is typed FromClause
        "drafts": delete_where(Draft.__table__, Draft.campaign_id == campaign.id),  # type: ignore[arg-type]  # __table__ is typed FromClause
        "collection_points": delete_where(
            CollectionPoint.__table__,  # type: ignore[arg-type]  # __table__ is typed FromClause; it is the Table
            CollectionPoint.campaign_id == campaign.id,
        ),
    }
    delete_where(Campaign.__table__, Campaign.id == campaign.id)  # type: ignore[arg-type]  # __table__ is typed FromClause
    db.session.expire_all()
    return counts
