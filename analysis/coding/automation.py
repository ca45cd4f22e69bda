"""How many answers can be coded without review, and how precise those codes are on unseen answers.

The review loop (`review.py`) codes an answer automatically when every theme is clear-cut at the
analyst's confidence `t`: its probability is at least `t` (the code is applied) or at most `1 - t`
(ruled out). Everything else waits for a person. This module measures that rule:

- `automation_points`: for each confidence on a grid, the share of answers coded automatically and
  the precision and recall of the codes applied to them (the curve the analyst chooses from);
- `confidence_for_precision`: the lowest confidence whose codes reach a target precision, chosen on
  answers the model did not train on (the coder's internal out-of-fold probabilities, with a small
  margin), so the choice can then be checked on answers it never saw at all (`held_out_automation`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

#: the confidences the analyst can choose from
CONFIDENCE_GRID: tuple[float, ...] = tuple(round(0.5 + 0.01 * i, 2) for i in range(50))
#: the precisions the coder picks a confidence for when it trains
TARGET_PRECISIONS: tuple[float, ...] = (0.8, 0.9, 0.95)
#: a choice backed by fewer applied codes than this is noise: no confidence is chosen
MIN_APPLIED = 20
#: the confidence is chosen for this much more than the target precision: on the public set, choices
#: made on the coder's internal out-of-fold answers came out 0.012 less precise on held-out answers
#: (0.888 for a 0.90 target, 5-fold), since each choice picks the luckiest point near the target
MARGIN = 0.02


def automatic(
    P: np.ndarray,
    confidence: float | np.ndarray,
    may_apply: np.ndarray | None = None,
    rule_out: float | np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Which answers are coded without review at `confidence`, and the codes applied to them.

    `confidence` is one number or one per theme (columns of `P`); a theme is ruled out at or below
    1 - `rule_out` (default: its confidence). A theme left out of `may_apply` stays with people: its
    codes are never applied, so an answer where it is not clearly absent waits for review.
    """
    P = np.asarray(P, dtype=float)
    t = np.asarray(confidence, dtype=float)
    applied = t <= P
    if may_apply is not None:
        applied &= np.asarray(may_apply, dtype=bool)
    clear = applied | (1 - np.asarray(t if rule_out is None else rule_out, dtype=float) >= P)
    return np.asarray(clear.all(axis=1)), applied


def point(P: np.ndarray, Y: np.ndarray, confidence: float) -> dict[str, float]:
    """Share coded automatically at `confidence`, and the precision and recall of their codes."""
    auto, applied = automatic(P, confidence)
    truth = np.asarray(Y, dtype=bool)
    codes = applied[auto]
    tp = int((codes & truth[auto]).sum())
    n_codes, n_true = int(codes.sum()), int(truth[auto].sum())
    return {
        "confidence": float(confidence),
        "share": float(auto.mean()) if len(auto) else 0.0,
        "answers": int(auto.sum()),
        "codes": n_codes,
        "precision": tp / n_codes if n_codes else float("nan"),
        "recall": tp / n_true if n_true else float("nan"),
    }


def automation_points(P: np.ndarray, Y: np.ndarray, grid: Sequence[float] = CONFIDENCE_GRID) -> list[dict[str, float]]:
    """The automation curve: one point per confidence, lowest confidence (most answers) first."""
    return [point(P, Y, t) for t in grid]


def confidence_for_precision(
    P: np.ndarray, Y: np.ndarray, target: float, grid: Sequence[float] = CONFIDENCE_GRID
) -> float | None:
    """The lowest confidence at which the applied codes reach `target` precision, or None.

    Lowest, because a lower confidence codes more answers automatically; every higher confidence on
    the grid must reach the target too, so one lucky point in a noisy stretch is not chosen.
    """
    chosen = None
    for t in sorted(grid, reverse=True):
        p = point(P, Y, t)
        if p["codes"] < MIN_APPLIED or not p["precision"] >= target:
            if chosen is not None:
                break
            continue
        chosen = t
    return chosen


def chosen_confidences(P: np.ndarray, Y: np.ndarray, targets: Sequence[float] = TARGET_PRECISIONS) -> dict[str, float]:
    """For each target precision that can be reached, the confidence chosen for it (keys like "0.90")."""
    out = {}
    for target in targets:
        t = confidence_for_precision(P, Y, min(target + MARGIN, 0.999))
        if t is not None:
            out[f"{target:.2f}"] = t
    return out


