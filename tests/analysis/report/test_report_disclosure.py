"""The whole report is one publication: an LP attacker who sees every number in it recovers no hidden figure.

The campaign is small and shaped to leak when the report's tables are protected one at a time: the
young people all came through one school, so the school's row in "responses by collection point" is
the young people's row in "responses by audience". Protected alone, the points table hides the
school (to cover a small library poster) while the audience table shows the young people, and
subtracting gives the library's 5 parents away.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from analysis.disclosure import Cell, DisclosurePolicy, ProtectedCounts, protect_counts
from analysis.disclosure.publication import LinkedTable
from analysis.findings import FindingRequest, Settings, findings_together, linked_tables
from analysis.load import CampaignData, load_campaign
from analysis.report.blocks import audience_view, campaign_audiences
from analysis.report.build import ReportData, ReportSpec, build_report
from analysis.report.methodology import NO_POINT
from analysis.report.model import FindingsReport, Section, Table, audience_label
from questionnaires.model import AUDIENCES
from survey_app.extensions import db
from survey_app.models import CollectionPoint
from tests.analysis.report.conftest import _campaign, _people, _respond, campaign_database
from tests.analysis.test_publication import THRESHOLD, Published, recovered

SPEC = ReportSpec(
    sections=["headlines", "comparisons", "reasons", "methodology"],
    reason_questions=["unsafe_reasons"],
    data_date="2026-11-01",
)


@dataclass
class Built:
    """The small campaign and the report on it."""

    data: CampaignData
    report: FindingsReport


def _make_campaign() -> None:
    """Young people (18, all through one school) and parents (23 at a parents' evening, 5 from a poster)."""
    now = _campaign("leaky-2026", 2026)
    points = [
        CollectionPoint(campaign_id=now.id, name=name, kind=kind, code=code)
        for name, kind, code in (
            ("Canalside High School", "school", "CANAL1"),
            ("Parents' evening", "community_event", "EVENT1"),
            ("Library poster", "paper", "POSTER1"),
        )
    ]
    db.session.add_all(points)
    db.session.flush()
    young: list[dict[str, list[str]]] = []
    for feeling in _people(very_safe=10, fairly_safe=5, very_unsafe=3):
        person = {"feel_safe_area": [feeling]}
        if feeling == "very_unsafe":
            person["unsafe_reasons"] = ["asb"]
        young.append(person)
    _respond(now, "young-people", young, points[0])
    parents = [{"feel_safe_area": [v]} for v in _people(very_safe=12, fairly_safe=5, fairly_unsafe=6)]
    _respond(now, "parents-carers", parents, points[1])
    _respond(now, "parents-carers", [{"feel_safe_area": [v]} for v in _people(very_safe=3, fairly_unsafe=2)], points[2])
    db.session.commit()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, _postgres_schema: None) -> Built:
    """The campaign loaded and the report built on it."""
    folder: Path = tmp_path_factory.mktemp("leaky")
    with campaign_database(folder) as url:
        _make_campaign()
        data = load_campaign(url, "leaky-2026")
    return Built(data, build_report(ReportData(data), SPEC))


def _settings() -> Settings:
    settings = Settings()
    settings.policy = DisclosurePolicy(threshold=SPEC.threshold, round_to=SPEC.round_to)
    return settings


def _requests(view: CampaignData) -> list[FindingRequest]:
    """What the report asks the engine for about one audience: its headline measures, then its why-questions."""
    measures = [m for m in SPEC.headline_measures if view.find(measure=m)]
    return [FindingRequest(measure=m) for m in measures] + [
        FindingRequest(key=k) for k in SPEC.reason_questions if view.find(k)
    ]


def _section(report: FindingsReport, kind: str) -> Section:
    return next(s for s in report.sections if s.kind == kind)


def _table(report: FindingsReport, table_id: str) -> Table:
    return next(t for t in _section(report, "methodology").tables if t.id == table_id)


