"""Loading questionnaires makes immutable, content-hashed versions; old answers keep their meaning."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from questionnaires.loader import QuestionnaireError
from survey_app.models import QuestionnaireVersion, Response
from survey_app.questionnaire_store import current_version, load_questionnaires
from tests.journey_helpers import complete, open_a_campaign_if_none_is, submission_key


def versions(db) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return [
        (v.questionnaire_id, v.version)
        for v in db.session.scalars(select(QuestionnaireVersion).order_by(QuestionnaireVersion.version))
    ]


def test_loading_twice_makes_one_version(db, loaded):
    loaded()
    assert versions(db) == [("all-types", 1)]


def test_comments_and_spacing_do_not_make_a_new_version(db, loaded, questionnaire_folder):
    path = questionnaire_folder / "all-types.yaml"
    path.write_text(
        "# a new comment\n\n" + path.read_text().replace("title: Every question type", "title:   Every question type")
    )
    loaded()
    assert versions(db) == [("all-types", 1)]


def test_editing_wording_makes_a_new_version_and_old_answers_keep_their_meaning(
    client, db, loaded, questionnaire_folder
):
    key = submission_key(complete(client))
    client.post("/survey/check", data={"submission_key": key})
    old = db.session.scalar(select(Response))
    old_version_id = old.questionnaire_version_id
    path = questionnaire_folder / "all-types.yaml"
    path.write_text(
        path.read_text()
        .replace("{value: knives, label: Knives}", "{value: knives, label: People with knives}")
        .replace("text: Have you carried a knife?", "text: In the last year, have you carried a knife?")
    )
    loaded()
    assert versions(db) == [("all-types", 1), ("all-types", 2)]
    new = current_version("all-types")
    assert new.version == 2 and new.id != old_version_id
    # The stored response still points at version 1, whose wording is untouched.
    db.session.expire_all()
    old = db.session.scalar(select(Response))
    assert old.questionnaire_version_id == old_version_id
    assert old.version.questionnaire.question("carried").text == "Have you carried a knife?"
    assert old.version.questionnaire.question("worries").label("knives") == "Knives"
    assert new.questionnaire.question("worries").label("knives") == "People with knives"
    # New respondents get the new version.
    fresh = client.application.test_client()
    fresh.post("/start", data={"questionnaire": "all-types"})
    assert "In the last year, have you carried a knife?" in fresh.get("/survey/page/choices").text


def test_someone_mid_survey_keeps_the_version_they_started(client, db, loaded, questionnaire_folder):
    open_a_campaign_if_none_is()
    client.post("/start", data={"questionnaire": "all-types"})
    path = questionnaire_folder / "all-types.yaml"
    path.write_text(path.read_text().replace("text: Have you carried a knife?", "text: Changed wording?"))
    loaded()
    assert "Have you carried a knife?" in client.get("/survey/page/choices").text


def test_versions_cannot_be_updated(db, loaded):
    version = db.session.scalar(select(QuestionnaireVersion))
    version.title = "Something else"
    with pytest.raises(ValueError, match="immutable"):
        db.session.flush()
    db.session.rollback()


def test_a_broken_file_loads_nothing(db, app, questionnaire_folder):
    (questionnaire_folder / "broken.yaml").write_text("id: broken\naudience: martians\n")
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaires(questionnaire_folder)
    assert "unknown audience 'martians'" in str(caught.value)
    assert db.session.scalar(select(func.count()).select_from(QuestionnaireVersion)) == 0


def test_cli_load_and_list(runner, db):
    result = runner.invoke(args=["questionnaires", "load"])
    assert result.exit_code == 0, result.output
    assert "all-types version 1 (new version)" in result.output
    again = runner.invoke(args=["questionnaires", "load"])
    assert "all-types version 1 (unchanged)" in again.output
    listing = runner.invoke(args=["questionnaires", "list"])
    assert "all-types\tversion 1\tyoung_people" in listing.output


def test_shipped_questionnaires_load_and_offer_every_audience(shipped_app):
    open_a_campaign_if_none_is()
    client = shipped_app.test_client()
    page = client.get("/start").text
    for label in ("primary school", "secondary school", "parent or carer"):
        assert label in page.lower(), label
