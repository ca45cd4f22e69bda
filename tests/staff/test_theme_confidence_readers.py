"""Every reader of the stored codes takes each theme's own auto-apply confidence, as the review queue
does: the progress page, the coding counts, the codebook page's counts, the free-text records behind
the insights page and the quote bank, and the report and export loader (which works the confidences out without Flask).

The campaign's one confidence is 0.9; the analyst set police lower (0.7) and youth provision higher
(0.95). Under the one confidence the readers disagreed with the queue about all four answers below.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from analysis.coding.automation import HELD_CONFIDENCE
from analysis.exports.text import CODED, _how_coded
from analysis.load import load_campaign
from analysis.report.text_load import coded_answers, load_text
from analysis.schema import response
from analysis.text.records import WAITING
from survey_app.models import Answer, CoderModel, Response, StartingModel, ThemeCode
from survey_app.staff import clock
from survey_app.staff.free_text.codebook import theme_counts
from survey_app.staff.free_text.coding import campaign_codebook, coding_counts, review_queue, thresholds_for
from survey_app.staff.free_text.insights import campaign_text
from survey_app.staff.free_text.progress import working_progress
from tests.staff.conftest import World

#: (theme, confidence, status as stored) for each answer, and what it is now
CODES = {
    # police at 0.75: at or above its own 0.7, so the queue leaves it to the model. Stored as a
    # suggestion, as when it was coded while a starting model was held back.
    "police_between": ("police", 0.75, "suggested", "model"),
    # youth provision at 0.92: under its own 0.95, so the queue asks a person about it
    "youth_between": ("youth_provision", 0.92, "suggested", "waiting"),
    # police at 0.25: at or below 1 - 0.7, a confident "no" to the queue, so not a question
    "police_no": ("police", 0.25, "suggested", "none"),
    # applied at coding time and still above police's own confidence
    "police_applied": ("police", 0.8, "applied", "model"),
}


def _answers(db, world: World) -> dict[str, Answer]:  # type: ignore[no-untyped-def]
    """Four of campaign A's free-text answers (not the one that raised a safeguarding flag)."""
    rows = db.session.scalars(
        select(Answer)
        .join(Response)
        .where(
            Response.campaign_id == world.a.campaign.id,
            Answer.text.is_not(None),
            Response.id != world.a.flag.response_id,
        )
        .order_by(Answer.response_id)
    ).all()
    return dict(zip(CODES, rows, strict=False))


def _choose(db, world: World, **choice: Any) -> CoderModel:  # type: ignore[no-untyped-def]
    """The analyst's choice on the campaign's coder row (rules only: no saved coder)."""
    _, row = campaign_codebook(world.a.campaign.id)
    model = CoderModel(
        campaign_id=world.a.campaign.id,
        codebook_version_id=row.id,
        version=choice.pop("version", 0),
        trained_on_answers=0,
        trained_on=clock.today(),
        file_name=choice.pop("file_name", ""),
        auto_apply_threshold=0.9,
        theme_thresholds={"police": {"confidence": 0.7}, "youth_provision": {"confidence": 0.95}},
        metrics=choice.pop("metrics", {}),
        **choice,
    )
    db.session.add(model)
    db.session.flush()
    return model


def _code(db, world: World, answers: dict[str, Answer], **extra: Any) -> None:  # type: ignore[no-untyped-def]
    _, row = campaign_codebook(world.a.campaign.id)
    for name, (theme, p, status, _now) in CODES.items():
        db.session.add(
            ThemeCode(
                response_id=answers[name].response_id,
                question_key=answers[name].question_key,
                theme_key=theme,
                codebook_version_id=row.id,
                source="model",
                confidence=p,
                status=status,
                evidence=[],
                **extra,
            )
        )
    db.session.commit()


def _key(answer: Answer) -> tuple[str, str]:
    return (answer.response_id, answer.question_key)


@pytest.fixture
def coded(db, world: World) -> dict[str, Answer]:  # type: ignore[no-untyped-def]
    answers = _answers(db, world)
    _choose(db, world)
    _code(db, world, answers)
    return answers


