"""The campaign dashboard: counts every way, small numbers hidden, targets, population comparison."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from analysis.disclosure import DEFAULT_POLICY, Cell
from survey_app.demo import CAMPAIGN_SLUG, build_demo
from survey_app.extensions import db as _db
from survey_app.models.campaigns import Campaign
from survey_app.models.questionnaires import QuestionnaireVersion
from survey_app.models.responses import Response
from survey_app.staff.data.population import DEFAULT_POPULATION, load_population
from survey_app.staff.fieldwork.dashboard import build_dashboard, dashboard_publication
from survey_app.staff.fieldwork.representation import band_range
from tests.analysis.test_publication import recovered
from tests.staff.conftest import World


def _cells(board: Any) -> list[Cell]:
    """Every published cell on the dashboard."""
    cells = [board.total, board.complete]
    for breakdown in [
        board.by_audience,
        board.by_collection_point,
        board.by_day,
        *board.by_age_band,
        *([board.by_area] if board.by_area else []),
    ]:
        cells += [cell for _, cell in breakdown.rows()] + [breakdown.counts.total]
    for _, rows in board.completion:
        cells += [c for row in rows for c in (row.answered, row.stopped_here)]
    cells += [t.count for t in board.targets]
    cells += [row.sample for comparison in board.population for row in comparison.rows]
    return cells


def _row(html: str, label: str) -> str:
    match = re.search(rf"<tr>\s*<th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", html, re.S)
    assert match, f"no row {label}"
    return match.group(1)


def test_no_count_below_ten_is_published(app, db, world: World):
    load_population(DEFAULT_POPULATION)
    board = build_dashboard(world.a.campaign)
    cells = _cells(board)
    assert len(cells) > 30
    published = [c.value for c in cells if c.value is not None]
    assert published and not [v for v in published if 0 < v < 10]
    assert any(c.suppressed for c in cells)


def test_dashboard_page_says_fewer_than_10(app, db, world: World, session_for):
    page = session_for(world.a.users["analyst"]).get(f"/staff/campaigns/{world.a.campaign.id}/dashboard")
    assert page.status_code == 200
    html = page.text
    # 5 responses came through the youth club: hidden; the school's 20 is hidden too, or 25 - 20 gives it away.
    youth_club = _row(html, "Alderley Youth Club")
    assert "[c]" in youth_club and ">5<" not in youth_club
    assert "[c]" in _row(html, "Alderley High School") and ">20<" not in _row(html, "Alderley High School")
    assert "<strong>25</strong> responses" in html
    # 5 unfinished is a small group, so the 20 finished is hidden too (25 - 20 would give it away).
    assert "how many finished is hidden, to protect a group of fewer than 10" in html
    # Every day had fewer than 10.
    assert html.count(": hidden</title>") == 3
    assert "numbers of fewer than 10 people are not shown" in html


def test_targets_and_audiences(app, db, world: World, session_for):
    html = (
        session_for(world.a.users["communications_lead"]).get(f"/staff/campaigns/{world.a.campaign.id}/dashboard").text
    )
    total = _row(html, "All responses")
    assert ">25<" in total and ">100<" in total and "25%" in total
    assert ">25<" in _row(html, "Young people (11 to 18)")


def test_sample_compared_with_population(app, db, world: World, session_for):
    assert load_population(DEFAULT_POPULATION) == 2 * 91
    db.session.commit()
    board = build_dashboard(world.a.campaign)
    assert not board.population, "the all-types questionnaire has no age bands to compare"
    # Girls and boys in the sample against the population (13 boys, 12 girls out of 25).
    html = session_for(world.a.users["analyst"]).get(f"/staff/campaigns/{world.a.campaign.id}/dashboard").text
    assert "Sample compared with the population" in html


def _trafford_campaign(questionnaire_ids: list[str]) -> Campaign:
    """A January 2026 campaign of Trafford's partnership (Trafford's population estimates loaded)."""
    import datetime as dt

    from survey_app.models import Partnership

    load_population(DEFAULT_POPULATION)
    partnership = Partnership(name="Trafford", area_code="E08000009")
    _db.session.add(partnership)
    _db.session.flush()
    campaign = Campaign(
        slug="t",
        name="T",
        opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2026, 2, 1),
        questionnaire_ids=questionnaire_ids,
        partnership_id=partnership.id,
    )
    _db.session.add(campaign)
    return campaign


def test_population_comparison_on_shipped_questionnaires(shipped_app):
    """With real questionnaires (age bands) and Trafford's estimates, each band gets a population share."""
    import datetime as dt

    from sqlalchemy import select

    from survey_app.extensions import db
    from survey_app.models import Answer, QuestionnaireVersion, Response

    campaign = _trafford_campaign(["young-people"])
    version = db.session.scalar(
        select(QuestionnaireVersion).where(QuestionnaireVersion.questionnaire_id == "young-people")
    )
    bands = ["11-12"] * 40 + ["13-14"] * 40 + ["15-16"] * 40 + ["17-18"] * 5
    for i, band in enumerate(bands):
        r = Response(
            questionnaire_version_id=version.id,
            audience="young_people",
            language="en",
            campaign_id=campaign.id,
            submitted_on=dt.date(2026, 1, 2),
            idempotency_key=f"k{i}",
        )
        r.answers = [
            Answer(question_key="age_band", position=0, value=band),
            Answer(question_key="gender", position=0, value="girl" if i % 3 else "boy"),
        ]
        db.session.add(r)
    db.session.commit()
    board = build_dashboard(campaign)
    [comparison] = board.population
    rows = {row.label: row for row in comparison.rows}
    assert set(rows) >= {"Aged 11 to 12", "Aged 17 to 18", "Girls and women", "Boys and men"}
    assert (
        rows["Aged 17 to 18"].ratio is None and rows["Aged 17 to 18"].no_ratio_reason == "too few answers to show yet"
    )
    assert (
        abs(sum(rows[f"Aged {b}"].population_percent for b in ("11 to 12", "13 to 14", "15 to 16", "17 to 18")) - 100)
        < 0.01
    )
    assert rows["Aged 17 to 18"].sample.suppressed and rows["Aged 17 to 18"].ratio is None
    assert not rows["Aged 11 to 12"].under_represented
    assert rows["Boys and men"].under_represented  # a third of the sample, about half the population
    assert "Trafford" in comparison.source


