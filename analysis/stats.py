"""The statistics behind every figure: Wilson intervals, proportion tests, chi-square and multiple testing.

The formulas are written out so they can be read and checked by hand; the distributions and the
Benjamini–Hochberg adjustment come from SciPy, and the tests compare the rest with SciPy and
statsmodels. Proportions are fractions (0.82), not per cent.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType

import numpy as np


def _distributions() -> ModuleType:
    """scipy.stats, imported on first use: the web app imports this module, and its workers never need SciPy."""
    from scipy import stats

    return stats


#: Differences are called "higher", "lower", "an increase" or "a reduction" only below this p-value.
ALPHA = 0.05


def z_for(confidence: float = 0.95) -> float:
    """The two-sided normal quantile for a confidence level (1.96 for 95%)."""
    return float(_distributions().norm.ppf(0.5 + confidence / 2))


def wilson_interval(successes: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion; `n` may be an effective (weighted) sample size.

    Unlike the textbook p ± 1.96·SE it never leaves 0–1 and stays honest for small or extreme
    proportions (Wilson 1927; Newcombe 1998, method 3). `successes` may be a fraction of `n`
    (weighted share × effective n).
    """
    if n <= 0:
        return (math.nan, math.nan)
    z = z_for(confidence)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Comparison:
    """The result of a significance test between two proportions (or a proportion and a figure)."""

    p1: float  #: our proportion
    p2: float  #: the proportion compared with
    z: float
    p_value: float
    #: the p-value adjusted for the other tests in the same report, once it has been
    adjusted_p: float | None = None

    @property
    def difference(self) -> float:
        """p1 − p2, as a fraction."""
        return self.p1 - self.p2

    @property
    def significant(self) -> bool:
        """Whether the difference is significant at the 5% level (after adjustment, when adjusted)."""
        return _below_alpha(self.p_value if self.adjusted_p is None else self.adjusted_p)


def _below_alpha(p_value: float) -> bool:
    return not math.isnan(p_value) and p_value < ALPHA


def _two_sided(z: float) -> float:
    return float(2 * _distributions().norm.sf(abs(z)))


def two_proportion_test(x1: float, n1: float, x2: float, n2: float) -> Comparison:
    """Two-sided z-test that two independent proportions are equal, with the pooled variance.

    Counts may be weighted shares × effective sample sizes. Matches statsmodels'
    `proportions_ztest([x1, x2], [n1, n2])`.
    """
    if n1 <= 0 or n2 <= 0:
        return Comparison(math.nan, math.nan, math.nan, math.nan)
    p1, p2 = x1 / n1, x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return Comparison(p1, p2, 0.0, 1.0)
    z = (p1 - p2) / se
    return Comparison(p1, p2, z, _two_sided(z))


def one_proportion_test(x: float, n: float, p0: float) -> Comparison:
    """Two-sided score test of a proportion against a fixed figure (a benchmark with no sample size).

    Uses the variance under the null, p0(1 − p0)/n, like statsmodels'
    `proportions_ztest(x, n, value=p0, prop_var=p0)`.
    """
    if n <= 0 or not 0 < p0 < 1:
        return Comparison(math.nan, p0, math.nan, math.nan)
    p = x / n
    z = (p - p0) / math.sqrt(p0 * (1 - p0) / n)
    return Comparison(p, p0, z, _two_sided(z))


@dataclass(frozen=True)
class ChiSquare:
    """Pearson's chi-square test of independence for a table of counts."""

    statistic: float
    dof: int
    p_value: float
    #: the smallest expected count; below 5 the p-value is only approximate
    min_expected: float
    #: the p-value adjusted for the other tests in the same report, once it has been
    adjusted_p: float | None = None
    #: "Pearson", or "Rao–Scott" for weighted proportions
    method: str = "Pearson"

    @property
    def significant(self) -> bool:
        """Whether the groups differ significantly at the 5% level (after adjustment, when adjusted)."""
        return _below_alpha(self.p_value if self.adjusted_p is None else self.adjusted_p)

    @property
    def reliable(self) -> bool:
        """Whether every expected count is at least 5 (Cochran's rule of thumb)."""
        return self.min_expected >= 5


