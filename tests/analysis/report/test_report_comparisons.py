"""Comparing audiences asked in their own words: the heading uses words every audience shares.

Children answer "Quite safe" to "How safe do you feel in the area where you live?" and "Agree a lot"
to "...good places near where I live to play and have fun"; young people and young adults answer
"Fairly safe" and "Strongly agree" to other wordings. A comparison headed in the children's words
would tell readers adults were asked a children's question.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analysis.load import CampaignData, load_campaign
from analysis.report.build import ReportData, ReportSpec, build_report
from analysis.report.model import Block, FindingsReport
from survey_app.extensions import db
from survey_app.models import Campaign
from tests.analysis.report.conftest import _people, _respond, campaign_database


def _answers(safe: int, unsafe: int, agree: int, disagree: int) -> list[dict[str, list[str]]]:
    feelings = _people(very_safe=safe // 2, fairly_safe=safe - safe // 2, fairly_unsafe=unsafe)
    places = _people(strongly_agree=agree // 2, agree=agree - agree // 2, disagree=disagree)
    return [{"feel_safe_area": [f], "places_to_go": [p]} for f, p in zip(feelings, places, strict=True)]


def _three_audiences(folder: Path, third: str) -> CampaignData:
    """Children and young people (30 each), and 30 answering `third`, in a campaign loaded for analysis."""
    with campaign_database(folder) as url:
        campaign = Campaign(
            slug="wording-2026",
            name="Wording 2026",
            description="",
            opens_on=dt.date(2026, 9, 1),
            closes_on=dt.date(2027, 3, 31),
            questionnaire_ids=["children", "young-people", third],
        )
        db.session.add(campaign)
        db.session.flush()
        _respond(campaign, "children", _answers(24, 6, 20, 10), None)
        _respond(campaign, "young-people", _answers(18, 12, 15, 15), None)
        _respond(campaign, third, _answers(21, 9, 12, 18), None)
        db.session.commit()
        return load_campaign(url, "wording-2026")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, _postgres_schema: None) -> FindingsReport:
    """Children, young people and young adults (30 each) answer both questions; the report compares them."""
    data = _three_audiences(tmp_path_factory.mktemp("wording"), "young-adults")
    spec = ReportSpec(
        sections=["headlines", "comparisons", "methodology"],
        headline_measures=["feel_safe_area", "places_to_go"],
        data_date="2026-11-01",
    )
    return build_report(ReportData(data), spec)


def _block(report: FindingsReport, block_id: str) -> Block:
    section = report.section("comparisons")
    assert section is not None
    return next(b for b in section.blocks if b.id == block_id)


def test_a_comparison_is_headed_in_neutral_words_and_each_row_says_what_that_audience_answered(
    report: FindingsReport,
) -> None:
    block = _block(report, "compare-feel_safe_area")
    assert block.title == "Top two answers: How safe do you feel in your local area?"
    assert block.table.columns == ["Top two answers"]
    assert [r.label for r in block.table.rows] == [
        "Children: Very safe or Quite safe",
        "Young people: Very safe or Fairly safe",
        "Young adults: Very safe or Fairly safe",
    ]
    assert "Quite safe" not in block.statement and "Quite safe" not in block.table.caption
    assert block.chart is not None
    assert [b.label for b in block.chart.bars] == [r.label for r in block.table.rows]
    # Each audience's own question is given, and the comparison called indicative.
    (note,) = block.table.notes
    assert "indicative" in note
    assert "children were asked \u201cHow safe do you feel in the area where you live?\u201d" in note
    assert "young adults were asked \u201cHow safe or unsafe do you feel in your local area?\u201d" in note


def test_young_adults_are_not_given_the_childrens_question(report: FindingsReport) -> None:
    block = _block(report, "compare-places_to_go")
    heading = " ".join([block.title, block.table.caption, block.statement, *block.table.columns])
    assert "play and have fun" not in heading and "Agree a lot" not in heading
    assert block.title == (
        "Top two answers: Are there good places for children and young people to spend their free time?"
    )
    assert [r.label for r in block.table.rows] == [
        "Children: Agree a lot or Agree",
        "Young people: Strongly agree or Agree",
        "Young adults: Strongly agree or Agree",
    ]


def test_a_difference_between_audiences_is_called_significant_only_after_the_reports_adjustment(
    report: FindingsReport,
) -> None:
    """The methodology promises "significant only when its adjusted p-value is below 0.05": the tests
    across audiences are in the report's family, as the results page has them, or the report called a
    difference significant that the results page, on the same figures, did not."""
    import re

    tested = [b.statement for b in report.section("comparisons").blocks if "chi-square" in b.statement]  # type: ignore[union-attr]
    assert tested
    for statement in tested:
        # The value that decides comes first: "no significant difference (p = 0.04, adjusted p = 0.06)"
        # read as a contradiction.
        adjusted = re.search(r"chi-square, adjusted p (?:= ([0-9.]+)|(<) 0\.001), unadjusted p", statement)
        assert adjusted, statement
        significant = "differed significantly" in statement
        assert significant == (adjusted.group(2) == "<" or float(adjusted.group(1)) < 0.05), statement


@pytest.mark.usefixtures("_postgres_schema")
def test_a_version_pooled_in_neutral_words_is_not_said_to_have_been_asked_them(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Young people answer the standard or the easy-read version: "young people were asked" must quote
    what those versions asked, not the neutral wording that heads the pooled table."""
    from analysis.config import measure_questions

    data = _three_audiences(tmp_path_factory.mktemp("easy"), "young-people-easy-read")
    asked = {c.questionnaire.id: c.question.text for c in data.find(measure="feel_safe_area")}
    spec = ReportSpec(
        sections=["headlines", "comparisons"], headline_measures=["feel_safe_area"], data_date="2026-11-01"
    )
    built = build_report(ReportData(data), spec)
    (note,) = _block(built, "compare-feel_safe_area").table.notes
    neutral = measure_questions()["feel_safe_area"]
    assert (
        f"young people were asked \u201c{asked['young-people']}\u201d or \u201c{asked['young-people-easy-read']}\u201d"
        in note
    )
    assert f"\u201c{neutral}\u201d" not in note
    young = next(f for f in built.section("headlines").blocks if f.id.startswith("headline-young_people"))  # type: ignore[union-attr]
    assert any(asked["young-people-easy-read"] in n for n in young.table.notes), young.table.notes
    # Both versions ask ages 11 to 18: named as everywhere else, not plain "young people".
    assert "of young people aged 11 to 18 said" in young.statement, young.statement


def test_the_method_says_why_the_audiences_ages_meet(report: FindingsReport) -> None:
    """ "Children aged 8 to 11" beside "young people aged 11 to 18" reads as if 11-year-olds were counted twice."""
    method = report.section("methodology")
    assert method is not None
    [meeting] = [p for p in method.paragraphs if "age ranges meet" in p]
    assert meeting.startswith("The surveys\u2019 age ranges meet at 11 and 18 because people chose the survey")
    assert "\u201cI'm at primary school (aged 8 to 11)\u201d" in meeting and "\u201cI'm aged 18 to 25\u201d" in meeting
    assert meeting.endswith("the answers of someone aged 11 or 18 are counted in one group only.")
