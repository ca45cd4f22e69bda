"""A campaign's coder learns from the question each answer answered, and codes with it.

The same words mean different themes under different questions: "the canal towpath" answering
"why do you feel unsafe?" is an unsafe place; answering "what is good round here?" it is the
community. Retraining, coding and the starting model from an earlier campaign all pass each answer's
question key, so the coder tells such answers apart.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from survey_app.models import (
    Answer,
    Campaign,
    CoderModel,
    QuestionnaireVersion,
    Response,
    StartingModel,
    ThemeCode,
)
from survey_app.staff.free_text import coder_files, starting
from survey_app.staff.free_text.coding import campaign_codebook
from survey_app.staff.free_text.training import training_data
from tests.staff.conftest import World

#: places no codebook phrase names, so only what people coded can teach the coder their theme
PLACES = ["the canal towpath", "the market square", "the library", "the chippy", "the rec ground", "the precinct"]
#: question key -> the theme its answers were coded with
MEANS = {"unsafe_why": "unsafe_places", "club_story": "community_safety"}
REVIEWED = 30


def _campaign(db, world: World, slug: str, opens_on: dt.date) -> Campaign:  # type: ignore[no-untyped-def]
    campaign = Campaign(
        slug=slug,
        name=slug.replace("-", " ").title(),
        opens_on=opens_on,
        closes_on=opens_on + dt.timedelta(days=80),
        questionnaire_ids=["all-types"],
        partnership_id=world.a.partnership.id,
    )
    db.session.add(campaign)
    db.session.flush()
    return campaign


def _respond(db, campaign: Campaign, n: int, tag: str, seed: int) -> list[Response]:  # type: ignore[no-untyped-def]
    """`n` responses, each answering both free-text questions with the same words (a place or two)."""
    version = db.session.scalar(
        select(QuestionnaireVersion).where(QuestionnaireVersion.questionnaire_id == "all-types")
    )
    rng = random.Random(seed)
    out = []
    for i in range(n):
        words = " and ".join(rng.sample(PLACES, rng.choice([1, 2])))
        r = Response(
            questionnaire_version_id=version.id,
            audience="young_people",
            language="en",
            campaign_id=campaign.id,
            completion="complete",
            submitted_on=campaign.opens_on,
            idempotency_key=f"{tag}-{i}",
        )
        r.answers = [Answer(question_key=q, position=0, text=words) for q in MEANS]
        db.session.add(r)
        out.append(r)
    db.session.flush()
    return out


def _review(db, campaign: Campaign, responses: list[Response]) -> None:  # type: ignore[no-untyped-def]
    """A person coded every answer of these responses with its question's theme."""
    _, row = campaign_codebook(campaign.id)
    for r in responses:
        for question, theme in MEANS.items():
            db.session.add(
                ThemeCode(
                    response_id=r.id,
                    question_key=question,
                    theme_key=theme,
                    codebook_version_id=row.id,
                    source="human",
                    confidence=1.0,
                    status="added",
                    evidence=[],
                    reviewer_id=1,
                    decided_on=dt.date(2026, 2, 1),
                )
            )
    db.session.flush()


def _likeliest(db, responses: list[Response]) -> dict[tuple[str, str], str]:  # type: ignore[no-untyped-def]
    """Each answer's most confident theme the coder suggested or applied, by (response, question)."""
    db.session.expire_all()
    codes = db.session.scalars(
        select(ThemeCode).where(
            ThemeCode.response_id.in_([r.id for r in responses]), ThemeCode.status.in_(("suggested", "applied"))
        )
    ).all()
    best: dict[tuple[str, str], ThemeCode] = {}
    for c in codes:
        key = (c.response_id, c.question_key)
        if key not in best or c.confidence > best[key].confidence:
            best[key] = c
    return {key: c.theme_key for key, c in best.items()}


def _assert_told_apart(db, waiting: list[Response]) -> None:  # type: ignore[no-untyped-def]
    found = _likeliest(db, waiting)
    expected = {(r.id, q): theme for r in waiting for q, theme in MEANS.items()}
    assert found == expected, "the same words, coded by the question they answered"


def test_retraining_learns_each_answers_question_and_codes_with_it(app, db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    campaign = world.a.campaign
    reviewed = _respond(db, campaign, REVIEWED, "both", seed=1)
    waiting = _respond(db, campaign, 6, "waiting", seed=2)
    _review(db, campaign, reviewed)
    db.session.commit()
    client = session_for(world.a.users["analyst"])
    assert client.post(f"/staff/campaigns/{campaign.id}/coding/retrain").status_code == 302  # inline in tests

    model = db.session.scalar(select(CoderModel).where(CoderModel.campaign_id == campaign.id))
    assert model is not None and model.trained_on_answers == 2 * REVIEWED
    coder_files._LOADED.clear()  # read back what every server reads
    stored = coder_files.load(model)
    assert stored is not None and stored.learned is not None
    assert stored.learned.questions == sorted(MEANS)
    _assert_told_apart(db, waiting)


def test_a_starting_model_from_an_earlier_campaign_learns_the_questions_too(app, db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    earlier = _campaign(db, world, "alderley-2025", dt.date(2025, 1, 5))
    _review(db, earlier, _respond(db, earlier, REVIEWED, "earlier", seed=1))
    a = world.a.campaign
    own = _respond(db, a, 20, "own", seed=3)
    db.session.commit()
    client = session_for(world.a.users["analyst"])
    page = f"/staff/campaigns/{a.id}/coding/starting"
    assert client.post(page, data={"source": "campaigns", "campaign": [str(earlier.id)]}).status_code == 302

    choice = db.session.scalar(select(StartingModel))
    assert choice is not None and choice.coder_model_id is not None
    stored = coder_files.load(db.session.get(CoderModel, choice.coder_model_id))
    assert stored is not None and stored.learned is not None
    assert stored.learned.questions == sorted(MEANS), "the campaigns share a questionnaire, so its question keys"
    assert not any(hasattr(v, "stop_words_") for v in stored.learned.vectorizers), "no one-answer words kept"
    _assert_told_apart(db, own[10:])

    # retraining while the starting model is in use: the earlier answers and the campaign's own, each
    # with its question
    _review(db, a, own[:10])
    db.session.commit()
    book, row = campaign_codebook(a.id)
    answers, started_from = starting.with_starting_answers(a.id, book, training_data(a.id, row.id, book))
    assert started_from == choice.id and len(answers) == 2 * (REVIEWED + 10)
    assert sorted(set(answers.questions)) == sorted(MEANS)
    for text, question, row in zip(answers.texts, answers.questions, answers.Y, strict=True):
        assert [book.keys()[j] for j in row.nonzero()[0]] == [MEANS[question]], text
    assert client.post(f"/staff/campaigns/{a.id}/coding/retrain").status_code == 302
    _assert_told_apart(db, own[10:])
