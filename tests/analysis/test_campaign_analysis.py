"""Analysis of real databases built by the app: exact figures from hand-made answers, and the demo data.

Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set. The tests use the app to build the
database; analysis itself only gets the database URL.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections import Counter

import numpy as np
import pytest
from flask import Flask
from sqlalchemy import create_engine, func, select

from analysis import schema
from analysis.__main__ import main as cli
from analysis.config import reporting_categories
from analysis.disclosure import DisclosurePolicy, DisclosureRefused
from analysis.findings import Settings, finding, full_report
from analysis.load import load_campaign
from analysis.stats import chi_square_test, wilson_interval
from analysis.weighting import WeightingReport, Weights, load_population, weight_campaign
from analysis.wording import to_text
from survey_app.extensions import db
from survey_app.models import Answer, Campaign, CollectionPoint, QuestionnaireVersion, Response


def _url(app: Flask) -> str:
    return str(app.config["SQLALCHEMY_DATABASE_URI"])


def _campaign(slug: str, year: int) -> Campaign:
    campaign = Campaign(
        slug=slug,
        name=f"Youth Safety Survey {year}",
        description="",
        opens_on=dt.date(year, 9, 1),
        closes_on=dt.date(year + 1, 3, 31),
        questionnaire_ids=["young-people"],
    )
    db.session.add(campaign)
    db.session.flush()
    return campaign


def _respond(
    campaign: Campaign,
    answers: list[dict[str, list[str]]],
    point: CollectionPoint | None = None,
    questionnaire_id: str = "young-people",
) -> None:
    version = db.session.scalar(select(QuestionnaireVersion).filter_by(questionnaire_id=questionnaire_id))
    assert version is not None
    questionnaire = version.questionnaire
    for given in answers:
        response = Response(
            questionnaire_version_id=version.id,
            audience="young_people",
            language="en",
            campaign_id=campaign.id,
            collection_point_id=point.id if point else None,
            submitted_on=dt.date(2026, 10, 1),
            idempotency_key=secrets.token_hex(8),
        )
        for key, values in given.items():
            q = questionnaire.question(key)
            for position, value in enumerate(values):
                response.answers.append(
                    Answer(
                        question_key=key,
                        position=position,
                        measure=q.measure,
                        value=value,
                        rank=position + 1 if q.type == "ranking" else None,
                    )
                )
        db.session.add(response)
    db.session.flush()


def _people(**counts: int) -> list[str]:
    return [value for value, n in counts.items() for _ in range(n)]


@pytest.fixture
def hand_made(shipped_app: Flask) -> str:
    """60 young people with known answers in "youth-2026", and 100 in an earlier "youth-2024"."""
    now = _campaign("youth-2026", 2026)
    point = CollectionPoint(campaign_id=now.id, name="Canalside High School", kind="school", code="CANAL1")
    db.session.add(point)
    db.session.flush()
    safe = _people(very_safe=30, fairly_safe=12, very_unsafe=10, fairly_unsafe=5, dont_know=3)
    gender = ["girl" if i % 12 < 7 else "boy" for i in range(60)]  # 35 girls, 25 boys, spread over the answers
    answers = []
    for i, feeling in enumerate(safe):
        person = {"feel_safe_area": [feeling], "gender": [gender[i]]}
        if feeling in ("very_unsafe", "fairly_unsafe"):  # 15 people: 12 tick ASB, 4 tick gangs
            n = i - 42
            person["unsafe_reasons"] = ["asb"] * (n < 12) + ["gangs"] * (n >= 11)
        answers.append(person)
    _respond(now, answers, point)
    then = _campaign("youth-2024", 2024)
    _respond(then, [{"feel_safe_area": [v]} for v in _people(very_safe=60, fairly_safe=30, very_unsafe=10)])
    db.session.commit()
    return _url(shipped_app)


def test_findings_are_exact_and_say_only_what_the_tests_support(hand_made: str) -> None:
    data = load_campaign(hand_made, "youth-2026")
    assert data.n == 60 and data.point_names == ["Canalside High School"]
    settings = Settings(earlier=load_campaign(hand_made, "youth-2024"))
    f = finding(data, measure="feel_safe_area", by=["gender"], settings=settings)

    assert f.base.value == 60
    assert [(label, c.display) for label, c in f.table.items()] == [
        ("Very safe", "30"),
        ("Fairly safe", "12"),
        ("Fairly unsafe", "[c]"),
        ("Very unsafe", "10"),
        ("Don't know", "[c]"),
    ]  # 5 and 3 are small, and hide each other: only their sum (8) follows
    top = f.table.subtotals["Very safe or Fairly safe"]
    low, high = wilson_interval(42, 60)
    assert top.value == 42 and top.percent == pytest.approx(70) and top.ci == pytest.approx((100 * low, 100 * high))

    # The Greater Manchester figure describes adults: young people are not compared with it, and a note says so.
    words = {line.label: line.words for line in f.comparisons}
    assert words == {"2024": "a reduction since"}
    assert f.statement == (
        f"70% of young people aged 11 to 18 said they feel very or fairly safe in their local area "
        f"(95% CI {100 * low:.0f}–{100 * high:.0f}%), a reduction since 2024 (from 90%)."
    )
    assert any(
        note.startswith("Not compared with the Greater Manchester average for adults (adults in Greater Manchester")
        and "people aged 18 and over, and these answers come from people aged 11 to 18" in note
        for note in f.notes
    )

    by_gender = f.breakdowns[0].table
    # Shared reporting categories, so a child's "Girl" and an adult's "Woman" are one row.
    assert by_gender.row_labels == ("Female", "Male")
    assert reporting_categories()["gender"]["woman"] == "Female"
    assert reporting_categories()["age_band"]["11"] == reporting_categories()["age_band"]["11-12"]
    published = [c.value for row in by_gender.cells for c in row] + [c.value for c in by_gender.row_totals]
    assert not any(v is not None and 0 < v < 10 for v in published)
    assert by_gender.total.value == 60


def test_a_finding_hides_a_shared_figure_in_every_table_that_shows_it(hand_made: str) -> None:
    data = load_campaign(hand_made, "youth-2026")
    for key in ("feel_safe_area", "unsafe_reasons"):
        f = finding(data, key=key, by=["gender", "collection_point", "audience"])
        answers = [cell.suppressed for cell in f.table.cells]
        for b in f.breakdowns:
            assert [cell.suppressed for cell in b.table.col_totals] == answers, (key, b.name)
            for name, (_, total) in b.table.subtotals.items():
                assert total.suppressed == f.table.subtotals[name].suppressed


def test_similar_when_the_difference_is_not_significant(hand_made: str) -> None:
    data = load_campaign(hand_made, "youth-2026")
    earlier = load_campaign(hand_made, "youth-2024")
    f = finding(data, key="feel_safe_area", settings=Settings(benchmarks=[], earlier=earlier))
    assert [line.words for line in f.comparisons] == ["a reduction since"]
    f = finding(earlier, key="feel_safe_area", settings=Settings(benchmarks=[], earlier=earlier))
    assert [line.words for line in f.comparisons] == ["similar to"]
    assert f.statement.endswith("similar to 2024 (90%).")


def test_an_earlier_wave_is_the_same_questionnaire_not_every_version_for_the_audience(hand_made: str) -> None:
    then = _campaign("youth-2025", 2025)
    _respond(then, [{"feel_safe_area": [v]} for v in _people(very_safe=60, fairly_safe=30, very_unsafe=10)])
    easy_read = [{"feel_safe_area": [v]} for v in _people(very_safe=10, fairly_safe=30, very_unsafe=60)]
    _respond(then, easy_read, questionnaire_id="young-people-easy-read")
    db.session.commit()
    settings = Settings(benchmarks=[], earlier=load_campaign(hand_made, "youth-2025"))
    f = finding(
        load_campaign(hand_made, "youth-2026"), key="feel_safe_area", questionnaire="young-people", settings=settings
    )
    # 42 of 60 now against 90 of 100 on the same questionnaire; with the easy-read version mixed in it
    # would be 130 of 200 (65%), "similar".
    [line] = f.comparisons
    assert line.theirs == pytest.approx(90) and line.words == "a reduction since"


def test_a_measure_pooled_across_versions_uses_its_neutral_wording(hand_made: str) -> None:
    both = _campaign("youth-2027", 2027)
    _respond(both, [{"feel_safe_area": [v]} for v in _people(very_safe=30, fairly_safe=20)])
    _respond(both, [{"feel_safe_area": ["fairly_safe"]}] * 20, questionnaire_id="young-people-easy-read")
    db.session.commit()
    f = finding(load_campaign(hand_made, "youth-2027"), measure="feel_safe_area", settings=Settings(benchmarks=[]))
    # Neither "How safe or unsafe do you feel in your local area?" nor the easy read's "Do you feel safe
    # where you live?" with its "Quite safe": the measure's own words and the scale's labels.
    assert f.question == "How safe do you feel in your local area?"
    assert f.table.labels[:2] == ("Very safe", "Fairly safe")
    assert f.table["Fairly safe"].value == 40
    data = load_campaign(hand_made, "youth-2027")
    easy = finding(data, key="feel_safe_area", questionnaire="young-people-easy-read", settings=Settings(benchmarks=[]))
    main = finding(data, key="feel_safe_area", questionnaire="young-people", settings=Settings(benchmarks=[]))
    assert easy.subject == "young people aged 11 to 18 (easy-read version)"
    assert main.subject == "young people aged 11 to 18"
    # Each sentence says what its people answered: the easy read's "Quite safe", the pooled scale's "Fairly safe".
    assert "said they feel very or fairly safe in their local area" in f.statement
    assert "said they feel very or fairly safe in their local area" in main.statement
    assert "said they feel very or quite safe in their local area" in easy.statement


def test_weighted_findings_say_so_and_quote_the_questions_own_effective_size(hand_made: str) -> None:
    data = load_campaign(hand_made, "youth-2026")
    values = np.where(np.arange(data.n) % 2 == 0, 0.5, 1.5)
    report = WeightingReport("young-people", data.n, ("age band × sex",), True, 3, 1.25, 48.0, 1.5)
    settings = Settings(benchmarks=[], weights=Weights(values, (report,), "test"))
    f = finding(data, key="unsafe_reasons", settings=settings)
    [line] = f.weighting
    assert "of the 15 who answered" in line and "effective sample size 48 of 60" not in line
    f = finding(data, key="feel_safe_area", settings=settings)
    assert "(weighted estimate, 95% CI" in f.statement and "; 60 answered)" in f.statement
    text = to_text([f])
    assert "Wtd %" in text and "Total who answered (unweighted)" in text


def test_a_weighted_breakdown_tests_the_weighted_percentages_it_shows(hand_made: str) -> None:
    data = load_campaign(hand_made, "youth-2026")
    gender, safe = data.find("gender")[0], data.find("feel_safe_area")[0]
    girl = gender.data == gender.code_of["girl"]
    top = np.isin(safe.data, [safe.code_of["very_safe"], safe.code_of["fairly_safe"]])
    # Girls and boys feel safe in the same share of people, but the weights make girls' weighted share far lower.
    values = np.where(girl & top, 0.2, np.where(girl, 3.0, 1.0))
    report = WeightingReport("young-people", data.n, ("age band × sex",), True, 3, 2.0, 30.0, 3.0)
    settings = Settings(benchmarks=[], weights=Weights(values, (report,), "test"))
    f = finding(data, measure="feel_safe_area", by=["gender"], settings=settings)
    b = f.breakdowns[0]
    raw = [[int((girl & top).sum()), int((girl & ~top).sum())], [int((~girl & top).sum()), int((~girl & ~top).sum())]]
    assert not chi_square_test(raw).significant  # the unweighted counts do not differ
    assert b.test is not None and b.test.method == "Rao–Scott" and b.test.significant
    assert "Rao–Scott chi-square" in b.statement


def test_a_report_adjusts_its_tests_together_and_says_how(hand_made: str) -> None:
    data = load_campaign(hand_made, "youth-2026")
    report = full_report(data, by=("gender",), settings=Settings(earlier=load_campaign(hand_made, "youth-2024")))
    tests = [line.test for f in report for line in f.comparisons] + [
        b.test for f in report for b in f.breakdowns if b.test is not None
    ]
    assert tests and all(t.adjusted_p is not None and t.adjusted_p >= t.p_value for t in tests)
    assert all(any("Benjamini–Hochberg" in note for note in f.notes) for f in report if f.comparisons)


def test_tick_all_protects_those_who_did_not_tick(hand_made: str) -> None:
    f = finding(load_campaign(hand_made, "youth-2026"), key="unsafe_reasons")
    assert f.base.value == 15
    asb, gangs = f.table["People causing trouble (anti-social behaviour)"], f.table["Gangs"]
    assert asb.suppressed and gangs.suppressed  # 12 of 15 would show the 3 who didn't tick it


def test_too_few_answers_give_no_figures(hand_made: str) -> None:
    f = finding(load_campaign(hand_made, "youth-2026"), key="why_carried", by=["gender"])
    assert f.statement == (
        "Fewer than 10 young people aged 11 to 18 answered \u201cWhy did you carry it?\u201d, so no figures are shown."
    )
    assert f.base.value == 0


def test_a_filter_close_to_the_whole_is_refused(hand_made: str) -> None:
    data = load_campaign(hand_made, "youth-2026")
    column = data.find("gender")[0]
    not_boys = column.data != column.code_of["boy"]
    finding(data, key="feel_safe_area", where=column.data == column.code_of["girl"], where_label="girls")
    everyone_but_three = np.ones(data.n, dtype=bool)
    everyone_but_three[:3] = False
    with pytest.raises(DisclosureRefused, match="3 people in between"):
        finding(data, key="feel_safe_area", where=everyone_but_three, where_label="all but three")
    assert not_boys.sum() == 35


def test_threshold_and_rounding_are_configurable(hand_made: str) -> None:
    data = load_campaign(hand_made, "youth-2026")
    f = finding(data, key="feel_safe_area", settings=Settings(policy=DisclosurePolicy(threshold=3, round_to=5)))
    assert [c.value for _, c in f.table.items()] == [30, 10, 5, 10, 5]  # 12 -> 10, 3 shown at threshold 3


def test_the_command_line(hand_made: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        cli(
            [
                "findings",
                "--database-url",
                hand_made,
                "--campaign",
                "youth-2026",
                "--question",
                "feel_safe_area",
                "--by",
                "gender",
                "--compare-with",
                "youth-2024",
                "--format",
                "json",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out[0]["statement"].startswith("70% of young people aged 11 to 18 said")
    assert out[0]["breakdowns"][0]["by"] == "gender"
    assert "[c]" in out[0]["answers"]["note"]
    assert (
        cli(
            [
                "findings",
                "--database-url",
                hand_made,
                "--campaign",
                "youth-2026",
                "--question",
                "feel_safe_area",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.startswith("finding,question,subject,table,group,answer,count")
    assert cli(["findings", "--database-url", hand_made, "--campaign", "nope"]) == 2
    assert "no campaign" in capsys.readouterr().err
    assert cli(["campaigns", "--database-url", hand_made]) == 0
    assert capsys.readouterr().out.split() == ["youth-2024", "youth-2026"]


def test_demo_data_loads_exactly_and_every_question_gives_a_finding(shipped_app: Flask) -> None:
    from survey_app.demo import CAMPAIGN_SLUG, build_demo

    build_demo(responses=300)
    url = _url(shipped_app)
    data = load_campaign(url, CAMPAIGN_SLUG)
    assert data.n == 300

    # Every loaded count equals a count straight from the answer table.
    engine = create_engine(url)
    a, r, v = schema.answer, schema.response, schema.questionnaire_version
    query = (
        select(v.c.questionnaire_id, a.c.question_key, a.c.value, a.c.rank, func.count())
        .select_from(a.join(r, r.c.id == a.c.response_id).join(v, v.c.id == r.c.questionnaire_version_id))
        .where(a.c.value.is_not(None))
        .group_by(v.c.questionnaire_id, a.c.question_key, a.c.value, a.c.rank)
    )
    with engine.connect() as conn:
        expected = Counter({(q, k, val, rank): n for q, k, val, rank, n in conn.execute(query)})
    engine.dispose()
    loaded: Counter[tuple[str, str, str, int | None]] = Counter()
    for (qid, key), column in data.columns.items():
        for code, option in enumerate(column.options):
            if column.kind == "single":
                loaded[(qid, key, option.value, None)] += int((column.data == code).sum())
            elif column.kind == "multiple":
                loaded[(qid, key, option.value, None)] += int(((column.data >> np.uint64(code)) & np.uint64(1)).sum())
            elif column.kind == "ranking":
                for rank in range(1, 11):
                    loaded[(qid, key, option.value, rank)] += int((column.data[code] == rank).sum())
    assert +loaded == +expected

    settings = Settings(weights=weight_campaign(data, load_population()))
    report = full_report(
        data,
        by=("audience", "age_band", "gender", "ethnicity", "disability", "area", "collection_point"),
        settings=settings,
    )
    assert len(report) > 50 and all(f.statement.endswith(".") for f in report)
    assert any("weighted to age band × sex" in line for f in report for line in f.weighting)


def test_childrens_sentences_use_the_words_children_were_asked(hand_made: str) -> None:
    """Children were asked about places "to play and have fun" and feeling safe "at school", and answered
    "Quite safe": their sentences say so, not the young people's "free time" or "school or college"."""
    campaign = _campaign("children-2027", 2027)
    _respond(
        campaign,
        [
            {"feel_safe_school": [v], "places_to_go": [p]}
            for v, p in zip(
                _people(very_safe=20, fairly_safe=10, fairly_unsafe=10), _people(agree=25, disagree=15), strict=True
            )
        ],
        questionnaire_id="children",
    )
    db.session.commit()
    data = load_campaign(hand_made, "children-2027")
    school = finding(data, measure="feel_safe_school", settings=Settings(benchmarks=[]))
    places = finding(data, measure="places_to_go", settings=Settings(benchmarks=[]))
    assert "children aged 8 to 11 said they feel very or quite safe at school (" in school.statement
    assert "said there are good places near where they live to play and have fun (" in places.statement


def test_a_rankings_top_reasons_table_shows_the_first_choices_its_sentence_names(hand_made: str) -> None:
    """ "…and it was the most common first choice (40%)" had no first-choice figure in the table beside it."""
    from analysis.report.build import ReportSpec
    from analysis.report.findings_sections import reasons

    campaign = _campaign("adults-2027", 2027)
    ranked = [["more_police", "cctv"]] * 20 + [["cctv", "more_police"]] * 12 + [["street_lighting"]] * 18
    _respond(campaign, [{"what_would_help": r} for r in ranked], questionnaire_id="young-adults")
    db.session.commit()
    f = finding(load_campaign(hand_made, "adults-2027"), key="what_would_help", settings=Settings(benchmarks=[]))
    assert "the most common first choice" in f.statement
    [block] = reasons({"young_adults": [f]}, ReportSpec()).blocks
    assert block.table.columns == ["Number (%)", "First choice (%)"]
    police = next(r for r in block.table.rows if r.label == "More police and PCSOs on the streets")
    assert [c.value for c in police.cells] == [32, 20]
