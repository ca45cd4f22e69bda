"""An earlier wave's headline figures, imported from a CSV: every bad row named kindly (never a 500),
and findings comparing like with like, tested as two proportions and saying the figures were imported."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select
from statsmodels.stats.proportion import proportions_ztest

from analysis.disclosure import DisclosurePolicy
from analysis.findings import Settings, finding
from analysis.load import load_campaign
from analysis.waves import MAX_BYTES, parse_figures
from survey_app.extensions import db as _db
from survey_app.models import AuditEvent, ImportedFigure
from tests.staff.conftest import World

KNOWN = {"feel_safe_area": {"young_people", "children"}, "trusted_adult": {"children"}}
GOOD = "measure,audience,numerator,base,year,label,source\nfeel_safe_area,young_people,412,600,2024,Youth Survey 2024,Published report\n"


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return int(_db.session.scalar(select(func.count()).select_from(model)))


def test_a_good_file_parses():
    parsed = parse_figures(GOOD.encode(), KNOWN, 2026)
    assert parsed.ok and len(parsed.figures) == 1
    f = parsed.figures[0]
    assert (f.measure, f.audience, f.numerator, f.base, f.year, f.label) == (
        "feel_safe_area",
        "young_people",
        412,
        600,
        2024,
        "Youth Survey 2024",
    )
    words = parse_figures(
        b"\xef\xbb\xbfMeasure,Audience,Numerator,Base,Year\nfeel_safe_area,Young people,1,20,2024\n", KNOWN, 2026
    )
    assert words.ok and words.figures[0].audience == "young_people", "a BOM, capitals and plain audience words"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"measure,audience\x00,numerator", "NUL bytes"),
        (b"x" * (MAX_BYTES + 1), "should be under"),
        ("measure,audience,numerator,base,year\nfeel_safe_area,young_people,1,2,2024\n".encode("utf-16"), "NUL bytes"),
        ("measure,audience,numerator,base,year\nfeel_safe_área,young_people,1,2,2024\n".encode("latin-1"), "UTF-8"),
        (b"", "The file is empty"),
        (b"measure,audience,numerater,base,year\n", "missing: numerator"),
        (b"measure,audience,numerator,base,year\n", "no figures"),
        (b"measure,audience,numerator,base,year\nsleep_well,young_people,1,20,2024\n", "Row 2: no questionnaire"),
        (b"measure,audience,numerator,base,year\nfeel_safe_area,aliens,1,20,2024\n", "Row 2: the audience"),
        (b"measure,audience,numerator,base,year\ntrusted_adult,young_people,1,20,2024\n", "are not asked"),
        (b"measure,audience,numerator,base,year\nfeel_safe_area,young_people,30,20,2024\n", "larger than the base"),
        (b"measure,audience,numerator,base,year\nfeel_safe_area,young_people,1,0,2024\n", "the base is 0"),
        (b"measure,audience,numerator,base,year\nfeel_safe_area,young_people,-1,20,2024\n", "whole number"),
        (b"measure,audience,numerator,base,year\nfeel_safe_area,young_people,1.5,20,2024\n", "whole number"),
        (b"measure,audience,numerator,base,year\nfeel_safe_area,young_people,1,20,2031\n", "the year should be"),
        (
            b"measure,audience,numerator,base,year,label\nfeel_safe_area,young_people,1,20,2024,=HYPERLINK(1)\n",
            "formula",
        ),
        (b"measure,audience,numerator,base,year\n@SUM(A1),young_people,1,20,2024\n", "formula"),
        (GOOD.encode() + b"feel_safe_area,young_people,1,20,2024,,\n", "Row 3: the same measure"),
        # The csv module's field limit is process-wide (another test may raise it): either refusal will do.
        (b'measure,audience,numerator,base,year\n"' + b"x" * 200_000 + b'",1,2,3,4\n', "could not be read|Row 2:"),
        (b"measure,audience,numerator,base,year\n" + b"a,b,1,2,3\n" * 3000, "more than"),
    ],
)
def test_every_bad_file_is_refused_in_words(raw: bytes, expected: str):
    parsed = parse_figures(raw, KNOWN, 2026)
    assert not parsed.ok
    assert any(e in p for p in parsed.problems for e in expected.split("|")), parsed.problems


def test_problems_are_listed_for_every_row_but_not_without_end():
    raw = b"measure,audience,numerator,base,year\n" + b"nope,young_people,5,1,2024\n" * 200
    parsed = parse_figures(raw, KNOWN, 2026)
    assert not parsed.figures and len(parsed.problems) == 50 and parsed.more_problems > 0
    assert parsed.problems[0].startswith("Row 2:") and parsed.problems[1].startswith("Row 2:")


def _post(client, world: World, body: bytes, name: str = "earlier.csv"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/staff/campaigns/{world.a.campaign.id}/data/earlier-figures",
        data={"file": (io.BytesIO(body), name)},
        content_type="multipart/form-data",
    )


def test_an_analyst_imports_figures_through_the_form(app, db, world: World, session_for):
    analyst = session_for(world.a.users["analyst"])
    bad = _post(analyst, world, GOOD.encode() + b"feel_safe_area,young_people,700,600,2023\n")
    assert bad.status_code == 400
    assert "Row 3: the numerator (700) is larger than the base (600)." in bad.get_data(as_text=True)
    assert _count(ImportedFigure) == 0, "nothing is imported while any row is wrong"
    assert _post(analyst, world, b"\x00\x01binary").status_code == 400
    empty = analyst.post(f"/staff/campaigns/{world.a.campaign.id}/data/earlier-figures", data={})
    assert empty.status_code == 400 and "Choose the CSV file" in empty.get_data(as_text=True)
    good = _post(analyst, world, GOOD.encode())
    assert good.status_code == 302
    figure = db.session.scalar(select(ImportedFigure))
    assert (figure.campaign_id, figure.measure, figure.numerator, figure.base) == (
        world.a.campaign.id,
        "feel_safe_area",
        412,
        600,
    )
    # The same measure, audience and year again replaces it.
    assert _post(analyst, world, GOOD.replace("412", "400").encode()).status_code == 302
    db.session.expire_all()
    assert [f.numerator for f in db.session.scalars(select(ImportedFigure))] == [400]
    page = analyst.get(f"/staff/campaigns/{world.a.campaign.id}/data").get_data(as_text=True)
    assert "Youth Survey 2024" in page and "67%" in page
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "earlier_figures_imported")).all()
    assert len(events) == 2 and events[0].details["figures"] == 1 and events[0].details["years"] == [2024]
    removed = analyst.post(f"/staff/campaigns/{world.a.campaign.id}/data/earlier-figures/remove", data={"year": "2024"})
    assert removed.status_code == 302 and _count(ImportedFigure) == 0
    viewer = session_for(world.a.users["viewer"])
    assert _post(viewer, world, GOOD.encode()).status_code == 403 and _count(ImportedFigure) == 0


def test_import_csv_then_findings_compare_with_2024(shipped_app, tmp_path: Path) -> None:
    from survey_app.demo import CAMPAIGN_SLUG, build_demo

    build_demo(responses=300)
    data = load_campaign(_db.engine, CAMPAIGN_SLUG)
    settings = Settings(policy=DisclosurePolicy(threshold=10))
    before = finding(data, key="feel_safe_area", questionnaire="young-people", settings=settings)
    assert not before.comparisons or all(line.kind != "earlier" for line in before.comparisons)
    csv_file = tmp_path / "wave-2024.csv"
    csv_file.write_text(
        "measure,audience,numerator,base,year,label,source\n"
        "feel_safe_area,young_people,120,400,2024,Youth Survey 2024,Partnership report 2024\n"
        "feel_safe_area,children,390,400,2024,,\n",
        encoding="utf-8",
    )
    runner = shipped_app.test_cli_runner()
    result = runner.invoke(args=["data", "import-wave", CAMPAIGN_SLUG, str(csv_file)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 figure(s) from 2024" in result.output
    event = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "earlier_figures_imported"))
    assert event is not None and event.actor == "command line"

    data = load_campaign(_db.engine, CAMPAIGN_SLUG)
    found = finding(data, key="feel_safe_area", questionnaire="young-people", settings=settings)
    lines = [line for line in found.comparisons if line.kind == "earlier"]
    assert len(lines) == 1, "the young people's figure only: like with like"
    line = lines[0]
    assert line.label == "the imported 2024 figure" and line.theirs == pytest.approx(30.0)
    assert line.citation == "Youth Survey 2024: 120 of 400 (imported figures); Partnership report 2024"
    ours = found.table.subtotals[found.headline]
    base = found.table.total.value
    assert ours.value is not None and base is not None
    z, p = proportions_ztest([ours.value, 120], [base, 400])
    assert line.test.z == pytest.approx(z) and line.test.p_value == pytest.approx(p)
    assert p < 0.05 and ours.value / base > 0.3 and line.words == "an increase since"
    assert (
        "an increase since the imported 2024 figure (from 30%)" in found.statement and "(from 30%)" in found.statement
    ), found.statement
    # Pooled over audiences, and the easy-read version (part of the audience), are other people: no comparison.
    pooled = finding(data, measure="feel_safe_area", settings=settings)
    assert all(line.kind != "earlier" for line in pooled.comparisons)
    easy = finding(data, key="feel_safe_area", questionnaire="young-people-easy-read", settings=settings)
    assert all(line.kind != "earlier" for line in easy.comparisons)
    children = finding(data, key="feel_safe_area", questionnaire="children", settings=settings)
    assert [line.theirs for line in children.comparisons if line.kind == "earlier"] == [pytest.approx(97.5)]

    # The findings report says so too, in its comparisons table, with where the figure came from.
    from analysis.report.build import ReportData, ReportSpec, build_report
    from analysis.report.render import render

    report = build_report(ReportData(data), ReportSpec(sections=["comparisons"], data_date="2026-11-01"))
    html = render(report, "html").decode()
    assert "the imported 2024 figure" in html and "120 of 400 (imported figures)" in html

    bad = tmp_path / "bad.csv"
    bad.write_text("measure,audience,numerator,base,year\nfeel_safe_area,young_people,500,400,2023\n")
    refused = runner.invoke(args=["data", "import-wave", CAMPAIGN_SLUG, str(bad)])
    assert refused.exit_code == 1 and "Row 2: the numerator (500) is larger than the base (400)." in refused.output
    assert _count(ImportedFigure) == 2


def test_the_analysis_tables_mirror_the_models():
    from analysis.exports.table import _response
    from analysis.waves import imported_figure
    from survey_app.models import Response

    for core, model in ((imported_figure, ImportedFigure.__table__), (_response, Response.__table__)):
        for column in core.columns:
            assert column.name in model.columns, f"{core.name}.{column.name} is not in the model"
            assert type(column.type)._type_affinity is type(model.columns[column.name].type)._type_affinity
