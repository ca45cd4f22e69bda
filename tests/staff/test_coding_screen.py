"""The theme-coding pages: code a campaign's free text, review one answer at a time, retrain."""

from __future__ import annotations

from sqlalchemy import select

from survey_app.models import Answer, AuditEvent, CodebookVersion, CoderFile, CoderModel, Response, ThemeCode
from tests.staff.conftest import World

TEXTS = [
    "the cops",  # one single-word match: unsure, queued
    "nothing to do round here since the youth club shut",  # confident: applied
    "people carry knives and there are drug dealers everywhere",
    "not bothered about social media",  # negated: nothing to suggest
]


def give_texts(db, world: World, texts: list[str]) -> list[Answer]:  # type: ignore[no-untyped-def]
    answers = list(
        db.session.scalars(
            select(Answer)
            .join(Response)
            .where(Response.campaign_id == world.a.campaign.id, Answer.text.is_not(None))
            .order_by(Answer.response_id)
        )
    )
    for answer, text in zip(answers, texts * (len(answers) // len(texts) + 1), strict=False):
        answer.text = text
    db.session.commit()
    return answers


def test_code_review_and_decide(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    answers = give_texts(db, world, TEXTS)
    client = session_for(world.a.users["analyst"])
    base = f"/staff/campaigns/{world.a.campaign.id}/coding"
    page = client.get(base)
    assert page.status_code == 200 and "Theme coding" in page.text
    assert client.post(f"{base}/run").status_code == 302
    version = db.session.scalar(select(CodebookVersion))
    assert version is not None and version.name == "violence-reduction"
    codes = db.session.scalars(select(ThemeCode)).all()
    assert codes and all(c.codebook_version_id == version.id and c.source == "rule" for c in codes)
    by_text = {a.text: [c for c in codes if c.response_id == a.response_id] for a in answers}
    assert {c.status for c in by_text[TEXTS[1]]} == {"applied"}
    assert [c.status for c in by_text[TEXTS[0]]] == ["suggested"]
    overview = client.get(base).text
    assert "Waiting for review" in overview and "Review answers" in overview

    review = client.get(f"{base}/review")
    assert review.status_code == 200
    assert "the cops" in review.text and "Evidence: “cops” (phrase: cops)" in review.text
    assert "/static/js/coding-review." in review.text  # a versioned address: coding-review.<hash>.js
    # Stored evidence points into the answer; it never copies the respondent's words.
    assert all(set(e) == {"phrase", "start", "end", "negated"} for c in codes for e in c.evidence)
    first = next(a for a in answers if a.text == TEXTS[0])
    answer_id = f"{first.response_id}:{first.question_key}"
    done = client.post(f"{base}/review", data={"answer": answer_id, "theme": ["police", "youth_provision"]})
    assert done.status_code == 302
    mine = {
        c.theme_key: c for c in db.session.scalars(select(ThemeCode).where(ThemeCode.response_id == first.response_id))
    }
    assert mine["police"].status == "accepted" and mine["police"].reviewer_id == world.a.users["analyst"].id
    assert mine["youth_provision"].status == "added" and mine["youth_provision"].source == "human"
    rejected = client.post(f"{base}/review", data={"answer": answer_id, "theme": []})
    assert rejected.status_code == 302
    assert db.session.get(ThemeCode, mine["police"].id).status == "rejected"
    # The audit log has theme keys and ids, never what anyone wrote.
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("coding%"))).all()
    assert {"coding_run", "coding_review_viewed", "coding_reviewed"} <= {e.action for e in events}
    assert not any("cops" in str(e.details) or "knives" in str(e.details) for e in events)


def test_threshold_moves_codes_between_applied_and_review(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    give_texts(db, world, TEXTS)
    client = session_for(world.a.users["administrator"])
    base = f"/staff/campaigns/{world.a.campaign.id}/coding"
    client.post(f"{base}/run")
    assert db.session.scalar(select(ThemeCode).where(ThemeCode.theme_key == "police")).status == "suggested"
    assert client.post(f"{base}/threshold", data={"threshold": "0.6"}).status_code == 302
    assert {c.status for c in db.session.scalars(select(ThemeCode).where(ThemeCode.theme_key == "police"))} == {
        "applied"
    }
    assert db.session.scalar(select(CoderModel)).auto_apply_threshold == 0.6
    bad = client.post(f"{base}/threshold", data={"threshold": "2"}, follow_redirects=True)
    assert "between 0.5 and 0.99" in bad.text


def test_retrain_needs_reviews_then_trains_a_model(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    answers = give_texts(db, world, TEXTS)
    client = session_for(world.a.users["analyst"])
    base = f"/staff/campaigns/{world.a.campaign.id}/coding"
    client.post(f"{base}/run")
    early = client.post(f"{base}/retrain", follow_redirects=True)
    assert "Review at least 20 answers" in early.text
    truth = {
        TEXTS[0]: ["police"],
        TEXTS[1]: ["youth_provision"],
        TEXTS[2]: ["knives_weapons", "drugs_alcohol"],
        TEXTS[3]: ["social_media"],
    }
    for a in answers[:22]:
        client.post(f"{base}/review", data={"answer": f"{a.response_id}:{a.question_key}", "theme": truth[a.text]})
    assert client.post(f"{base}/retrain").status_code == 302
    model = db.session.scalar(select(CoderModel).where(CoderModel.version == 1))
    assert model is not None and model.trained_on_answers == 22 and model.file_name
    left = [a for a in answers[22:]]
    codes = db.session.scalars(select(ThemeCode).where(ThemeCode.response_id.in_([a.response_id for a in left]))).all()
    assert codes and all(c.source == "model" and c.model_version == 1 for c in codes)


def test_other_partnership_and_other_roles_are_refused(db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    assert (
        session_for(world.b.users["analyst"]).get(f"/staff/campaigns/{world.a.campaign.id}/coding").status_code == 404
    )
    assert (
        session_for(world.a.users["communications_lead"])
        .get(f"/staff/campaigns/{world.a.campaign.id}/coding/review")
        .status_code
        == 403
    )


def test_a_model_this_server_cannot_load_leaves_coding_to_the_rules(db, world: World, session_for, app) -> None:  # type: ignore[no-untyped-def]
    """After a library upgrade the saved model is refused; coding goes on with the rules, never a 500."""
    give_texts(db, world, TEXTS)
    client = session_for(world.a.users["analyst"])
    base = f"/staff/campaigns/{world.a.campaign.id}/coding"
    client.post(f"{base}/run")
    version = db.session.scalar(select(CodebookVersion))
    assert version is not None
    model = CoderModel(
        campaign_id=world.a.campaign.id,
        codebook_version_id=version.id,
        version=1,
        trained_on_answers=22,
        trained_on=world.a.campaign.opens_on,
        file_name="stale.model",
    )
    db.session.add(model)
    db.session.flush()
    stale = b"community-voice-theme-coder/1\nnot a model from this server"
    db.session.add(CoderFile(coder_model_id=model.id, library_versions={}, sha256="0" * 64, data=stale))
    db.session.commit()
    db.session.execute(ThemeCode.__table__.delete())
    db.session.commit()
    assert client.post(f"{base}/run").status_code == 302
    codes = db.session.scalars(select(ThemeCode)).all()
    assert codes and all(c.source == "rule" for c in codes)
    assert client.get(f"{base}/review").status_code == 200
