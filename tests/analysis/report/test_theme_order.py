"""The themes section says and orders only what it publishes: a hidden count is never placed or beaten by its true size."""

from __future__ import annotations

from typing import Any, cast

from analysis.disclosure import DEFAULT_POLICY
from analysis.report.build import ReportData
from analysis.report.text_sections import themes
from analysis.text.records import TextAnswer


def _writers(audience: str, n: int, raised: dict[str, int]) -> list[TextAnswer]:
    """n people of an audience, the first raised[t] of them raising theme t."""
    return [
        TextAnswer(
            "an answer", audience, tuple(t for t, k in raised.items() if i < k), None, None, respondent=f"{audience}{i}"
        )
        for i in range(n)
    ]


def test_a_theme_hidden_to_protect_another_is_neither_ranked_nor_beaten_by_its_true_size() -> None:
    # Six young adults raised school: hidden, and to protect them the young people's 23 is hidden
    # too (the smallest other figure for school). Young people raised "unsafe places" 14 times.
    records = (
        _writers("young_people", 40, {"school": 23, "unsafe": 14, "help": 21})
        + _writers("young_adults", 12, {"school": 6, "help": 5})
        + _writers("parents_carers", 40, {"school": 30, "unsafe": 12, "help": 11})
    )
    labels = {"school": "School", "unsafe": "Unsafe places", "help": "Help"}
    data = ReportData(cast(Any, None), text=records, theme_labels=labels)
    section, table = themes(data, ["young_people", "young_adults", "parents_carers"], DEFAULT_POLICY, "Themes")
    assert table is not None
    young = {row.label: row.cells[0] for row in table.rows}
    assert young["School"].suppressed and young["Unsafe places"].value == 14
    # Rows in the order of what is shown, not of the true totals (help: 37 people, most of them hidden).
    shown = [sum(c.value or 0 for c in row.cells if not c.suppressed) for row in table.rows[1:]]
    assert shown == sorted(shown, reverse=True)
    order = [row.label for row in table.rows[1:]]
    assert order.index("Help") > order.index("Unsafe places")
    said = next(b.statement for b in section.blocks if b.id == "themes-young_people")
    # The hidden 23 was raised more than anything shown: the sentence speaks only of what it shows.
    assert said.startswith("Of the themes that can be shown, ") and "40 young people" in said
    assert "hidden to protect privacy" in said
    parents = next(b.statement for b in section.blocks if b.id == "themes-parents_carers")
    assert parents.startswith("The theme raised most often") or parents.startswith("Of the themes that can be shown")
