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


@pytest.mark.parametrize(
    ("theirs", "ours", "reason"),
    [
        # Inside an open-ended range: "these answers come from people aged 18 to 25" gave no reason.
        ((16, None), (18, 25), "everyone aged 16 and over, and these answers come only from people aged 18 to 25"),
        ((10, 15), (8, 11), "no more than half of the ages these answers come from (8 to 11) fall in that range"),
        ((18, None), (11, 18), "people aged 18 and over, and these answers come from people aged 11 to 18"),
        ((13, 17), (8, 11), "people aged 13 to 17, and none of the ages these answers come from (8 to 11)"),
    ],
)
def test_a_benchmark_left_out_says_a_reason_that_holds(theirs, ours, reason) -> None:
    from analysis.comparisons import _why_other_ages

    assert reason in _why_other_ages(theirs, ours)
