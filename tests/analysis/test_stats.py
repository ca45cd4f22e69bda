"""The statistics, against hand-worked examples and against SciPy and statsmodels."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2, chi2_contingency
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from analysis.stats import (
    adjust_p_values,
    chi2_sf,
    chi_square_test,
    one_proportion_test,
    rao_scott_chi_square,
    two_proportion_test,
    wilson_interval,
    z_for,
)


def test_wilson_hand_worked() -> None:
    # Newcombe (1998), Table I: 81 of 263 -> 0.2553 to 0.3662.
    low, high = wilson_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    # 0 of 10: the interval still has width (0 to 0.2775), unlike p ± 1.96 SE.
    low, high = wilson_interval(0, 10)
    assert low == pytest.approx(0, abs=1e-12) and round(high, 4) == 0.2775
    assert z_for(0.95) == pytest.approx(1.959964, abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 5000), share=st.floats(0, 1))
def test_wilson_matches_statsmodels(n: int, share: float) -> None:
    x = round(share * n)
    expected = proportion_confint(x, n, alpha=0.05, method="wilson")
    assert wilson_interval(x, n) == pytest.approx(expected, abs=1e-9)


def test_two_proportion_hand_worked() -> None:
    # 45/100 against 30/100: pooled p = 0.375, SE = sqrt(0.375 × 0.625 × 0.02) = 0.068465, z = 2.1909.
    result = two_proportion_test(45, 100, 30, 100)
    assert result.z == pytest.approx(2.1909, abs=1e-4)
    assert result.p_value == pytest.approx(0.02846, abs=1e-5)
    assert result.significant and result.difference == pytest.approx(0.15)
    assert not two_proportion_test(45, 100, 40, 100).significant


@settings(max_examples=200, deadline=None)
@given(n1=st.integers(5, 3000), n2=st.integers(5, 3000), a=st.floats(0.01, 0.99), b=st.floats(0.01, 0.99))
def test_two_proportion_matches_statsmodels(n1: int, n2: int, a: float, b: float) -> None:
    x1, x2 = max(1, round(a * n1)), max(1, round(b * n2))
    if x1 == n1 and x2 == n2:
        return
    z, p = proportions_ztest([x1, x2], [n1, n2])
    ours = two_proportion_test(x1, n1, x2, n2)
    assert ours.z == pytest.approx(z, rel=1e-9, abs=1e-9)
    assert ours.p_value == pytest.approx(p, rel=1e-7, abs=1e-12)


def test_one_proportion_against_a_published_figure_matches_statsmodels() -> None:
    z, p = proportions_ztest(820, 1000, value=0.88, prop_var=0.88)
    ours = one_proportion_test(820, 1000, 0.88)
    assert ours.z == pytest.approx(z) and ours.p_value == pytest.approx(p)
    assert ours.significant and ours.difference < 0


def test_chi_square_hand_worked() -> None:
    # Expected 12, 18, 28, 42: 4/12 + 4/18 + 4/28 + 4/42 = 0.79365.
    result = chi_square_test([[10, 20], [30, 40]])
    assert result.statistic == pytest.approx(0.793651, abs=1e-6)
    assert result.dof == 1 and not result.significant and result.reliable


@settings(max_examples=150, deadline=None)
@given(
    table=st.integers(2, 5).flatmap(
        lambda r: st.integers(2, 5).flatmap(
            lambda c: st.lists(st.lists(st.integers(1, 300), min_size=c, max_size=c), min_size=r, max_size=r)
        )
    )
)
def test_chi_square_matches_scipy(table: list[list[int]]) -> None:
    statistic, p, dof, expected = chi2_contingency(np.array(table), correction=False)
    ours = chi_square_test(table)
    assert ours.statistic == pytest.approx(statistic, rel=1e-9)
    assert ours.dof == dof and ours.p_value == pytest.approx(p, rel=1e-8, abs=1e-15)
    assert ours.min_expected == pytest.approx(expected.min())


def test_chi_square_drops_empty_rows_and_columns() -> None:
    assert chi_square_test([[10, 0, 20], [0, 0, 0], [30, 0, 40]]).statistic == pytest.approx(0.793651, abs=1e-6)
    assert math.isnan(chi_square_test([[5, 5]]).p_value)


@pytest.mark.parametrize("dof", [1, 2, 3, 7, 20, 99])
def test_chi_square_tail_matches_scipy(dof: int) -> None:
    for x in [0.001, 0.5, 1, 3.84, 10, 50, 200]:
        assert chi2_sf(x, dof) == pytest.approx(chi2.sf(x, dof), rel=1e-9, abs=1e-300)


def test_rao_scott_with_equal_weights_is_pearson_on_the_counts() -> None:
    table = [[30, 12, 8], [20, 25, 15], [9, 11, 30]]
    statistic, p, dof, _ = chi2_contingency(np.array(table), correction=False)
    ours = rao_scott_chi_square(table, [sum(r) for r in table])
    assert ours.statistic == pytest.approx(statistic) and ours.p_value == pytest.approx(p) and ours.dof == dof
    assert ours.method == "Rao–Scott"


@settings(max_examples=100, deadline=None)
@given(
    p1=st.floats(0.05, 0.95),
    p2=st.floats(0.05, 0.95),
    n1=st.floats(20, 2000),
    n2=st.floats(20, 2000),
    deff1=st.floats(1, 4),
    deff2=st.floats(1, 4),
)
def test_rao_scott_for_two_groups_is_the_z_test_on_effective_sizes(
    p1: float, p2: float, n1: float, n2: float, deff1: float, deff2: float
) -> None:
    # Rao & Scott (1992): x̃ = x/d, ñ = n/d, then the usual test; for two groups that is the pooled z-test
    # (statsmodels) on the weighted shares and effective sizes, z² = X².
    e1, e2 = n1 / deff1, n2 / deff2
    weighted = [[p1 * n1, (1 - p1) * n1], [p2 * n2, (1 - p2) * n2]]  # weighted totals on the sample's scale
    ours = rao_scott_chi_square(weighted, [e1, e2])
    z, p = proportions_ztest([p1 * e1, p2 * e2], [e1, e2])
    assert ours.statistic == pytest.approx(z * z, rel=1e-9) and ours.p_value == pytest.approx(p, rel=1e-7)


def test_multiple_testing_adjustment_matches_statsmodels() -> None:
    p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, math.nan]
    for method in ("holm", "fdr_bh"):
        expected = multipletests(p[:-1], method=method)[1]
        ours = adjust_p_values(p, method)
        assert ours[:-1] == pytest.approx(list(expected)) and math.isnan(ours[-1])
    with pytest.raises(ValueError, match="unknown adjustment"):
        adjust_p_values([0.1], "bonferroni-ish")


def test_a_result_is_significant_only_after_adjustment_when_adjusted() -> None:
    test = two_proportion_test(45, 100, 30, 100)
    assert test.significant
    assert not replace(test, adjusted_p=0.2).significant
