"""The word clouds' tables and the themes table are one publication: an LP attacker who reads every
number the report prints (themes by audience, each audience's word table) recovers no hidden figure.

The text is shaped to leak when the two are protected apart: 8 of the 20 young people wrote about
youth clubs and 12 about the police. The themes table hides the 12 (it would reveal the 8 who did not
raise the police), yet the 12 who raised the police are exactly the 12 who wrote "police" and
"patrols", so a word table that shows "police: 12" hands the hidden figure back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pytest
from scipy.optimize import linprog

from analysis.report.build import ReportData, ReportSpec, build_report
from analysis.report.model import FindingsReport, Table, audience_label
from analysis.text.records import TextAnswer
from analysis.text.words import answer_words
from tests.analysis.report.test_report_disclosure import Built, built  # noqa: F401 - the campaign fixture

THRESHOLD = 10
SPEC = ReportSpec(sections=["themes", "word_clouds"], data_date="2026-11-01", threshold=THRESHOLD)


def _records() -> list[TextAnswer]:
    """Young people: 12 on police (all write "police patrols"), 8 on youth clubs; every one writes "street".
    Parents: 25 on police, 5 on lighting; every one writes "street"."""
    out = []
    for i in range(20):
        police = i < 12
        text = "more police patrols on the street" if police else "youth club shut on our street"
        theme = "police" if police else "youth_provision"
        out.append(TextAnswer(text, "young_people", (theme,), respondent=f"y{i}"))
    for i in range(30):
        police = i < 25
        text = "police should walk the street at night" if police else "street lighting is broken and dark"
        out.append(TextAnswer(text, "parents_carers", ("police" if police else "lighting",), respondent=f"p{i}"))
    return out


@dataclass
class Figure:
    """One figure the report prints (or implies) as a set of people."""

    people: np.ndarray
    value: int
    #: "seen" (printed), "hidden" (printed as [c]) or "implied" (never printed: those who did not)
    state: str


def _count(row_cells: list[Any], texts: list[str]) -> int | None:
    """A word table row's printed count (None when hidden), whether the report prints it as a figure or text."""
    if row_cells:
        return cast(int | None, row_cells[0].value)
    return None if not texts[0].replace(",", "").isdigit() else int(texts[0].replace(",", ""))


def _figures(records: list[TextAnswer], report: FindingsReport) -> list[Figure]:
    """Every figure of the themes table and the word tables, with what the report shows of it."""
    audience = np.array([r.audience for r in records])
    themes = _section_tables(report, "themes")[0]
    figures: list[Figure] = []
    for a in ("young_people", "parents_carers"):
        group = audience == a
        column = themes.columns.index(audience_label(a))
        bases = {row.label: row.cells[column] for row in themes.rows}
        base = bases.pop("People who wrote an answer")
        figures.append(Figure(group, int(group.sum()), "hidden" if base.suppressed else "seen"))
        for label, cell in bases.items():
            key = {"Police": "police", "Youth provision": "youth_provision", "Lighting": "lighting"}[label]
            raised = group & np.array([key in r.themes for r in records])
            figures.append(Figure(raised, int(raised.sum()), "hidden" if cell.suppressed else "seen"))
            figures.append(Figure(group & ~raised, int((group & ~raised).sum()), "implied"))
        words = next((t for t in _section_tables(report, "word_clouds") if t.id == f"cloud-{a}-table"), None)
        for row in words.rows if words else []:
            used = group & np.array([row.label in answer_words(r.text) for r in records])
            shown = _count(row.cells, row.texts)
            figures.append(Figure(used, int(used.sum()), "hidden" if shown is None else "seen"))
            figures.append(Figure(group & ~used, int((group & ~used).sum()), "implied"))
    return figures


def _section_tables(report: FindingsReport, kind: str) -> list[Table]:
    section = next(s for s in report.sections if s.kind == kind)
    return section.tables + [c.table for c in section.clouds]


def recovered(figures: list[Figure], threshold: int = THRESHOLD) -> list[int]:
    """The true values of the hidden figures (and small implied ones) an LP attacker pins to one value."""
    members = np.array([f.people for f in figures])
    _, first, sizes = np.unique(np.packbits(members.T, axis=1), axis=0, return_index=True, return_counts=True)
    atoms = members[:, first].astype(float)
    assert np.array_equal(atoms @ sizes, [f.value for f in figures])
    seen = [i for i, f in enumerate(figures) if f.state == "seen"]
    a_eq, b_eq = atoms[seen], np.array([figures[i].value for i in seen], dtype=float)
    out = []
    for f, row in zip(figures, atoms, strict=True):
        if not (f.state == "hidden" and f.value > 0 or f.state == "implied" and 0 < f.value < threshold):
            continue
        low = linprog(row, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-row, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert low.status == 0 and high.status in (0, 3)
        if high.status == 0 and -high.fun - low.fun < 0.5:
            out.append(f.value)
    return out


@pytest.fixture(scope="module")
def report(built: Built) -> FindingsReport:  # noqa: F811 - the fixture imported above
    return build_report(ReportData(built.data, text=_records()), SPEC)


def test_no_hidden_theme_count_can_be_worked_out_from_the_word_tables(report: FindingsReport) -> None:
    figures = _figures(_records(), report)
    assert any(f.state == "hidden" for f in figures)  # the themes table does hide something...
    assert recovered(figures) == []  # ...and the word tables beside it don't give it back


def test_clouds_show_only_common_words_at_their_published_counts(report: FindingsReport) -> None:
    clouds = next(s for s in report.sections if s.kind == "word_clouds").clouds
    assert {c.group for c in clouds} == {"young_people", "parents_carers"}
    for cloud in clouds:
        counts = {row.label: row.cells[0].value for row in cloud.table.rows}
        # every word printed has its count printed, and at least the threshold of people use it
        assert counts and all(n is not None and n >= THRESHOLD for n in counts.values())
        drawn = {word for word in counts if f">{word}</text>" in cloud.svg}
        assert drawn == set(counts)  # the cloud draws exactly the words in the table
    young = next(c for c in clouds if c.group == "young_people")
    # "police" repeats the hidden count of young people raising the police, so it is left out
    assert "police" not in {row.label for row in young.table.rows}
    assert "street" in {row.label for row in young.table.rows}
