"""Helpers for driving the respondent journey through the Flask test client."""

from __future__ import annotations

import datetime as dt
import re

from flask.testing import FlaskClient
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Campaign


def open_a_campaign_if_none_is() -> None:
    """A campaign open today offering every questionnaire, unless one is open already: the bare
    address takes answers only for an open campaign (answers in none would reach nobody)."""
    today = dt.date.today()
    if db.session.scalar(select(Campaign.id).where(Campaign.opens_on <= today, Campaign.closes_on >= today)):
        return
    db.session.add(
        Campaign(
            slug="have-your-say",
            name="Have your say about feeling safe",
            opens_on=today - dt.timedelta(days=30),
            closes_on=today + dt.timedelta(days=30),
            questionnaire_ids=[],
        )
    )
    db.session.commit()


def begin(client: FlaskClient, questionnaire: str = "all-types") -> None:
    """Choose a questionnaire on the start page (of the open campaign, made if there is none)."""
    open_a_campaign_if_none_is()
    response = client.post("/start", data={"questionnaire": questionnaire})
    assert response.status_code == 302, response.text
    assert response.location.endswith("/survey/intro")


def answer(client: FlaskClient, page: str, data: dict, action: str = "continue", change: bool = False):  # type: ignore[no-untyped-def]
    """Post one page of answers; returns the response (not followed)."""
    url = f"/survey/page/{page}" + ("?change=1" if change else "")
    return client.post(url, data={**data, "action": action})


def title(html: str) -> str:
    """The page's <title> text."""
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    return match.group(1).strip() if match else ""


def submission_key(html: str) -> str:
    """The idempotency key carried by the check page's submit form."""
    match = re.search(r'name="submission_key" value="([^"]+)"', html)
    assert match, "check page has no submission key"
    return match.group(1)


def field_value(html: str, name: str) -> str | None:
    """The value shown in a text input or textarea."""
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', html)
    if match:
        return match.group(1)
    match = re.search(rf'<textarea[^>]*name="{re.escape(name)}"[^>]*>(.*?)</textarea>', html, re.S)
    return match.group(1) if match else None


def checked(html: str, name: str) -> list[str]:
    """Values of the checked radios or tick boxes for a field."""
    found = re.findall(rf'<input type="(?:radio|checkbox)"[^>]*name="{re.escape(name)}" value="([^"]+)"([^>]*)>', html)
    return [value for value, rest in found if "checked" in rest]


def selected(html: str, name: str) -> str | None:
    """The selected option of a <select>."""
    block = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S)
    assert block, f"no select {name}"
    match = re.search(r'<option value="([^"]*)" selected>', block.group(1))
    return match.group(1) if match else None


FULL = {
    "choices": {"carried": "yes", "worries": ["knives", "gangs"], "feel_safe": "very_unsafe"},
    "follow-up": {"why_carry": ["for_protection"]},
    "more": {
        "mood": "happy",
        "times": "3",
        "what_helps-1": "youth_clubs",
        "what_helps-2": "jobs",
        "home_area": "north",
        "gender": "self_describe",
        "ethnicity": "indian",
    },
    "words": {
        "one_word": "green",
        "unsafe_why": "The underpass is dark",
        "club_story": "football",
        "gang_words": "older boys",
    },
}


def complete(client: FlaskClient, pages: dict | None = None) -> str:
    """Answer every page of all-types and return the check page's HTML."""
    begin(client)
    for page, data in (pages or FULL).items():
        response = answer(client, page, data)
        assert response.status_code == 302, (page, response.text[:2000])
    check = client.get("/survey/check")
    assert check.status_code == 200
    return check.text
