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


def automatic(P: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Which answers are coded without review at `confidence`, and the codes applied to them."""
    P = np.asarray(P, dtype=float)
    applied = confidence <= P
    clear = applied | (1 - confidence >= P)
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