def _published(table: Table, labels: list[str]) -> ProtectedCounts:
    """A one-column report table as the counts it publishes (a row left out, as a zero remainder, is 0)."""
    shown = {row.label: row.cells[0] for row in table.rows}
    cells = tuple(Cell(shown[label].value) if label in shown else Cell(0) for label in labels)
    total = shown["Total"].value if "Total" in shown else sum(c.value or 0 for c in cells)
    hidden_total = "Total" in shown and shown["Total"].suppressed
    return ProtectedCounts(tuple(labels), cells, Cell(None if hidden_total else total), DisclosurePolicy())


def _response_tables(data: CampaignData, report: FindingsReport) -> list[tuple[LinkedTable, Published]]:
    """The methodology's two response tables: the campaign's respondents split by audience and by point."""
    audience_of = data.audience_of()
    audiences = campaign_audiences(data)
    everyone = np.isin(audience_of, [AUDIENCES.index(a) for a in audiences])
    labels = [audience_label(a) for a in audiences]
    by_audience = LinkedTable(
        [everyone], [audience_of == AUDIENCES.index(a) for a in audiences], ["all"], labels, link="respondents"
    )
    points = data.point_index
    names = [*data.point_names, NO_POINT]
    by_point = LinkedTable(
        [everyone],
        [everyone & (points == j) for j in range(len(data.point_names))] + [everyone & (points < 0)],
        ["all"],
        names,
        link="respondents",
    )
    return [
        (by_audience, _published(_table(report, "method-audiences"), labels)),
        (by_point, _published(_table(report, "method-points"), names)),
    ]


def _finding_tables(data: CampaignData) -> list[tuple[LinkedTable, Published]]:
    """Every table of every finding the report shows, over the same respondents as the response tables."""
    out: list[tuple[LinkedTable, Published]] = []
    for audience in campaign_audiences(data):
        view = audience_view(data, [audience])
        requests = _requests(view)
        for request, found in zip(requests, findings_together(view, requests, _settings()), strict=True):
            out += [(t, p) for _, t, p in linked_tables(view, request, found, "respondents", _settings())]
    return out


def test_no_hidden_figure_in_the_report_can_be_worked_out_from_all_its_numbers(built: Built) -> None:
    tables = _response_tables(built.data, built.report) + _finding_tables(built.data)
    points = _table(built.report, "method-points")
    assert any(row.cells[0].suppressed for row in points.rows)  # the small poster is hidden...
    assert recovered(tables, THRESHOLD) == []  # ...and stays hidden when every table is read together


def test_the_headline_figures_are_the_engines_findings_published_together(built: Built) -> None:
    printed = {(h.finding_id, h.who): h for h in _section(built.report, "headlines").headlines}
    expected = 0
    for audience in campaign_audiences(built.data):
        view = audience_view(built.data, [audience])
        for f in findings_together(view, _requests(view), _settings()):
            if f.headline is None or f.base.value == 0:
                continue
            expected += 1
            h = printed[(f.id, f.subject)]
            cell = f.table.subtotals[f.headline]
            assert (h.figure.value, h.figure.percent, h.base.value) == (cell.value, cell.percent, f.base.value)
            assert h.statement == f.statement
    assert expected == len(printed) > 0
    compared = _section(built.report, "comparisons").blocks
    assert compared and all(b.table is not None for b in compared)


def test_a_response_table_published_alone_would_give_the_small_group_away(built: Built) -> None:
    # Each table protected on its own hides too little: the school's row (hidden) is the young
    # people's row (shown) in the other table, so the library poster's 5 can be worked out.
    tables = _response_tables(built.data, built.report)
    alone = [
        protect_counts(dict(zip(t.col_labels, t.counts()[0][0], strict=True)), total=t.counts()[1][0])
        for t, _ in tables
    ]
    assert [value for value, _, _ in recovered([(t, p) for (t, _), p in zip(tables, alone, strict=True)])] != []
