"""The bare address when it cannot tell which campaign a visitor is answering: with several open it
asks, with none open it says so, and in neither case are answers taken that would belong to no
campaign (no dashboard, export or safeguarding reviewer would ever see them)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from survey_app.models import Campaign, Draft, Response
from tests.journey_helpers import FULL, answer
from tests.reach_helpers import make_campaign, send_check


def _nothing_started(db) -> bool:  # type: ignore[no-untyped-def]
    return not db.session.scalar(select(func.count()).select_from(Draft)) and not db.session.scalar(
        select(func.count()).select_from(Response)
    )


def test_with_two_campaigns_open_the_visitor_chooses_and_the_answers_belong_to_the_one_chosen(client, loaded, db):
    make_campaign(["all-types"], slug="youth-safety")
    make_campaign(["all-types"], slug="parents-voice").name = "Parents' Voice"
    db.session.commit()

    landing = client.get("/")
    assert landing.status_code == 200
    assert "Which survey are you here for?" in landing.text
    links = re.findall(r'href="(/c/[^"]+)"', landing.text)
    assert sorted(links) == ["/c/parents-voice", "/c/youth-safety"]
    assert "Parents&#39; Voice" in landing.text and "Youth Safety Survey" in landing.text
    assert "Start now" not in landing.text

    # Straight to the start page (a bookmark, an old poster): back to the choice, nothing kept.
    for method in (client.get, client.post):
        went = method("/start", data={"questionnaire": "all-types"})
        assert went.status_code == 302 and went.location.endswith("/")
    assert _nothing_started(db)

    chosen = client.get("/c/parents-voice", follow_redirects=True)
    assert "Start now" in chosen.text and "Parents&#39; Voice" in chosen.text
    # Chose the wrong one, or a child picks up the parent's phone: back to the choice.
    assert 'href="/choose"' in chosen.text
    again = client.get("/choose", follow_redirects=True)
    assert "Which survey are you here for?" in again.text
    client.get("/c/parents-voice")
    started = client.post("/start", data={"questionnaire": "all-types"})
    assert started.location.endswith("/survey/intro")
    for page, data in FULL.items():
        assert answer(client, page, data).status_code == 302
    assert send_check(client).location.endswith("/survey/thank-you")
    response = db.session.scalars(select(Response)).one()
    assert db.session.get(Campaign, response.campaign_id).slug == "parents-voice"


@pytest.mark.parametrize("campaigns", ["none", "closed", "not yet open"])
def test_with_no_campaign_open_the_bare_address_says_so_and_takes_no_answers(client, loaded, db, campaigns):
    if campaigns == "closed":
        make_campaign(["all-types"], opens=-60, closes=-1)
    elif campaigns == "not yet open":
        make_campaign(["all-types"], opens=5, closes=60)
    landing = client.get("/")
    assert landing.status_code == 200
    assert "No survey is open at the moment" in landing.text
    assert "Start now" not in landing.text
    # Help and a code are still offered: a class may have been given a code for a school session.
    assert 'href="/help"' in landing.text and 'href="/code"' in landing.text
    went = client.post("/start", data={"questionnaire": "all-types"})
    assert went.status_code == 302 and went.location.endswith("/")
    assert _nothing_started(db)


def test_with_one_campaign_open_the_bare_address_starts_it(client, loaded, db):
    campaign = make_campaign(["all-types"])
    make_campaign(["all-types"], opens=-60, closes=-1, slug="last-year")
    landing = client.get("/")
    assert "Start now" in landing.text and campaign.name in landing.text
    assert 'href="/choose"' not in landing.text  # nothing else to choose
    assert client.post("/start", data={"questionnaire": "all-types"}).location.endswith("/survey/intro")
    assert db.session.scalars(select(Draft)).one().campaign_id == campaign.id


@pytest.mark.parametrize(
    ("questionnaires", "promise"),
    [
        (["parents-carers"], "You will see how long it takes before you start."),
        (["parents-carers", "professionals"], "You will see how long each survey takes before you start."),
    ],
)
def test_the_front_page_promises_a_time_for_the_one_survey_or_for_each(shipped_app, questionnaires, promise):
    """A parents' campaign offers one survey: "each survey" sent parents looking for a choice."""
    make_campaign(questionnaires, slug="parents-voice")
    client = shipped_app.test_client()
    client.get("/c/parents-voice")
    landing = client.get("/").text
    assert promise in landing
    assert ("each survey" in landing) is (len(questionnaires) > 1)