def held_out_automation(
    P: np.ndarray, Y: np.ndarray, folds: Sequence[np.ndarray], chosen: Sequence[dict[str, float]]
) -> dict[str, Any]:
    """Each fold's answers coded at the confidence its own model chose without them, pooled.

    `P` holds out-of-fold probabilities, `folds[f]` the answers of fold f and `chosen[f]` what that
    fold's model chose from its own training answers. The precision reported is on answers that
    neither trained the model nor chose the confidence.
    """
    truth = np.asarray(Y, dtype=bool)
    out: dict[str, Any] = {}
    targets = sorted({key for c in chosen for key in c})
    for key in targets:
        auto = np.zeros(len(truth), dtype=bool)
        applied = np.zeros_like(truth)
        for idx, choice in zip(folds, chosen, strict=True):
            if key in choice:
                a, codes = automatic(P[idx], choice[key])
                auto[idx], applied[idx] = a, codes
        codes = applied & auto[:, None]
        tp = int((codes & truth).sum())
        relevant = int(truth[auto].sum())
        out[key] = {
            "share": float(auto.mean()),
            "answers": int(auto.sum()),
            "precision": tp / int(codes.sum()) if codes.sum() else float("nan"),
            "recall": tp / relevant if relevant else float("nan"),
            "confidences": [c.get(key) for c in chosen],
        }
    return out


# ---- the curves a trained model keeps, overall and per theme ------------------------------------

#: the precisions the analyst can ask for on the coding page (each theme's confidence follows)
TARGET_CHOICES: tuple[float, ...] = (0.80, 0.85, 0.90, 0.95)
#: when no confidence reaches a target overall, themes are ruled out this far from the fence (the default)
HELD_CONFIDENCE = 0.9
#: a theme with fewer coded examples than this among the answers the curve was measured on has too
#: little evidence to apply automatically: it stays with people
MIN_POSITIVES = 5


def curves(
    P: np.ndarray, Y: np.ndarray, themes: Sequence[str], grid: Sequence[float] = CONFIDENCE_GRID
) -> dict[str, Any]:
    """The counts behind the automation curve, overall and per theme, as plain data for a model's metrics.

    `P` must be out-of-fold probabilities (each answer scored by a model that did not train on it),
    so every figure is what unseen answers can expect. Counts rather than ratios, so a page can say
    how many answers and codes back each point. Overall, at each confidence: answers coded
    automatically, codes applied to them, how many of those people agreed with ("correct") and
    people's codes on those answers ("relevant", for recall). Per theme: answers where the theme is
    decided automatically (applied or ruled out: "clear"), codes applied and how many were correct,
    and the theme's positives. Then, for each target in TARGET_CHOICES, the per-theme confidences
    chosen for it and the joint counts they give.
    """
    P = np.asarray(P, dtype=float)
    truth = np.asarray(Y, dtype=bool)
    overall: dict[str, list[int]] = {"automatic": [], "codes": [], "correct": [], "relevant": []}
    per: dict[str, dict[str, Any]] = {
        key: {"clear": [], "codes": [], "correct": [], "positives": int(truth[:, j].sum())}
        for j, key in enumerate(themes)
    }
    for t in grid:
        auto, applied = automatic(P, t)
        codes = applied & auto[:, None]
        overall["automatic"].append(int(auto.sum()))
        overall["codes"].append(int(codes.sum()))
        overall["correct"].append(int((codes & truth).sum()))
        overall["relevant"].append(int(truth[auto].sum()))
        clear = applied | (1 - t >= P)
        for j, key in enumerate(themes):
            per[key]["clear"].append(int(clear[:, j].sum()))
            per[key]["codes"].append(int(applied[:, j].sum()))
            per[key]["correct"].append(int((applied[:, j] & truth[:, j]).sum()))
    out: dict[str, Any] = {"grid": [float(t) for t in grid], "answers": len(P), "overall": overall, "themes": per}
    out["targets"] = {}
    for target in TARGET_CHOICES:
        chosen = theme_confidences(out, target)
        out["targets"][f"{target:.2f}"] = {"confidences": chosen, **joint_counts(P, truth, list(themes), chosen)}
    return out


def curve_points(counts: dict[str, Any], theme: str | None = None) -> list[dict[str, float]]:
    """One curve from `curves` as points (confidence, share, precision, recall and the counts behind them),
    overall or for one theme; lowest confidence first. Precision is NaN where no code was applied."""
    n = counts["answers"]
    out = []
    for i, t in enumerate(counts["grid"]):
        if theme is None:
            c = counts["overall"]
            decided, codes, correct, relevant = c["automatic"][i], c["codes"][i], c["correct"][i], c["relevant"][i]
        else:
            c = counts["themes"][theme]
            decided, codes, correct, relevant = c["clear"][i], c["codes"][i], c["correct"][i], c["positives"]
        out.append(
            {
                "confidence": float(t),
                "answers": decided,
                "share": decided / n if n else 0.0,
                "codes": codes,
                "correct": correct,
                "precision": correct / codes if codes else float("nan"),
                "recall": correct / relevant if relevant else float("nan"),
            }
        )
    return out


