"""Raking: convergence to the margins, the design effect, and the population table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.weighting import WeightingReport, design_effect, effective_n, load_population, rake


def test_one_margin_is_post_stratification() -> None:
    codes = np.array([0, 0, 0, 1])  # 3 of group 0, 1 of group 1; the population is half and half
    result = rake([(codes, np.array([0.5, 0.5]))])
    assert result.converged
    # weight = target share / sample share, scaled to mean 1: 0.5/0.75 and 0.5/0.25 -> 2/3 and 2
    assert result.weights == pytest.approx([2 / 3, 2 / 3, 2 / 3, 2])


def test_two_margins_hand_worked() -> None:
    # Six people by sex (0, 1) and age group (0 young, 1 old), raked to 50:50 and 25:75.
    sex = np.array([0, 0, 1, 0, 1, 1])
    age = np.array([0, 0, 0, 1, 1, 1])
    result = rake([(sex, np.array([0.5, 0.5])), (age, np.array([0.25, 0.75]))])
    assert result.converged
    w = result.weights
    for codes, target in ((sex, [0.5, 0.5]), (age, [0.25, 0.75])):
        shares = np.bincount(codes, weights=w) / w.sum()
        assert shares == pytest.approx(target, abs=1e-6)
    assert w.mean() == pytest.approx(1)


def test_units_with_a_missing_category_are_left_alone_for_that_margin() -> None:
    sex = np.array([0, 0, 0, 1, -1])
    result = rake([(sex, np.array([0.5, 0.5]))])
    w = result.weights
    known = sex >= 0
    assert np.bincount(sex[known], weights=w[known]) / w[known].sum() == pytest.approx([0.5, 0.5])
    # The unknown unit keeps its share of the total weight (1 of 5 units).
    assert w[4] / w.sum() == pytest.approx(0.2)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(30, 400), a=st.integers(2, 5), b=st.integers(2, 6))
def test_raking_converges_to_every_margin(seed: int, n: int, a: int, b: int) -> None:
    rng = np.random.default_rng(seed)
    first = rng.integers(0, a, n)
    second = rng.integers(0, b, n)
    # Every combination has someone, so a solution exists (with an empty cell it may not: raking
    # then reports that it did not converge rather than pretending).
    first[: a * b] = np.repeat(np.arange(a), b)
    second[: a * b] = np.tile(np.arange(b), a)
    targets = [rng.dirichlet(np.ones(a)) * 0.8 + 0.2 / a, rng.dirichlet(np.ones(b)) * 0.8 + 0.2 / b]
    result = rake([(first, targets[0]), (second, targets[1])], max_iterations=2000, tolerance=1e-9)
    assert result.converged
    for codes, target in zip((first, second), targets, strict=True):
        assert np.bincount(
            codes, weights=result.weights, minlength=target.size
        ) / result.weights.sum() == pytest.approx(target, abs=1e-8)


def test_raking_says_when_the_margins_cannot_all_hold() -> None:
    first = np.array([0, 0, 1])
    second = np.array([0, 0, 1])  # the two margins are the same split, with different targets
    result = rake([(first, np.array([0.5, 0.5])), (second, np.array([0.9, 0.1]))], max_iterations=50)
    assert not result.converged and result.max_gap > 0.1


def test_design_effect_and_effective_sample_size() -> None:
    w = np.array([1.0, 1.0, 2.0, 2.0])  # n·Σw²/(Σw)² = 4·10/36
    assert design_effect(w) == pytest.approx(10 / 9)
    assert effective_n(w) == pytest.approx(3.6)
    assert design_effect(np.ones(50)) == 1 and effective_n(np.ones(50)) == 50


def test_population_bands_match_the_published_trafford_figures() -> None:
    population = load_population()
    # docs/benchmarks.md (Trafford, ONS mid-2024): 11-16 females 10,249 and males 10,821; 13-17 8,271 and 8,768
    assert population.band("female", "11-16") == 10_249 and population.band("male", "11-16") == 10_821
    assert population.band("female", "13-17") == 8_271 and population.band("male", "13-17") == 8_768
    assert population.band("female", "11") == 1_736
    assert population.band("male", "65+") == 19_141
    assert population.band("female", "0-90") == 123_369


def test_area_population_is_optional_configuration(tmp_path: Path) -> None:
    areas = tmp_path / "wards.csv"
    areas.write_text("area,population\nold_trafford,12000\nhale,9000\n", encoding="utf-8")
    assert load_population(areas=areas).areas == {"old_trafford": 12_000, "hale": 9_000}
    assert load_population().areas == {}


def test_the_weighting_line_gives_the_questions_own_effective_sample_size() -> None:
    report = WeightingReport("young-people", 331, ("age band × sex",), True, 5, 1.04, 318.0, 2.3)
    answered = np.array([1.0, 2.0, 0.5] * 14)  # 42 answered: Kish gives (Σw)² / Σw² = 42 × 3.5² / 5.25 ≈ 32.7
    line = report.describe(answered)
    assert "effective sample size 33 of the 42 who answered" in line
    assert "(the questionnaire: 318 of 331)" in line
    assert "counts and bases are people (unweighted)" in line