def chi_square_test(table: Sequence[Sequence[float]]) -> ChiSquare:
    """Pearson chi-square (no continuity correction) on a groups × answers table of counts.

    Rows and columns that are entirely zero are dropped first. Matches SciPy's
    `chi2_contingency(table, correction=False)`.
    """
    rows = [list(map(float, r)) for r in table if sum(r) > 0]
    if not rows:
        return ChiSquare(math.nan, 0, math.nan, math.nan)
    keep = [j for j in range(len(rows[0])) if sum(r[j] for r in rows) > 0]
    rows = [[r[j] for j in keep] for r in rows]
    n_rows, n_cols = len(rows), len(keep)
    dof = (n_rows - 1) * (n_cols - 1)
    if dof == 0:
        return ChiSquare(0.0, 0, math.nan, math.nan)
    row_sums = [sum(r) for r in rows]
    col_sums = [sum(r[j] for r in rows) for j in range(n_cols)]
    total = sum(row_sums)
    statistic, min_expected = 0.0, math.inf
    for i in range(n_rows):
        for j in range(n_cols):
            expected = row_sums[i] * col_sums[j] / total
            min_expected = min(min_expected, expected)
            statistic += (rows[i][j] - expected) ** 2 / expected
    return ChiSquare(statistic, dof, chi2_sf(statistic, dof), min_expected)


def rao_scott_chi_square(weighted: Sequence[Sequence[float]], effective_sizes: Sequence[float]) -> ChiSquare:
    """Chi-square on weighted proportions, corrected for the weighting (Rao and Scott 1992).

    Each group's weighted answer shares are put on its effective sample size ñ = n / deff (Kish's
    design effect of that group's weights), and Pearson's test is applied to those "effective
    counts": Rao & Scott's simple method for independent groups, with ñᵢ = nᵢ/dᵢ and x̃ᵢ = xᵢ/dᵢ
    (Biometrics 48, 577–585). Unlike dividing the unweighted statistic by one design effect, it
    tests the weighted percentages that are published, and each group keeps its own design effect.
    """
    scaled = []
    for row, size in zip(weighted, effective_sizes, strict=True):
        total = float(sum(row))
        scaled.append([float(v) / total * size if total else 0.0 for v in row])
    result = chi_square_test(scaled)
    return ChiSquare(result.statistic, result.dof, result.p_value, result.min_expected, method="Rao–Scott")


def chi2_sf(x: float, dof: int) -> float:
    """P(X ≥ x) for a chi-square variable with `dof` degrees of freedom."""
    if x <= 0:
        return 1.0
    return float(_distributions().chi2.sf(x, dof))


#: How p-values are adjusted for the number of tests in one report, as the methodology states it.
ADJUSTMENT_METHODS = {
    "holm": "Holm's step-down method (family-wise error rate 5%)",
    "fdr_bh": "the Benjamini–Hochberg method (false discovery rate 5%)",
}


def adjust_p_values(p_values: Sequence[float], method: str = "fdr_bh") -> list[float]:
    """P-values adjusted for testing them together: Benjamini–Hochberg (SciPy) or Holm. NaN stays NaN."""
    if method not in ADJUSTMENT_METHODS:
        raise ValueError(f"unknown adjustment '{method}' (use one of: {', '.join(ADJUSTMENT_METHODS)})")
    values = np.asarray(p_values, dtype=float)
    known = np.flatnonzero(~np.isnan(values))
    out = np.full(values.size, math.nan)
    if known.size == 0:
        return out.tolist()
    p = values[known]
    if method == "fdr_bh":
        out[known] = _distributions().false_discovery_control(p, method="bh")
    else:  # Holm: the k-th smallest times (m − k + 1), kept monotone, capped at 1
        order = np.argsort(p)
        stepped = np.maximum.accumulate(p[order] * (p.size - np.arange(p.size)))
        adjusted = np.empty(p.size)
        adjusted[order] = np.minimum(stepped, 1.0)
        out[known] = adjusted
    return out.tolist()
