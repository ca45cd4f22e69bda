"""Which codes are applied without review, theme by theme: the analyst's choice read against the model's curve.

The analyst chooses in one of three ways, stored on the campaign's coder row (CoderModel):

- one confidence for every theme (`auto_apply_threshold`, the default 0.9);
- a target precision (`target_precision`): each theme's confidence is the lowest whose codes reached
  it on answers the model did not train on (its out-of-fold curve, `analysis.coding.automation`).
  After retraining the confidences follow the new model's curve. A theme whose curve has too few
  codes to show the precision stays with people: its codes are never applied automatically;
- a number for one theme (`theme_thresholds`), which wins over both and is kept across retraining;
  the page says when the current curve no longer supports it.

An answer is coded automatically only when every theme is clear-cut under its own confidence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from analysis.coding.automation import (
    HELD_CONFIDENCE,
    MIN_APPLIED,
    curve_points,
    overall_confidence,
    own_confidences,
    supported,
    theme_confidences,
    theme_point,
)
from analysis.coding.codebook import Codebook
from survey_app.models.coding import CoderModel

DEFAULT_THRESHOLD = 0.9
#: a set number is "no longer supported" when the curve's precision there falls this far below what
#: it promised when the analyst set it (a point or two either way is the noise of another training run)
SUPPORT_SLACK = 0.02


@dataclass(frozen=True)
class ThemeThresholds:
    """The confidence each theme's codes are applied at, and the themes that stay with people."""

    #: the one confidence: for themes without their own, and the furthest from the fence a theme must
    #: be to be ruled out (a theme held to a higher confidence needs more to be applied, not ruled out)
    default: float = DEFAULT_THRESHOLD
    confidence: dict[str, float] = field(default_factory=dict)
    held: frozenset[str] = frozenset()

    def at(self, theme: str) -> float:
        """The theme's confidence (for a theme held by people: how sure the coder must be it is absent)."""
        return self.confidence.get(theme, self.default)

    def applies(self, theme: str, p: float) -> bool:
        """Whether a code at confidence `p` is applied without review."""
        return theme not in self.held and p >= self.at(theme)

    def unsure(self, theme: str, p: float) -> bool:
        """Whether a code at confidence `p` needs a person: neither applied nor clearly absent."""
        return not self.applies(theme, p) and p > 1 - min(self.at(theme), self.default)


def curve_of(model: CoderModel | None) -> dict[str, Any] | None:
    """The trained model's out-of-fold automation curves, or None (rules only, or a model saved before)."""
    if model is None or not model.file_name:
        return None
    counts = (model.metrics or {}).get("automation")
    return counts if counts and counts.get("answers") else None


def resolve(choice: CoderModel | None, curve: dict[str, Any] | None, themes: list[str]) -> ThemeThresholds:
    """Each theme's confidence under the analyst's `choice` and the current model's `curve`."""
    if choice is None:
        return ThemeThresholds()
    default = choice.auto_apply_threshold
    chosen: dict[str, float | None] = {}
    if choice.target_precision and curve is not None:
        default = overall_confidence(curve, choice.target_precision) or HELD_CONFIDENCE
        chosen = theme_confidences(curve, choice.target_precision)
        chosen = {t: chosen.get(t) for t in themes}
    confidence: dict[str, float] = {}
    held = set()
    for theme in themes:
        if (fixed := _fixed(choice, theme)) is not None:
            confidence[theme] = fixed
        elif theme in chosen:
            if (c := chosen[theme]) is None:
                held.add(theme)
                confidence[theme] = default
            else:
                confidence[theme] = c
    return ThemeThresholds(default, confidence, frozenset(held))


def _fixed(choice: CoderModel, theme: str) -> float | None:
    entry = (choice.theme_thresholds or {}).get(theme)
    return float(entry["confidence"]) if isinstance(entry, dict) and "confidence" in entry else None


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
        fixed = _fixed(choice, key) if choice else None
        how = "set" if fixed is not None else "held" if key in thresholds.held else "target" if target else "single"
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
