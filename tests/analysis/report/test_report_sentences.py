"""Sentences the report writes about its own figures, from records and tables built by hand."""

from __future__ import annotations

from typing import Any

from analysis.disclosure import DisclosurePolicy
from analysis.report.build import ReportData
from analysis.report.text_sections import themes
from analysis.text.records import TextAnswer

AUDIENCES = ["children", "young_people", "parents_carers", "professionals"]


def writers(audience: str, n: int, bullying: int) -> list[TextAnswer]:
    """`n` people of an audience who wrote an answer, the first `bullying` of them about bullying."""
    return [
        TextAnswer(
            f"answer {i}", audience, themes=("bullying",) if i < bullying else ("parks",), respondent=f"{audience}{i}"
        )
        for i in range(n)
    ]


def theme_sentences(text: list[TextAnswer], audiences: list[str]) -> tuple[list[str], Any]:
    data = ReportData(campaign=None, text=text, theme_labels={"bullying": "Bullying", "parks": "Parks"})  # type: ignore[arg-type]
    section, table = themes(data, audiences, DisclosurePolicy(threshold=5), "Themes")
    return section.paragraphs, table


def test_an_audience_at_zero_percent_is_compared_like_any_other() -> None:
    # 10% of young people, 7% of parents and none of 100 children raised bullying: the table shows
    # children at 0 (0%), so "similar shares (from 7% to 10%)" would leave them out and be untrue.
    text = writers("children", 100, 0) + writers("young_people", 100, 10) + writers("parents_carers", 100, 7)
    paragraphs, table = theme_sentences(text, AUDIENCES[:3])
    assert [cell.percent_display for cell in table.rows[-1].cells] == ["0%", "10%", "7%"]
    bullying = [p for p in paragraphs if p.startswith("\u201cBullying\u201d")]
    assert bullying == ["\u201cBullying\u201d was raised more often by young people (10%) than by children (0%)."]


def test_a_share_the_table_hides_is_never_compared() -> None:
    text = (
        writers("children", 100, 0)
        + writers("young_people", 100, 10)
        + writers("parents_carers", 100, 7)
        + writers("professionals", 100, 2)
    )
    paragraphs, table = theme_sentences(text, AUDIENCES)
    hidden = {
        label.lower()
        for row in table.rows[1:]
        for label, cell in zip(table.columns, row.cells, strict=True)
        if cell.percent is None
    }
    assert hidden  # 2 professionals raising bullying are too few to show, and what gives them away goes too
    assert not [p for p in paragraphs if any(f"of {who}" in p or f"by {who}" in p for who in hidden)]
