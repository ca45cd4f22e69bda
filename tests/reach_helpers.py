"""Helpers for the reaching-people tests: campaigns, points, sessions and quick journeys."""

from __future__ import annotations

import datetime as dt
import re

from flask.testing import FlaskClient

from survey_app.campaigns.school import create_session
from survey_app.campaigns.setup import add_collection_point, create_campaign
from survey_app.extensions import db
from survey_app.models import Campaign, CollectionPoint, SchoolSession

TODAY = dt.date.today()


def make_campaign(questionnaires: list[str], opens: int = -7, closes: int = 30, slug: str = "youth-safety") -> Campaign:
    """A committed campaign open from `opens` to `closes` days from today."""
    campaign = create_campaign(
        "Youth Safety Survey",
        TODAY + dt.timedelta(days=opens),
        TODAY + dt.timedelta(days=closes),
        questionnaires,
        areas=["north", "south"],
        targets={"young_people": 1000},
        slug=slug,
        description="How safe young people feel in our area.",
    )
    db.session.commit()
    return campaign


def make_point(campaign: Campaign, name: str = "Stretford High School", kind: str = "school") -> CollectionPoint:
    """A committed collection point."""
    point = add_collection_point(campaign, name, kind)
    db.session.commit()
    return point


def make_session(point: CollectionPoint, year: int, pupils: int = 30, label: str = "8B") -> SchoolSession:
    """A committed school session."""
    created = create_session(point, year, pupils, label)
    db.session.commit()
    return created


def send_check(client: FlaskClient, **extra: str):  # type: ignore[no-untyped-def]
    """Open the check page and send the answers from it, with everything its form carries."""
    html = client.get("/survey/check").text
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    data.setdefault("website", "")
    data.update(extra)
    return client.post("/survey/check", data=data)


def hidden(html: str, name: str) -> str:
    """A hidden field's value."""
    match = re.search(rf'<input type="hidden" name="{re.escape(name)}" value="([^"]*)"', html)
    assert match, f"no hidden field {name}"
    return match.group(1)