def theme_point(counts: dict[str, Any], theme: str, confidence: float) -> dict[str, float] | None:
    """A theme's point at `confidence` (the grid point at or just below it), or None off the curve."""
    if theme not in counts.get("themes", {}):
        return None
    points = [p for p in curve_points(counts, theme) if p["confidence"] <= confidence + 1e-9]
    return points[-1] if points else None


def supported(p: dict[str, float] | None, target: float) -> bool:
    """Whether a point's applied codes reach `target` precision, backed by at least MIN_APPLIED codes."""
    return p is not None and p["codes"] >= MIN_APPLIED and p["precision"] >= target


def _lowest(points: list[dict[str, float]], aim: float) -> float | None:
    # as confidence_for_precision: the lowest of the unbroken run of supported points from the top
    chosen = None
    for p in reversed(points):
        if not supported(p, aim):
            if chosen is not None:
                break
            continue
        chosen = p["confidence"]
    return chosen


def overall_confidence(counts: dict[str, Any], target: float) -> float | None:
    """The one confidence at which all automatic codes together reach `target` (plus MARGIN), or None."""
    return _lowest(curve_points(counts), min(target + MARGIN, 0.999))


def own_confidences(counts: dict[str, Any], target: float) -> dict[str, float | None]:
    """Each theme's lowest confidence at which its own codes reach `target` (plus MARGIN), or None."""
    aim = min(target + MARGIN, 0.999)
    return {theme: _lowest(curve_points(counts, theme), aim) for theme in counts["themes"]}


def theme_confidences(counts: dict[str, Any], target: float) -> dict[str, float | None]:
    """Each theme's confidence for a target precision; None for a theme that stays with people.

    Every theme starts at the one confidence where all automatic codes together reach the target
    (`overall_confidence`); a theme whose own codes reach it at a lower confidence, backed by at
    least MIN_APPLIED of them, goes down to that; a theme with fewer than MIN_POSITIVES examples has
    too little evidence and stays with people. Asking every theme to reach the target on its own
    evidence instead was measured: on 3,000 public answers (3-fold) it coded 45% of answers
    automatically at 94% held-out precision for a 90% target, against 62% at 91% this way, since a
    theme with a few dozen codes rarely shows 92% on its own; the page shows each theme's own
    precision, and the analyst can raise any theme's confidence.
    """
    base = overall_confidence(counts, target)
    own = own_confidences(counts, target)
    out: dict[str, float | None] = {}
    for theme, c in counts["themes"].items():
        if base is None or c["positives"] < MIN_POSITIVES:
            out[theme] = None
        else:
            mine = own[theme]
            out[theme] = mine if mine is not None and mine < base else base
    return out


def threshold_arrays(
    themes: Sequence[str], chosen: dict[str, float | None], ceiling: float | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-theme confidences, which themes may be applied, and the confidences they are ruled out at,
    for `automatic`. A theme with no confidence (None, or not named) stays with people. A theme is
    ruled out at its own confidence or `ceiling` (the one confidence the rest follow), whichever is
    lower: a theme held to a higher confidence needs more certainty to be applied, not to be ruled out.
    """
    top = (
        ceiling if ceiling is not None else max([c for c in chosen.values() if c is not None], default=HELD_CONFIDENCE)
    )
    confidence = np.array([chosen.get(t) or top for t in themes], dtype=float)
    may_apply = np.array([chosen.get(t) is not None for t in themes], dtype=bool)
    return confidence, may_apply, np.minimum(confidence, top)


def joint_counts(P: np.ndarray, Y: np.ndarray, themes: list[str], chosen: dict[str, float | None]) -> dict[str, int]:
    """Answers coded automatically under per-theme confidences, and the counts behind their precision and recall."""
    truth = np.asarray(Y, dtype=bool)
    auto, applied = automatic(P, *threshold_arrays(themes, chosen))
    codes = applied & auto[:, None]
    return {
        "automatic": int(auto.sum()),
        "codes": int(codes.sum()),
        "correct": int((codes & truth).sum()),
        "relevant": int(truth[auto].sum()),
    }
