"""Trust measures for coding: F1 with bootstrap intervals, agreement, prevalence error, automation curve.

All functions take 0/1 matrices with one row per answer and one column per theme: `truth` is what
people coded, `pred` what the coder (or a second analyst) decided. Agreement uses
`nltk.metrics.agreement`, which needs no downloaded data.

Macro F1 averages over the themes that occur in `truth` (a theme nobody used has no recall to speak
of); sample F1 counts an answer with no theme in either set as full agreement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import binary_distance, masi_distance

DEFAULT_PRECISIONS = (0.8, 0.85, 0.9, 0.95)


def _as_bool(a: Any) -> np.ndarray:
    return np.asarray(a).astype(bool)


def _f1(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
    denom = 2 * tp + fp + fn
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom > 0, 2 * tp / np.where(denom > 0, denom, 1), np.nan)


def per_theme(truth: Any, pred: Any, themes: Sequence[str]) -> list[dict[str, Any]]:
    """Precision, recall, F1 and support for each theme."""
    t, p = _as_bool(truth), _as_bool(pred)
    tp = (t & p).sum(0)
    fp = (~t & p).sum(0)
    fn = (t & ~p).sum(0)
    rows = []
    for j, key in enumerate(themes):
        prec = tp[j] / (tp[j] + fp[j]) if tp[j] + fp[j] else float("nan")
        rec = tp[j] / (tp[j] + fn[j]) if tp[j] + fn[j] else float("nan")
        f1 = _f1(tp[j : j + 1], fp[j : j + 1], fn[j : j + 1])[0]
        rows.append(
            {
                "theme": key,
                "precision": float(prec),
                "recall": float(rec),
                "f1": float(f1),
                "support": int(t[:, j].sum()),
                "predicted": int(p[:, j].sum()),
            }
        )
    return rows


def averaged_f1(truth: Any, pred: Any, weights: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Micro, macro and sample-averaged F1; with `weights` (bootstrap counts, one row per resample), one value per row."""
    t, p = _as_bool(truth), _as_bool(pred)
    present = t.any(axis=0)
    W = np.ones((1, t.shape[0])) if weights is None else np.atleast_2d(weights).astype(float)
    tp = W @ (t & p)
    fp = W @ (~t & p)
    fn = W @ (t & ~p)
    micro = _f1(tp.sum(1), fp.sum(1), fn.sum(1))
    macro = np.nanmean(np.where(present, _f1(tp, fp, fn), np.nan), axis=1)
    row_tp, row_p, row_t = (t & p).sum(1), p.sum(1), t.sum(1)
    row_f1 = np.where(row_p + row_t > 0, 2 * row_tp / np.maximum(row_p + row_t, 1), 1.0)
    samples = (W @ row_f1) / W.sum(1)
    return {"micro": micro, "macro": macro, "samples": samples}


def f1_with_intervals(truth: Any, pred: Any, *, n_boot: int = 1000, seed: int = 0) -> dict[str, dict[str, float]]:
    """Micro, macro and sample F1 with bootstrap 95% intervals (answers resampled with replacement)."""
    n = np.asarray(truth).shape[0]
    point = averaged_f1(truth, pred)
    rng = np.random.default_rng(seed)
    out: dict[str, dict[str, float]] = {k: {"f1": float(v[0])} for k, v in point.items()}
    boots: dict[str, list[np.ndarray]] = {k: [] for k in point}
    for start in range(0, n_boot, 100):
        size = min(100, n_boot - start)
        weights = rng.multinomial(n, np.full(n, 1.0 / n), size=size)
        for k, v in averaged_f1(truth, pred, weights).items():
            boots[k].append(v)
    for k, parts in boots.items():
        values = np.concatenate(parts)
        lo, hi = np.nanpercentile(values, [2.5, 97.5])
        out[k].update({"low": float(lo), "high": float(hi)})
    return out


