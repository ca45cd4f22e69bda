"""Response counts for the campaign list and a coordinator's collection points, disclosure-controlled."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from analysis.disclosure import Cell, protect_counts
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign, CollectionPoint
from survey_app.models.responses import Response


def responses_per_campaign(campaigns: list[Campaign]) -> dict[int, Cell]:
    """Campaign id -> its number of responses, protected (small numbers hidden)."""
    counts = dict(
        db.session.execute(
            select(Response.campaign_id, func.count())
            .where(Response.campaign_id.in_([c.id for c in campaigns]))
            .group_by(Response.campaign_id)
        ).all()
    )
    return {c.id: protect_counts({"responses": counts.get(c.id, 0)}).total for c in campaigns}


def responses_per_point(points: list[CollectionPoint]) -> list[tuple[CollectionPoint, Cell]]:
    """Each collection point with its number of responses, protected."""
    counts: Counter[int | None] = Counter(
        dict(
            db.session.execute(
                select(Response.collection_point_id, func.count())
                .where(Response.collection_point_id.in_([p.id for p in points]))
                .group_by(Response.collection_point_id)
            ).all()
        )
    )
    return [(p, protect_counts({"responses": counts[p.id]}).total) for p in points]