def test_the_queue_and_the_progress_page_agree_theme_by_theme(db, world: World, coded: dict[str, Answer]) -> None:  # type: ignore[no-untyped-def]
    campaign = world.a.campaign.id
    book, row = campaign_codebook(campaign)
    thresholds = thresholds_for(campaign, row.id, book)
    assert thresholds.at("police") == 0.7 and thresholds.at("youth_provision") == 0.95

    queued = {(i.response_id, i.question_key) for i in review_queue(campaign, row.id, thresholds)}
    assert queued == {_key(coded["youth_between"])}
    states = {state: cell.value for state, cell in working_progress(campaign).states.items()}
    assert states["waiting"] == 1, "waiting for review: exactly what the queue asks about"
    assert states["model"] == 2, "police at 0.75 and 0.8 are coded by the model"
    assert states["people"] == 0
    assert coding_counts(campaign, row.id, thresholds)["queued"] == 1


def test_the_codebook_page_counts_the_answers_the_other_pages_count(db, world: World, coded: dict[str, Answer]) -> None:  # type: ignore[no-untyped-def]
    campaign = world.a.campaign.id
    book, row = campaign_codebook(campaign)
    _, answers = theme_counts(campaign, book, thresholds_for(campaign, row.id, book))
    # police at 0.75 (stored as a suggestion) and at 0.8: counted; youth provision at 0.92, waiting
    # for review, and police at 0.25: not. The stored status alone counted one answer.
    assert answers == working_progress(campaign).states["model"].value == 2


def test_the_records_behind_insights_and_the_quote_bank_count_under_each_themes_confidence(
    db,
    world: World,
    coded: dict[str, Answer],  # type: ignore[no-untyped-def]
) -> None:
    text = campaign_text(world.a.campaign)
    themes = {text.key_of(i): set(r.themes) for i, r in enumerate(text.records)}
    assert themes[_key(coded["police_between"])] == {"police"}
    assert themes[_key(coded["police_applied"])] == {"police"}
    assert themes[_key(coded["youth_between"])] == set(), "waiting for review: counted nowhere"
    assert themes[_key(coded["police_no"])] == set()
    assert text.thresholds.at("police") == 0.7


def _report_reading(db, world: World) -> dict[tuple[str, str], Any]:  # type: ignore[no-untyped-def]
    in_campaign = select(response.c.id).where(response.c.campaign_id == world.a.campaign.id)
    with db.engine.connect() as conn:
        _, reading = coded_answers(conn, world.a.campaign.id, in_campaign)
    return reading


def test_the_report_and_export_loader_reads_each_themes_confidence_from_the_database(
    db,
    world: World,
    coded: dict[str, Answer],  # type: ignore[no-untyped-def]
) -> None:
    reading = _report_reading(db, world)
    how = {name: CODED[_how_coded(reading.get(_key(a)))] for name, a in coded.items()}
    assert how == {
        "police_between": "Coded automatically (confident)",
        "youth_between": "Waiting for review",
        "police_no": "No theme found",
        "police_applied": "Coded automatically (confident)",
    }
    records = load_text(db.engine, load_campaign(db.engine, world.a.campaign.slug)).records
    by_text = {r.text: set(r.themes) for r in records}
    assert by_text[coded["police_between"].text] == {"police"}
    assert by_text[coded["youth_between"].text] == set()
    # The one waiting for a person is marked so, for the report to say how much coding is left.
    waiting = {r.text for r in records if r.extra.get(WAITING)}
    assert waiting == {coded["youth_between"].text}


def test_a_starting_model_held_back_holds_the_report_back_too(db, world: World) -> None:  # type: ignore[no-untyped-def]
    """A coder that began from other campaigns' answers applies nothing until the campaign's own
    reviews support it: the report loader holds every theme with people, as the workspace does."""
    answers = _answers(db, world)
    model = _choose(db, world, version=1, file_name="start.model", metrics={"starting": 1})
    db.session.add(
        StartingModel(
            campaign_id=world.a.campaign.id,
            source="campaigns",
            themes=list(campaign_codebook(world.a.campaign.id)[0].keys()),
            coder_model_id=model.id,
            chosen_on=clock.today(),
            in_use=True,
        )
    )
    _code(db, world, answers, model_version=1)
    book, row = campaign_codebook(world.a.campaign.id)
    held = thresholds_for(world.a.campaign.id, row.id, book)
    assert held.held == frozenset(book.keys()) and held.at("police") == HELD_CONFIDENCE

    # every code is now a question for a person (even police at 0.25: only 0.1 or less is a clear "no")
    reading = _report_reading(db, world)
    for name, answer in answers.items():
        assert not reading[_key(answer)].counted, f"{name}: held with people, not counted"
        assert reading[_key(answer)].waiting, f"{name}: waiting, as in the queue"
    queued = {(i.response_id, i.question_key) for i in review_queue(world.a.campaign.id, row.id, held)}
    assert queued == {_key(a) for a in answers.values()}
