"""Retraining as a background job: queued by the page, run by a worker, reported from the database,
and the trained coder stored in the database (stamped with its library versions) for every server."""

from __future__ import annotations

import json

from sqlalchemy import select

from analysis.coding.model_file import MAGIC, library_versions
from survey_app.models import CoderFile, CoderModel, Job, ThemeCode
from survey_app.staff.free_text import coder_files
from tests.staff.conftest import World
from tests.staff.test_coding_screen import TEXTS, give_texts

TRUTH = {
    TEXTS[0]: ["police"],
    TEXTS[1]: ["youth_provision"],
    TEXTS[2]: ["knives_weapons", "drugs_alcohol"],
    TEXTS[3]: ["social_media"],
}


def _reviewed_campaign(db, world: World, session_for):  # type: ignore[no-untyped-def]
    answers = give_texts(db, world, TEXTS)
    client = session_for(world.a.users["analyst"])
    base = f"/staff/campaigns/{world.a.campaign.id}/coding"
    client.post(f"{base}/run")
    for a in answers[:22]:
        client.post(f"{base}/review", data={"answer": f"{a.response_id}:{a.question_key}", "theme": TRUTH[a.text]})
    return client, base, answers


def test_retraining_is_queued_run_by_a_worker_and_reported(app, db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    app.config["CODING_RETRAIN_INLINE"] = False
    client, base, answers = _reviewed_campaign(db, world, session_for)
    queued = client.post(f"{base}/retrain", follow_redirects=True)
    assert "Retraining has been queued" in queued.text
    assert 'data-status="queued"' in client.get(base).text
    assert client.post(f"{base}/retrain").status_code == 302
    assert len(db.session.scalars(select(Job)).all()) == 1, "asking again while it waits does not queue another"

    result = app.test_cli_runner().invoke(args=["jobs", "work", "--once"])
    assert result.exit_code == 0 and "after 1 job(s)" in result.output, result.output
    page = client.get(base).text
    assert 'data-status="done"' in page and "Trained coder version 1 on 22 reviewed answers" in page

    model = db.session.scalar(select(CoderModel).where(CoderModel.version == 1))
    stored = db.session.get(CoderFile, model.id)
    assert stored is not None and stored.library_versions == library_versions()
    assert stored.data.startswith(MAGIC)
    assert not (app.instance_path and (__import__("pathlib").Path(app.instance_path) / "coders").exists())

    # Another server (nothing cached in this process) codes with the stored model.
    coder_files._LOADED.clear()
    db.session.execute(ThemeCode.__table__.delete().where(ThemeCode.source != "human"))
    db.session.commit()
    assert client.post(f"{base}/run").status_code == 302
    left = [a.response_id for a in answers[22:]]
    codes = db.session.scalars(select(ThemeCode).where(ThemeCode.response_id.in_(left))).all()
    assert codes and {c.source for c in codes} == {"model"}


def test_a_coder_stamped_with_other_library_versions_is_refused(app, db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    client, base, answers = _reviewed_campaign(db, world, session_for)
    assert client.post(f"{base}/retrain").status_code == 302  # inline in tests: the job runs at once
    model = db.session.scalar(select(CoderModel).where(CoderModel.version == 1))
    stored = db.session.get(CoderFile, model.id)
    older = {**library_versions(), "scikit-learn": "0.24.2"}
    _, _, body = stored.data[len(MAGIC) :].partition(b"\n")
    stored.data = MAGIC + json.dumps(older).encode() + b"\n" + body
    stored.library_versions = older
    stored.sha256 = "f" * 64
    db.session.commit()
    coder_files._LOADED.clear()

    page = client.get(base).text
    assert "cannot be used on this server" in page and "scikit-learn 0.24.2" in page
    assert client.post(f"{base}/run").status_code == 302
    left = [a.response_id for a in answers[22:]]
    codes = db.session.scalars(select(ThemeCode).where(ThemeCode.response_id.in_(left))).all()
    assert codes and {c.source for c in codes} == {"rule"}, "the rules code until the coder is retrained"


def test_only_the_newest_coders_keep_their_bytes(app, db, world: World, session_for) -> None:  # type: ignore[no-untyped-def]
    client, base, _ = _reviewed_campaign(db, world, session_for)
    for _ in range(coder_files.KEEP + 1):
        assert client.post(f"{base}/retrain").status_code == 302  # inline in tests
    versions = db.session.scalars(
        select(CoderModel.version)
        .join(CoderFile, CoderFile.coder_model_id == CoderModel.id)
        .order_by(CoderModel.version)
    ).all()
    assert versions == [2, 3, 4]