def cohen_kappa(a: Sequence[int] | np.ndarray, b: Sequence[int] | np.ndarray) -> float:
    """Cohen's kappa between two coders' yes/no decisions on one theme (nltk AnnotationTask)."""
    first, second = [int(x) for x in a], [int(x) for x in b]
    if len(set(first) | set(second)) < 2:  # both said the same single thing throughout: perfect, if trivial, agreement
        return 1.0
    data = [("A", str(i), v) for i, v in enumerate(first)] + [("B", str(i), v) for i, v in enumerate(second)]
    return float(AnnotationTask(data=data, distance=binary_distance).kappa())


def _kappa_fast(a: np.ndarray, b: np.ndarray) -> float:
    """The same figure as `cohen_kappa`, computed directly (for large tables)."""
    if len(set(a.tolist()) | set(b.tolist())) < 2:
        return 1.0
    po = float((a == b).mean())
    pe = float(a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean()))
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def kappa_per_theme(truth: Any, pred: Any, themes: Sequence[str]) -> dict[str, float]:
    """Cohen's kappa for each theme (nltk for small tables, the identical closed form for large ones)."""
    t, p = np.asarray(truth).astype(int), np.asarray(pred).astype(int)
    if t.shape[0] <= 2000:
        return {key: cohen_kappa(t[:, j], p[:, j]) for j, key in enumerate(themes)}
    return {key: _kappa_fast(t[:, j], p[:, j]) for j, key in enumerate(themes)}


def label_sets(matrix: Any, themes: Sequence[str]) -> list[frozenset[str]]:
    """Each answer's set of themes."""
    m = _as_bool(matrix)
    return [frozenset(themes[int(j)] for j in np.flatnonzero(row)) for row in m]


def set_distance(a: frozenset[str], b: frozenset[str]) -> float:
    """MASI distance, extended to answers with no theme (two empty sets agree; empty vs not, fully apart)."""
    if not a or not b:
        return 0.0 if a == b else 1.0
    return float(masi_distance(a, b))


def krippendorff_alpha(sets_a: Sequence[frozenset[str]], sets_b: Sequence[frozenset[str]]) -> float:
    """Krippendorff's alpha over two coders' label sets, with MASI distance (nltk AnnotationTask)."""
    data = [("A", str(i), s) for i, s in enumerate(sets_a)] + [("B", str(i), s) for i, s in enumerate(sets_b)]
    return float(AnnotationTask(data=data, distance=set_distance).alpha())


def prevalence_error(truth: Any, pred: Any, themes: Sequence[str]) -> dict[str, dict[str, float]]:
    """Each theme's share of answers as coded by people and by the coder, and the difference (points)."""
    t, p = _as_bool(truth), _as_bool(pred)
    out = {}
    for j, key in enumerate(themes):
        true_share, pred_share = float(t[:, j].mean()), float(p[:, j].mean())
        out[key] = {"true": true_share, "predicted": pred_share, "error": pred_share - true_share}
    return out


