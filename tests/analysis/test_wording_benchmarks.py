"""Benchmarks name whose figure they are, load whole, and are compared only with the same ages."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.config import BenchmarkError, load_benchmarks

ENTRY = """
benchmarks:
  - id: beewell
    measure: places_to_go
    top_box: [agree]
    value: 70
    label: {label}
    ages: [12, 15]
    source: "#BeeWell survey"
    year: "2021"
    population: Year 8 and Year 10 pupils
"""


def test_the_shipped_labels_load_whole() -> None:
    labels = {b.id: b.label for b in load_benchmarks(every_geography=True)}
    assert labels["beewell_places_to_go"] == "the Greater Manchester #BeeWell figure for Year 8 and Year 10 pupils"
    assert labels["gmca_feel_safe_local_area"] == "the Greater Manchester average for adults"


def test_a_label_cut_short_by_a_comment_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.yaml"
    path.write_text(ENTRY.format(label="the Greater Manchester #BeeWell figure"), encoding="utf-8")
    with pytest.raises(
        BenchmarkError, match=r"benchmarks.yaml, line 7: the # in label .* put the whole value in quotes"
    ):
        load_benchmarks(path)
    path.write_text(ENTRY.format(label='"the Greater Manchester #BeeWell figure"'), encoding="utf-8")
    assert load_benchmarks(path)[0].label == "the Greater Manchester #BeeWell figure"


def test_a_label_that_cannot_stand_in_a_sentence_or_a_missing_population_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.yaml"
    path.write_text(ENTRY.format(label="'70'"), encoding="utf-8")
    with pytest.raises(BenchmarkError, match="the label must name the figure"):
        load_benchmarks(path)
    path.write_text(ENTRY.format(label="the figure").replace("    ages: [12, 15]\n", ""), encoding="utf-8")
    with pytest.raises(BenchmarkError, match="give the ages it describes"):
        load_benchmarks(path)


@pytest.mark.parametrize(
    ("benchmark", "ours", "comparable"),
    [
        ("gmca_feel_safe_local_area", (8, 11), False),  # children against adults
        ("gmca_feel_safe_local_area", (11, 18), False),
        ("gmca_feel_safe_local_area", (18, None), True),  # parents and carers, professionals
        ("yef_carried_weapon", (18, 25), False),  # young adults against 13 to 17-year-olds
        ("yef_carried_weapon", (11, 18), True),
        ("beewell_places_to_go", (18, 25), False),  # young adults against Year 8 and Year 10 pupils
        ("csew_trusted_adult_10_15", (8, 11), False),  # children against 10 to 15-year-olds
        ("csew_trusted_adult_10_15", (11, 18), True),
    ],
)
def test_only_the_same_ages_are_compared(benchmark: str, ours: tuple[int, int | None], comparable: bool) -> None:
    found = {b.id: b for b in load_benchmarks(every_geography=True)}[benchmark]
    assert found.describes(ours) is comparable
