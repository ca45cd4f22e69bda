"""Setting up a consultation: campaigns and their collection points, each with its own code and link."""

from __future__ import annotations

import datetime as dt
import random
import re

from flask import url_for
from sqlalchemy import select

from survey_app.campaigns.codes import POINT_CODE_LENGTH, insert_with_code
from survey_app.extensions import db
from survey_app.models import Campaign, CollectionPoint
from survey_app.models.campaigns import COLLECTION_KINDS

KIND_LABELS = {
    "online": "Online link",
    "school": "School",
    "youth_club": "Youth club",
    "community_event": "Community event",
    "paper": "Paper copies",
}


class SetupError(ValueError):
    """A campaign or collection point that can't be made as asked, explained in plain words."""


def slugify(name: str) -> str:
    """A link-friendly version of a name: 'Youth Safety Survey 2026' -> 'youth-safety-survey-2026'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:80] or "campaign"


def create_campaign(
    name: str,
    opens_on: dt.date,
    closes_on: dt.date,
    questionnaire_ids: list[str],
    areas: list[str] | None = None,
    targets: dict[str, int] | None = None,
    description: str = "",
    slug: str | None = None,
    partnership_id: int | None = None,
) -> Campaign:
    """Make a campaign (flushes); refuses dates the wrong way round, a slug in use, or negative targets."""
    name = name.strip()
    if not name:
        raise SetupError("Please give the campaign a name.")
    if closes_on < opens_on:
        raise SetupError(
            f"The closing date ({closes_on:%-d %B %Y}) is before the opening date "
            f"({opens_on:%-d %B %Y}). Please check the dates."
        )
    slug = slugify(slug or name)
    if db.session.scalar(select(Campaign.id).filter_by(slug=slug)) is not None:
        raise SetupError(f"There is already a campaign with the link name \u201c{slug}\u201d. Please choose another.")
    targets = dict(targets or {})
    if any(int(v) < 0 for v in targets.values()):
        raise SetupError("Targets must be zero or more.")
    campaign = Campaign(
        slug=slug,
        name=name,
        description=description,
        opens_on=opens_on,
        closes_on=closes_on,
        questionnaire_ids=list(questionnaire_ids),
        areas=list(areas or []),
        targets={k: int(v) for k, v in targets.items()},
    )
    if partnership_id is not None:
        campaign.partnership_id = partnership_id
    db.session.add(campaign)
    db.session.flush()
    return campaign


def add_collection_point(campaign: Campaign, name: str, kind: str, rng: random.Random | None = None) -> CollectionPoint:
    """Add a collection point with a fresh unambiguous code (flushes)."""
    if kind not in COLLECTION_KINDS:
        raise SetupError(
            f"\u201c{kind}\u201d is not a kind of collection point. Choose one of: " + ", ".join(COLLECTION_KINDS) + "."
        )
    if not name.strip():
        raise SetupError("Please give the collection point a name, such as the school or event.")
    return insert_with_code(
        lambda code: CollectionPoint(campaign_id=campaign.id, name=name.strip(), kind=kind, code=code),
        POINT_CODE_LENGTH,
        rng,
    )


def point_url(point: CollectionPoint, base_url: str | None = None) -> str:
    """The link people follow or scan for a collection point."""
    if base_url:
        return f"{base_url.rstrip('/')}/p/{point.code}"
    return url_for("respond.point_link", code=point.code, _external=True)


def point_by_code(code: str) -> CollectionPoint | None:
    """The collection point with this code, if any."""
    return db.session.scalar(select(CollectionPoint).filter_by(code=code))
