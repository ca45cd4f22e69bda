"""Agreement between two analysts who coded the same answers: per theme, overall, and where they differ.

Per theme: how many answers each analyst gave it, the share of answers where they made the same
yes/no decision (percent agreement) and Cohen's kappa (`metrics.cohen_kappa`). Overall:
Krippendorff's alpha over the two label sets with MASI distance (`metrics.krippendorff_alpha`).

A figure is None ("not enough data") when it is undefined rather than merely low: kappa for a theme
neither analyst ever used, or that both used on every answer (chance agreement is then 1, so kappa
is 0/0); alpha with fewer than two answers, or when every label set is the same (no disagreement
was even possible to observe). `metrics.cohen_kappa` reports those kappas as 1.0; a screen that
helps people judge a codebook should not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from analysis.coding.metrics import cohen_kappa, krippendorff_alpha


@dataclass(frozen=True)
class ThemeAgreement:
    """Two analysts on one theme."""

    theme: str
    first_used: int  #: answers the first analyst gave this theme
    second_used: int  #: answers the second analyst gave it
    both_used: int  #: answers both gave it
    agreed: int  #: answers where both made the same decision (both gave it, or neither did)
    answers: int
    kappa: float | None

    @property
    def percent(self) -> float | None:
        """Percent agreement, 0–100 (None with no answers)."""
        return 100 * self.agreed / self.answers if self.answers else None


@dataclass(frozen=True)
class AgreementReport:
    """Per-theme agreement, overall alpha, and which answers the analysts coded differently."""

    answers: int
    themes: list[ThemeAgreement]
    alpha: float | None
    disagreements: list[int]  #: positions (into the sequences passed in) where the label sets differ
    exact: int  #: answers with identical label sets

    @property
    def exact_percent(self) -> float | None:
        """Share of answers with identical label sets, 0–100."""
        return 100 * self.exact / self.answers if self.answers else None


def theme_agreement(theme: str, first: Sequence[frozenset[str]], second: Sequence[frozenset[str]]) -> ThemeAgreement:
    """How two analysts agree on one theme across the same answers."""
    a = [int(theme in s) for s in first]
    b = [int(theme in s) for s in second]
    n = len(a)
    constant_and_same = n > 0 and len(set(a) | set(b)) == 1
    kappa = None if n == 0 or constant_and_same else cohen_kappa(a, b)
    return ThemeAgreement(
        theme,
        sum(a),
        sum(b),
        sum(x & y for x, y in zip(a, b, strict=True)),
        sum(x == y for x, y in zip(a, b, strict=True)),
        n,
        kappa,
    )


def agreement_report(
    first: Sequence[Iterable[str]], second: Sequence[Iterable[str]], themes: Sequence[str]
) -> AgreementReport:
    """Agreement between two analysts' theme sets for the same answers (same order in both)."""
    if len(first) != len(second):
        raise ValueError("both analysts must have coded the same answers")
    sets_a = [frozenset(s) for s in first]
    sets_b = [frozenset(s) for s in second]
    used = set().union(*sets_a, *sets_b) if sets_a else set()
    # Themes outside the list passed in (retired since, say) still count: they are part of the sets.
    keys = list(themes) + sorted(used - set(themes))
    per_theme = [theme_agreement(t, sets_a, sets_b) for t in keys]
    everything = set(sets_a) | set(sets_b)
    alpha = None if len(sets_a) < 2 or len(everything) < 2 else krippendorff_alpha(sets_a, sets_b)
    differ = [i for i, (x, y) in enumerate(zip(sets_a, sets_b, strict=True)) if x != y]
    return AgreementReport(len(sets_a), per_theme, alpha, differ, len(sets_a) - len(differ))
