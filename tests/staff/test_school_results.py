"""A school's own results page: nothing below the threshold, headline figures beside the whole
campaign's above it, every figure protected together, never written answers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from survey_app.models import Answer, QuestionnaireVersion, Response
from survey_app.staff.campaigns.school_results import school_results
from tests.analysis.test_publication import recovered
from tests.staff.conftest import SECRET_WORDS, World


def answer_feel_safe(db, world: World, point_index: int, values: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Give the point's existing responses, then new ones, a 'feel safe in the area' answer each."""
    side = world.a
    point = side.points[point_index]
    version = db.session.scalars(select(QuestionnaireVersion).filter_by(questionnaire_id="all-types")).first()
    existing = list(db.session.scalars(select(Response).filter_by(collection_point_id=point.id)))
    for i, value in enumerate(values):
        if i < len(existing):
            response = existing[i]
        else:
            response = Response(
                questionnaire_version_id=version.id,
                audience="young_people",
                language="en",
                campaign_id=side.campaign.id,
                collection_point_id=point.id,
                completion="complete",
                submitted_on=dt.date(2026, 1, 6),
                idempotency_key=f"extra-{point.id}-{i}",
            )
            db.session.add(response)
        response.answers.append(Answer(question_key="feel_safe", position=0, value=value))
    db.session.commit()


def test_a_school_with_enough_pupils_sees_its_figures_beside_the_whole_campaign(world, session_for, db):  # type: ignore[no-untyped-def]
    # 30 pupils at the school (18 feel safe), 30 elsewhere (12 feel safe): no group under 10.
    answer_feel_safe(db, world, 0, ["very_safe"] * 18 + ["very_unsafe"] * 12)
    answer_feel_safe(db, world, 1, ["fairly_safe"] * 12 + ["fairly_unsafe"] * 18)
    coordinator = session_for(world.a.users["school_coordinator"])
    page = coordinator.get(f"/staff/points/{world.a.points[0].id}/results")
    assert page.status_code == 200
    html = page.text
    assert 'data-school-results="shown"' in html and 'data-measure="feel_safe_area"' in html
    assert "60% <span" in html  # 18 of 30 at the school
    assert "50% <span" in html  # 30 of 60 in the whole campaign
    assert SECRET_WORDS not in html and "unsafe_why" not in html  # written answers are never shown
    results = school_results(world.a.points[0])
    assert recovered(results.published) == []


def test_nothing_is_shown_below_the_threshold(world, session_for, db):  # type: ignore[no-untyped-def]
    answer_feel_safe(db, world, 1, ["very_safe"] * 5)  # the youth club has 5 sets of answers
    admin = session_for(world.a.users["administrator"])
    html = admin.get(f"/staff/points/{world.a.points[1].id}/results").text
    assert 'data-school-results="not-yet"' in html and "at least 10 pupils" in html
    assert "%" not in html.split("<main", 1)[-1].split("</main>", 1)[0]
    assert school_results(world.a.points[1]).lines == ()


def test_a_small_rest_of_the_campaign_cannot_be_worked_out_by_subtraction(world, db):  # type: ignore[no-untyped-def]
    # 30 at the school, only 5 anywhere else: the whole campaign minus the school would show those 5.
    answer_feel_safe(db, world, 0, ["very_safe"] * 18 + ["very_unsafe"] * 12)
    answer_feel_safe(db, world, 1, ["very_safe"] * 2 + ["very_unsafe"] * 3)
    results = school_results(world.a.points[0])
    assert results.enough and results.lines
    line = results.lines[0]
    if line.school.value is not None and line.campaign.value is not None:
        assert line.campaign.value - line.school.value == 0 or line.campaign.value - line.school.value >= 10
    if line.school_base.value is not None and line.campaign_base.value is not None:
        assert (
            line.campaign_base.value - line.school_base.value >= 10
            or line.campaign_base.value == line.school_base.value
        )
    assert recovered(results.published) == []


def test_another_schools_coordinator_cannot_see_the_page(world, session_for, db):  # type: ignore[no-untyped-def]
    coordinator = session_for(world.a.users["school_coordinator"])  # assigned only the first school
    assert coordinator.get(f"/staff/points/{world.a.points[1].id}/results").status_code == 404
    assert coordinator.get(f"/staff/points/{world.b.points[0].id}/results").status_code == 404


def test_the_school_is_compared_with_those_who_answered_the_same_questionnaire(world, db, loaded, questionnaire_folder):  # type: ignore[no-untyped-def]
    """Adults answering another questionnaire elsewhere do not move the figure the school is compared with."""
    adults = questionnaire_folder / "adults.yaml"
    adults.write_text(
        (questionnaire_folder / "all-types.yaml")
        .read_text()
        .replace("id: all-types", "id: adults-types")
        .replace("audience: young_people", "audience: parents_carers")
    )
    loaded()
    version = db.session.scalars(select(QuestionnaireVersion).filter_by(questionnaire_id="adults-types")).one()
    answer_feel_safe(db, world, 0, ["very_safe"] * 18 + ["very_unsafe"] * 12)
    answer_feel_safe(db, world, 1, ["fairly_safe"] * 12 + ["fairly_unsafe"] * 18)
    for i in range(40):  # 40 adults elsewhere, all feeling very unsafe
        response = Response(
            questionnaire_version_id=version.id,
            audience="parents_carers",
            language="en",
            campaign_id=world.a.campaign.id,
            collection_point_id=world.a.points[1].id,
            completion="complete",
            submitted_on=dt.date(2026, 1, 7),
            idempotency_key=f"adult-{i}",
        )
        response.answers.append(Answer(question_key="feel_safe", position=0, value="very_unsafe"))
        db.session.add(response)
    db.session.commit()
    line = school_results(world.a.points[0]).lines[0]
    assert (line.school.value, line.school_base.value) == (18, 30)
    assert (line.campaign.value, line.campaign_base.value) == (30, 60)  # the young people only, not 30 of 100