def answer_certainty(P: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """How sure the coder is of an answer's whole set of decisions: its least certain theme, 0..1."""
    P = np.asarray(P, dtype=float)
    t = np.broadcast_to(np.asarray(thresholds, dtype=float), P.shape)
    span = np.where(t <= P, np.maximum(1 - t, 1e-9), np.maximum(t, 1e-9))
    return np.clip(np.abs(P - t) / span, 0, 1).min(axis=1)


def automation_curve(
    truth: Any, pred: Any, certainty: np.ndarray, precisions: Sequence[float] = DEFAULT_PRECISIONS
) -> dict[str, Any]:
    """The share of answers that can be coded without review while the codes applied keep a precision.

    Answers are taken most certain first; at each share, precision and recall are those of the codes
    applied to that share. For each target precision: the largest share that still reaches it.
    """
    t, p = _as_bool(truth), _as_bool(pred)
    order = np.argsort(-np.asarray(certainty), kind="stable")
    tp = np.cumsum((t & p).sum(1)[order])
    applied = np.cumsum(p.sum(1)[order])
    relevant = np.cumsum(t.sum(1)[order])
    exact = np.cumsum((t == p).all(1)[order])
    n = len(order)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(applied > 0, tp / np.maximum(applied, 1), 1.0)
        recall = np.where(relevant > 0, tp / np.maximum(relevant, 1), 1.0)
    share = np.arange(1, n + 1) / n
    targets = {}
    for target in precisions:
        ok = np.flatnonzero(precision >= target)
        # the curve is not monotone: the largest prefix that still meets the target
        i = int(ok.max()) if len(ok) else -1
        targets[f"{target:.2f}"] = {
            "share": float(share[i]) if i >= 0 else 0.0,
            "answers": i + 1,
            "recall": float(recall[i]) if i >= 0 else 0.0,
            "exact_match": float(exact[i] / (i + 1)) if i >= 0 else 0.0,
        }
    steps = [max(1, round(n * q / 10)) - 1 for q in range(1, 11)]
    curve = [{"share": float(share[i]), "precision": float(precision[i]), "recall": float(recall[i])} for i in steps]
    return {"at_precision": targets, "curve": curve}


#: themes with fewer coded answers than this count as rare in the calibration check
RARE_BELOW = 50


def calibration_by_support(
    truth: Any, P: np.ndarray, *, rare_below: int = RARE_BELOW, confident: float = 0.5
) -> dict[str, dict[str, float]]:
    """Whether the probabilities mean what they say, for rare themes and the rest separately.

    A model can be well calibrated on the themes that fill most answers and overconfident on the
    rare ones, which a pooled check hides. For each group (themes with fewer than `rare_below` coded
    answers, and the others): the positives expected (sum of probabilities) and observed, the Brier
    score, and among probabilities of at least `confident`, their mean and the share that were right.
    """
    t = np.asarray(truth).astype(float)
    P = np.asarray(P, dtype=float)
    support = t.sum(axis=0)
    out: dict[str, dict[str, float]] = {}
    for name, mask in (("rare", (support > 0) & (support < rare_below)), ("common", support >= rare_below)):
        p, y = P[:, mask], t[:, mask]
        high = p >= confident
        out[name] = {
            "themes": int(mask.sum()),
            "expected": float(p.sum()),
            "observed": float(y.sum()),
            "brier": float(((p - y) ** 2).mean()) if p.size else float("nan"),
            "confident": int(high.sum()),
            "confident_mean_probability": float(p[high].mean()) if high.any() else float("nan"),
            "confident_precision": float(y[high].mean()) if high.any() else float("nan"),
        }
    return out


@dataclass
class Evaluation:
    """Everything `evaluate` reports, as plain data."""

    per_theme: list[dict[str, Any]]
    averages: dict[str, dict[str, float]]
    kappa: dict[str, float]
    alpha: float
    prevalence: dict[str, dict[str, float]]
    automation: dict[str, Any]
    #: `calibration_by_support`, when the probabilities were given
    calibration: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "averages": self.averages,
            "alpha": self.alpha,
            "automation": self.automation,
            "calibration": self.calibration,
            "per_theme": [
                dict(
                    row,
                    kappa=self.kappa[row["theme"]],
                    **{"prevalence_" + k: v for k, v in self.prevalence[row["theme"]].items()},
                )
                for row in self.per_theme
            ],
        }


def evaluate_decisions(
    truth: Any,
    pred: Any,
    themes: Sequence[str],
    certainty: np.ndarray | None = None,
    *,
    n_boot: int = 1000,
    seed: int = 0,
    precisions: Sequence[float] = DEFAULT_PRECISIONS,
    probabilities: np.ndarray | None = None,
) -> Evaluation:
    """Every trust measure for one set of decisions against people's coding (and of the
    probabilities behind them, when given)."""
    themes = list(themes)
    if certainty is None:
        certainty = np.ones(np.asarray(truth).shape[0])
    return Evaluation(
        per_theme=per_theme(truth, pred, themes),
        averages=f1_with_intervals(truth, pred, n_boot=n_boot, seed=seed),
        kappa=kappa_per_theme(truth, pred, themes),
        alpha=krippendorff_alpha(label_sets(truth, themes), label_sets(pred, themes)),
        prevalence=prevalence_error(truth, pred, themes),
        automation=automation_curve(truth, pred, certainty, precisions),
        calibration={} if probabilities is None else calibration_by_support(truth, probabilities),
    )