def test_band_ranges():
    assert band_range("11-12") == (11, 12)
    assert band_range("8") == (8, 8)
    assert band_range("65+") == (65, 200)


def test_no_hidden_count_on_the_page_can_be_worked_out_from_the_others(shipped_app):
    # Five professionals (hidden, with the young adults' count hidden to protect them), and every
    # young adult gave their age: each table protected alone shows the young adults' 35 or so in
    # their age table, and the total minus the audiences then gives the five professionals.
    build_demo(responses=400)
    campaign = _db.session.scalar(select(Campaign).filter_by(slug=CAMPAIGN_SLUG))
    responses = list(_db.session.scalars(select(Response).filter_by(campaign_id=campaign.id)))
    age_keys = {
        q.key
        for version in _db.session.scalars(select(QuestionnaireVersion))
        for q in version.questionnaire.questions()
        if q.demographic == "age_band"
    }
    professionals = [r for r in responses if r.audience == "professionals"]
    no_age = [
        r for r in responses if r.audience == "young_adults" and not {a.question_key for a in r.answers} & age_keys
    ]
    for r in professionals[5:] + no_age:
        _db.session.delete(r)
    _db.session.commit()

    tables = dashboard_publication(campaign)
    each_alone = [(table, table.protect(DEFAULT_POLICY, set())) for table, _ in tables]
    assert 5 in [value for value, _, _ in recovered(each_alone)], "tables protected one by one give each other away"
    assert recovered(tables) == []
    board = build_dashboard(campaign)
    assert board.by_audience.counts["professionals"].suppressed


def test_the_easy_read_versions_tables_say_so(shipped_app):
    """Young people answering the standard and the easy-read version get a table each, told apart by title."""
    import datetime as dt

    from survey_app.models import Answer, QuestionnaireVersion, Response

    campaign = _trafford_campaign(["young-people", "young-people-easy-read"])
    n = 0
    for questionnaire_id, people in (("young-people", 60), ("young-people-easy-read", 40)):
        version = _db.session.scalar(
            select(QuestionnaireVersion).where(QuestionnaireVersion.questionnaire_id == questionnaire_id)
        )
        for i in range(people):
            n += 1
            response = Response(
                questionnaire_version_id=version.id,
                audience="young_people",
                language="en",
                campaign_id=campaign.id,
                submitted_on=dt.date(2026, 1, 2),
                idempotency_key=f"k{n}",
            )
            response.answers = [
                Answer(question_key="age_band", position=0, value=["11-12", "13-14", "15-16", "17-18"][i % 4]),
                Answer(question_key="gender", position=0, value="girl" if i % 2 else "boy"),
            ]
            _db.session.add(response)
    _db.session.commit()
    board = build_dashboard(campaign)
    assert [b.title for b in board.by_age_band] == [
        "Young people (11 to 18): age",
        "Young people (11 to 18), easy read: age",
    ]
    assert [c.title for c in board.population] == ["Young people (11 to 18)", "Young people (11 to 18), easy read"]


def test_a_share_hidden_beside_a_large_count_is_not_called_too_few_answers():
    from analysis.disclosure import Cell
    from survey_app.staff.fieldwork.representation import PopulationRow

    assert PopulationRow("Aged 9", Cell(101), 24.0, None).no_ratio_reason == "share hidden to protect a small group"
    assert PopulationRow("Aged 9", Cell(None), 24.0, None).no_ratio_reason == "too few answers to show yet"


def test_parents_are_not_set_beside_everyone_of_their_ages(shipped_app):
    """Parents and carers are not a share of all adults: beside every 65-year-old in the area they read as
    under-represented for being parents. Young people, who are everyone of their ages, are compared."""
    import datetime as dt

    from survey_app.models import Answer, QuestionnaireVersion, Response

    campaign = _trafford_campaign(["young-people", "parents-carers"])
    n = 0
    for questionnaire_id, audience, bands in (
        ("young-people", "young_people", ["11-12", "13-14", "15-16", "17-18"]),
        ("parents-carers", "parents_carers", ["25-34", "35-44", "45-54", "65+"]),
    ):
        version = _db.session.scalar(
            select(QuestionnaireVersion).where(QuestionnaireVersion.questionnaire_id == questionnaire_id)
        )
        for i in range(40):
            n += 1
            response = Response(
                questionnaire_version_id=version.id,
                audience=audience,
                language="en",
                campaign_id=campaign.id,
                submitted_on=dt.date(2026, 1, 2),
                idempotency_key=f"k{n}",
            )
            response.answers = [Answer(question_key="age_band", position=0, value=bands[i % 4])]
            _db.session.add(response)
    _db.session.commit()
    board = build_dashboard(campaign)
    assert [c.title for c in board.population] == ["Young people (11 to 18)"]
    assert board.not_compared == ["Parents and carers"]
    assert board.not_compared_note == (
        "Parents and carers are not compared with the population: the area's population of the same ages is "
        "everyone of those ages, not this group."
    )
