"""The coding page's per-theme table: each theme's confidence, how it was chosen, and whether the
model's current curve still backs it.

Which codes are applied without review (the analyst's choice read against the curve) is decided in
`analysis.coding.auto_apply`, where the report loader decides it too; this module says it in words.
A number the analyst set for one theme is checked against each new curve: the page says when the
curve no longer supports it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from analysis.coding.auto_apply import ThemeThresholds, fixed
from analysis.coding.automation import (
    MIN_APPLIED,
    curve_points,
    overall_confidence,
    own_confidences,
    supported,
    theme_point,
)
from analysis.coding.codebook import Codebook
from survey_app.models.coding import CoderModel

#: a set number is "no longer supported" when the curve's precision there falls this far below what
#: it promised when the analyst set it (a point or two either way is the noise of another training run)
SUPPORT_SLACK = 0.02


@dataclass
class ThemeRow:
    """One theme on the coding page: its confidence, how it was chosen and what the curve expects of it."""

    key: str
    label: str
    confidence: float
    #: "set" (a number the analyst typed), "target" (follows the target precision), "held" (stays
    #: with people: too little evidence), "single" (the one confidence for every theme)
    how: str
    point: dict[str, float] | None
    #: why the curve does not back this confidence (or why the theme stays with people), in words, or ""
    warning: str = ""
    points: list[dict[str, float]] = field(default_factory=list)


def theme_rows(
    book: Codebook, choice: CoderModel | None, curve: dict[str, Any] | None, thresholds: ThemeThresholds
) -> list[ThemeRow]:
    """The per-theme table of the coding page, in codebook order."""
    target = choice.target_precision if choice else None
    own = own_confidences(curve, target) if curve and target else {}
    rows = []
    for theme in book.active_themes():
        key = theme.key
        how = (
            "set"
            if choice and fixed(choice, key) is not None
            else "held"
            if key in thresholds.held
            else "target"
            if target
            else "single"
        )
        confidence = thresholds.at(key)
        point = theme_point(curve, key, confidence) if curve else None
        warning = ""
        if curve is not None and how != "held":
            warning = _warning(choice, key, point, target, own.get(key))
        elif how == "held" and curve is not None and target and overall_confidence(curve, target) is None:
            warning = f"No confidence reaches {target:.0%} for the automatic codes together, so every theme stays with people."
        rows.append(
            ThemeRow(
                key,
                theme.label,
                confidence,
                how,
                point,
                warning,
                curve_points(curve, key) if curve and key in curve["themes"] else [],
            )
        )
    return rows


def _warning(
    choice: CoderModel | None, key: str, point: dict[str, float] | None, target: float | None, own: float | None
) -> str:
    if point is None or point["codes"] < MIN_APPLIED:
        n = 0 if point is None else int(point["codes"])
        return f"Too few held-out codes ({n}) to check this theme alone."
    entry = (choice.theme_thresholds or {}).get(key) if choice else None
    promised = entry.get("expected") if isinstance(entry, dict) else None
    wanted = target if target else promised - SUPPORT_SLACK if promised is not None else None
    if wanted is not None and not supported(point, wanted):
        if target:
            hint = f" {own:.2f} would reach it alone." if own else ""
            return f"Its own codes reach {point['precision']:.0%}, below the {target:.0%} target.{hint}"
        return f"The current curve gives {point['precision']:.0%} here; {promised:.0%} when you set it."
    return ""


def expected_at_target(curve: dict[str, Any], target: float) -> dict[str, float]:
    """What a target precision is expected to give (out of fold): share of answers coded automatically,
    the precision and recall of their codes, and the counts behind them."""
    joint = (curve.get("targets") or {}).get(f"{target:.2f}")
    n = curve["answers"]
    if not joint:
        return {"share": math.nan, "precision": math.nan, "recall": math.nan, "automatic": 0, "codes": 0, "held": 0}
    held = sum(1 for c in joint["confidences"].values() if c is None)
    return {
        "target": target,
        "share": joint["automatic"] / n if n else 0.0,
        "automatic": joint["automatic"],
        "codes": joint["codes"],
        "precision": joint["correct"] / joint["codes"] if joint["codes"] else math.nan,
        "recall": joint["correct"] / joint["relevant"] if joint["relevant"] else math.nan,
        "held": held,
    }
