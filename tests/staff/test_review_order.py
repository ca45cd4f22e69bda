"""The review screen asks first for the answers that teach the coder most, and says why."""

from __future__ import annotations

from sqlalchemy import select

from survey_app.models import Answer, Response, ThemeCode
from survey_app.staff import clock
from survey_app.staff.free_text.coding import campaign_codebook, review_queue
from tests.staff.conftest import World

COMMON = "the police are never around when you need them"
RARE = "someone pulled a blade on my mate at the park"


def stage(db, world: World) -> dict[str, Answer]:  # type: ignore[no-untyped-def]
    """Ten answers people coded with police, none with weapons; then two waiting for review: one on
    the fence about police, one less sure about weapons."""
    campaign = world.a.campaign
    _, version = campaign_codebook(campaign.id)
    answers = list(
        db.session.scalars(
            select(Answer)
            .join(Response)
            .where(Response.campaign_id == campaign.id, Answer.text.is_not(None))
            .order_by(Answer.response_id)
        )
    )

    def code(answer: Answer, theme: str, p: float, status: str) -> None:
        db.session.add(
            ThemeCode(
                response_id=answer.response_id,
                question_key=answer.question_key,
                theme_key=theme,
                codebook_version_id=version.id,
                source="model" if status in ("suggested", "applied") else "human",
                confidence=p,
                status=status,
                evidence=[],
                decided_on=None if status in ("suggested", "applied") else clock.today(),
            )
        )

    for answer in answers[:10]:
        answer.text = "police stopped and searched us again"
        code(answer, "police", 1.0, "accepted")
    named = {"common": answers[10], "rare": answers[11]}
    named["common"].text = COMMON
    code(named["common"], "police", 0.5, "suggested")
    named["rare"].text = RARE
    code(named["rare"], "knives_weapons", 0.75, "suggested")
    code(named["rare"], "police", 0.05, "suggested")
    for answer in answers[12:]:
        answer.text = "nothing to do round here"
        code(answer, "youth_provision", 0.97, "applied")
    db.session.commit()
    return named


def key(answer: Answer) -> tuple[str, str]:
    return (answer.response_id, answer.question_key)


def test_the_queue_puts_the_rare_theme_first(db, world: World) -> None:  # type: ignore[no-untyped-def]
    named = stage(db, world)
    _, version = campaign_codebook(world.a.campaign.id)
    queue = review_queue(world.a.campaign.id, version.id, 0.9)
    assert [(i.response_id, i.question_key) for i in queue] == [key(named["rare"]), key(named["common"])]
    # most-uncertain-first would have put the police answer (on the fence) first
    assert queue[1].uncertainty > queue[0].uncertainty
    assert queue[0].unsure == ("knives_weapons",)


def test_the_review_screen_shows_that_answer_first_and_says_why(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    named = stage(db, world)
    client = session_for(world.a.users["analyst"])
    base = f"/staff/campaigns/{world.a.campaign.id}/coding/review"
    first = client.get(base)
    assert first.status_code == 200
    assert RARE in first.text and COMMON not in first.text
    assert "Asked now because the coder is unsure about: Knives and weapons." in first.text
    assert "2 answers waiting" in first.text
    rare_id = "{}:{}".format(*key(named["rare"]))
    second = client.get(base, query_string={"skip": rare_id})
    assert COMMON in second.text and RARE not in second.text
    assert "unsure about: Police presence and trust in police." in second.text
