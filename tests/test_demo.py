"""The demo data builder: synthetic answers that obey routing and every question's rules."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, func, select

from questionnaires.model import Questionnaire
from survey_app.config import ROOT
from survey_app.demo import CAMPAIGN_SLUG, CODE_ALPHABET, OTHER_TEXT, TEXT, WORKS, build_demo
from survey_app.models import Answer, Campaign, CollectionPoint, QuestionnaireVersion, Response
from survey_app.models.campaigns import COLLECTION_KINDS
from survey_app.survey.answer_types import OTHER_MAX_LENGTH

SHIPPED = ROOT / "questionnaires"


@pytest.fixture(params=["fixtures", "shipped"])
def folder(request: pytest.FixtureRequest, app: Flask) -> Path:
    """Run against the test questionnaire (every type and kind of routing) and the shipped ones."""
    if request.param == "shipped":
        app.config["COMMUNITY_VOICE"].questionnaire_folder = SHIPPED
    return app.config["COMMUNITY_VOICE"].questionnaire_folder


def use_shipped(app: Flask) -> None:
    app.config["COMMUNITY_VOICE"].questionnaire_folder = SHIPPED


def canonical(rows: list[Answer]) -> dict[str, dict[str, Any]]:
    """Rebuild {question key: {"values": [...], "text": ..., "number": ...}} from stored rows."""
    answers: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: (r.question_key, r.position)):
        answer = answers.setdefault(row.question_key, {})
        if row.value is not None:
            answer.setdefault("values", []).append(row.value)
        if row.text is not None:
            answer["text"] = row.text
        if row.number is not None:
            answer["number"] = row.number
    return answers


def responses_by_version(db) -> list[tuple[Response, Questionnaire, list[Answer]]]:  # type: ignore[no-untyped-def]
    versions = {v.id: v.questionnaire for v in db.session.scalars(select(QuestionnaireVersion))}
    rows: dict[str, list[Answer]] = defaultdict(list)
    for row in db.session.scalars(select(Answer)):
        rows[row.response_id].append(row)
    return [(r, versions[r.questionnaire_version_id], rows[r.id]) for r in db.session.scalars(select(Response))]


def test_demo_answers_follow_routing_and_every_rule(app: Flask, db, folder: Path) -> None:  # type: ignore[no-untyped-def]
    summary = build_demo(responses=200, seed=1)

    assert f"/c/{CAMPAIGN_SLUG}" in summary
    assert db.session.scalar(select(func.count()).select_from(Response)) == 200
    campaign = db.session.scalar(select(Campaign).filter_by(slug=CAMPAIGN_SLUG))
    loaded = {v.questionnaire_id for v in db.session.scalars(select(QuestionnaireVersion))}
    assert set(campaign.questionnaire_ids) == loaded
    today = dt.date.today()
    checked = Counter()
    for response, questionnaire, rows in responses_by_version(db):
        assert response.campaign_id == campaign.id
        assert response.audience == questionnaire.audience
        assert (response.language, response.completion) == ("en", "complete")
        assert campaign.opens_on <= response.submitted_on <= max(today, campaign.opens_on + dt.timedelta(weeks=12))
        answers = canonical(rows)
        # Every stored answer is to a question that routing shows, given the stored answers.
        assert set(questionnaire.visible_answers(answers)) == set(answers), response.id
        for key, answer in answers.items():
            q = questionnaire.question(key)
            for row in (r for r in rows if r.question_key == key):
                assert row.measure == q.measure
                assert row.rank == (row.position + 1 if q.type == "ranking" else None)
            values = answer.get("values", [])
            if q.is_choice:
                assert values, key
                assert all(q.option(v) is not None for v in values), (key, values)
                assert len(set(values)) == len(values)
                if any(q.option(v).exclusive for v in values):
                    assert len(values) == 1, (key, values)
                if q.type in ("single_choice", "scale", "faces", "area", "demographic"):
                    assert len(values) == 1
                if q.max_choices:
                    assert len(values) <= q.max_choices
                if q.type == "ranking":
                    assert 1 <= len(values) <= (q.max_rank or 1)
                if "text" in answer:
                    assert any(q.option(v).other_text for v in values)
                    assert 0 < len(answer["text"]) <= OTHER_MAX_LENGTH
            elif q.is_text:
                assert not values and "number" not in answer
                assert 0 < len(answer["text"]) <= (q.max_length or 1000), key
            elif q.type == "number":
                number = answer["number"]
                assert (q.min is None or number >= q.min) and (q.max is None or number <= q.max)
            checked[q.type] += 1
    # The test questionnaire uses every type: make sure each was really exercised.
    assert {
        "single_choice",
        "multiple_choice",
        "scale",
        "faces",
        "ranking",
        "area",
        "demographic",
        "short_text",
        "long_text",
    } <= set(checked)


def test_collection_points_are_plausible(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    build_demo(responses=50, seed=3)

    points = list(db.session.scalars(select(CollectionPoint)))
    assert 10 <= len(points) <= 16
    assert {p.kind for p in points} == set(COLLECTION_KINDS)
    assert sum(p.kind == "school" for p in points) >= 6
    codes = [p.code for p in points]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == 6 and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("01OI") & set(CODE_ALPHABET)


def test_the_demo_is_open_whenever_it_is_built_with_a_term_of_answers_behind_it(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    """Fixed dates made a demo built after its closing day a front page with nothing to answer."""
    built_on = dt.date(2029, 6, 14)
    build_demo(responses=300, seed=3, today=built_on)

    campaign = db.session.scalar(select(Campaign))
    assert campaign.opens_on.weekday() == 0
    assert dt.timedelta(weeks=13) <= built_on - campaign.opens_on < dt.timedelta(weeks=14)
    assert campaign.closes_on - built_on > dt.timedelta(weeks=12)
    assert campaign.name == "Trafford Youth Safety Survey 2029"
    days = list(db.session.scalars(select(Response.submitted_on)))
    assert min(days) >= campaign.opens_on and max(days) <= built_on
    assert max(days) - min(days) > dt.timedelta(weeks=10)
    assert campaign.is_open(built_on)


def test_the_demo_built_today_is_offered_on_the_front_page(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    build_demo(responses=30, seed=3)

    page = app.test_client().get("/")
    assert page.status_code == 200
    assert f"Trafford Youth Safety Survey {db.session.scalar(select(Campaign.opens_on)).year}" in page.text
    assert "No survey is open" not in page.text


def test_running_twice_does_not_duplicate(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    build_demo(responses=30, seed=1)
    again = build_demo(responses=30, seed=1)

    assert "already present" in again
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 1
    assert db.session.scalar(select(func.count()).select_from(Response)) == 30


def answer_fingerprint(db) -> Counter:  # type: ignore[no-untyped-def]
    query = (
        select(
            Response.audience,
            Response.submitted_on,
            CollectionPoint.name,
            Answer.question_key,
            Answer.position,
            Answer.value,
            Answer.rank,
            Answer.text,
            Answer.number,
        )
        .join(Answer, Answer.response_id == Response.id)
        .join(CollectionPoint, CollectionPoint.id == Response.collection_point_id)
    )
    return Counter(tuple(row) for row in db.session.execute(query))


def clear_demo(db) -> None:  # type: ignore[no-untyped-def]
    for model in (Answer, Response, CollectionPoint, Campaign):
        db.session.execute(delete(model))
    db.session.commit()


def test_same_seed_gives_same_answers(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    use_shipped(app)
    build_demo(responses=120, seed=5)
    first = answer_fingerprint(db)
    codes = sorted(db.session.scalars(select(CollectionPoint.code)))
    clear_demo(db)

    build_demo(responses=120, seed=5)
    assert answer_fingerprint(db) == first
    assert sorted(db.session.scalars(select(CollectionPoint.code))) == codes
    clear_demo(db)

    build_demo(responses=120, seed=6)
    assert answer_fingerprint(db) != first


def test_responses_are_split_across_audiences(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    use_shipped(app)
    build_demo(responses=200, seed=2)

    counts = dict(db.session.execute(select(Response.audience, func.count()).group_by(Response.audience)).all())
    loaded = {v.audience for v in db.session.scalars(select(QuestionnaireVersion))}
    assert set(counts) == loaded
    assert sum(counts.values()) == 200
    if {"children", "young_people", "professionals"} <= loaded:
        assert counts["young_people"] > counts["children"] > counts["professionals"]
    # Children answer at primary schools, professionals mostly online.
    kinds = dict(
        db.session.execute(
            select(Response.audience, func.count())
            .join(CollectionPoint)
            .where(CollectionPoint.kind == "school")
            .group_by(Response.audience)
        ).all()
    )
    if "children" in counts:
        assert kinds.get("children", 0) >= 0.7 * counts["children"]
    if "professionals" in counts:
        assert kinds.get("professionals", 0) == 0


def share(db, measure: str, audience: str, good: set[str]) -> float | None:  # type: ignore[no-untyped-def]
    query = (
        select(Answer.value)
        .join(Response)
        .where(
            Answer.measure == measure,
            Response.audience == audience,
            Answer.value.not_in(["dont_know", "prefer_not_to_say"]),
        )
    )
    values = list(db.session.scalars(query))
    return sum(v in good for v in values) / len(values) if values else None


def test_answers_look_realistic(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    use_shipped(app)
    build_demo(responses=1200, seed=2026)

    safe = share(db, "feel_safe_area", "young_people", {"very_safe", "fairly_safe"})
    if safe is None:
        pytest.skip("the shipped questionnaires have no feel_safe_area measure for young people")
    assert 0.68 <= safe <= 0.9
    carried = share(db, "carried_weapon", "young_people", {"yes"})
    if carried is not None:
        assert 0.005 <= carried <= 0.07
    texts = list(db.session.scalars(select(Answer.text).where(Answer.text.is_not(None))))
    assert len(set(texts)) > 0.5 * len(texts)  # varied, not the same few sentences


def test_free_text_bank_identifies_nobody() -> None:
    fragments = [f for voices in TEXT.values() for modes in voices.values() for bank in modes.values() for f in bank]
    fragments += [f for bank in OTHER_TEXT.values() for f in bank] + [f for bank in WORKS.values() for f in bank]
    assert len(set(fragments)) >= 150
    for fragment in fragments:
        assert not re.search(r"@|https?:|www\.|\d{5,}|\b\d{3}[ -]?\d{3,4}[ -]?\d{3,4}\b", fragment), fragment
        assert not re.search(r"\b[A-Z]{1,2}\d{1,2}[A-Z]? ?\d[A-Z]{2}\b", fragment), fragment  # no postcodes
