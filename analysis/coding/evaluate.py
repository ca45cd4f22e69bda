"""Evaluating a coder honestly: cross-validation, or training on one group and testing on another.

Every answer is coded by a model that never saw it; the pooled out-of-fold decisions are then scored
with every trust measure in `metrics`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.model_selection import KFold

from analysis.coding.automation import automation_points, held_out_automation
from analysis.coding.codebook import Codebook
from analysis.coding.dataset import CodedAnswers
from analysis.coding.engine import ThemeCoder
from analysis.coding.learned import CoderSettings
from analysis.coding.metrics import Evaluation, answer_certainty, evaluate_decisions


@dataclass
class OutOfSample:
    """Probabilities and decisions for answers coded by models that did not see them."""

    P: np.ndarray
    D: np.ndarray
    certainty: np.ndarray
    train_seconds: list[float]
    #: the answers of each outer fold, and the auto-apply confidences its model chose without them
    folds: list[np.ndarray] = field(default_factory=list)
    chosen: list[dict[str, float]] = field(default_factory=list)


def cross_validate(
    data: CodedAnswers,
    *,
    folds: int = 5,
    codebook: Codebook | None = None,
    settings: CoderSettings | None = None,
    seed: int = 0,
    progress: Any = None,
) -> OutOfSample:
    """K-fold cross-validation: each answer coded by the model trained on the other folds."""
    n, k = data.Y.shape
    P, D, cert = np.zeros((n, k)), np.zeros((n, k), dtype=bool), np.zeros(n)
    seconds, held_out, chosen = [], [], []
    for f, (train, test) in enumerate(KFold(folds, shuffle=True, random_state=seed).split(data.texts)):
        started = time.perf_counter()
        part = data.subset(train)
        coder = ThemeCoder(codebook, data.themes, settings).fit(part.texts, part.Y, part.questions)
        seconds.append(time.perf_counter() - started)
        held = data.subset(test)
        p, d = coder.probabilities(held.texts, held.questions)
        P[test], D[test], cert[test] = p, d, answer_certainty(p, coder.thresholds)
        held_out.append(test)
        chosen.append(coder.auto_confidence)
        if progress:
            progress(f"fold {f + 1}/{folds}: trained on {len(train)} answers in {seconds[-1]:.1f} s")
    return OutOfSample(P, D, cert, seconds, held_out, chosen)


def train_test(
    train: CodedAnswers, test: CodedAnswers, *, codebook: Codebook | None = None, settings: CoderSettings | None = None
) -> OutOfSample:
    """Train on one set of answers (one trust, one year) and code another."""
    started = time.perf_counter()
    coder = ThemeCoder(codebook, train.themes, settings).fit(train.texts, train.Y, train.questions)
    seconds = time.perf_counter() - started
    P, D = coder.probabilities(test.texts, test.questions)
    return OutOfSample(
        P, D, answer_certainty(P, coder.thresholds), [seconds], [np.arange(len(test.texts))], [coder.auto_confidence]
    )


def auto_apply_report(data: CodedAnswers, result: OutOfSample) -> dict[str, Any]:
    """The review loop's auto-apply rule on answers the models never saw: the curve, and the
    confidences each model chose for target precisions checked on its held-out answers."""
    return {
        "curve": automation_points(result.P, data.Y),
        "held_out": held_out_automation(result.P, data.Y, result.folds, result.chosen),
    }


def format_auto_apply(report: dict[str, Any]) -> str:
    """The auto-apply curve and the held-out check as text."""
    lines = ["  Auto-apply (every theme at least t or at most 1-t), on answers the model never saw:"]
    lines.append(f"    {'t':>5} {'share':>7} {'precision':>9} {'recall':>7}")
    for row in report["curve"][::5]:
        lines.append(
            f"    {row['confidence']:>5.2f} {row['share']:>7.1%} {_num(row['precision']):>9} {_num(row['recall']):>7}"
        )
    for target, row in report["held_out"].items():
        ts = ", ".join("-" if t is None else f"{t:.2f}" for t in row["confidences"])
        lines.append(
            f"    target precision {target}: confidence chosen without the held-out answers ({ts}) codes "
            f"{row['share']:.1%} of them automatically at precision {row['precision']:.3f} (recall {row['recall']:.2f})"
        )
    return "\n".join(lines)


def score(data: CodedAnswers, result: OutOfSample, *, n_boot: int = 1000) -> Evaluation:
    """Every trust measure for out-of-sample decisions."""
    return evaluate_decisions(data.Y, result.D, data.themes, result.certainty, n_boot=n_boot, probabilities=result.P)


def format_report(ev: Evaluation, *, title: str = "", per_theme: bool = True) -> str:
    """The evaluation as text for the terminal."""
    lines = [title] if title else []
    for name in ("micro", "macro", "samples"):
        a = ev.averages[name]
        lines.append(f"  {name + ' F1':<11} {a['f1']:.3f}  (95% CI {a['low']:.3f}-{a['high']:.3f})")
    lines.append(f"  Krippendorff's alpha over label sets (MASI): {ev.alpha:.3f}")
    for group, c in ev.calibration.items():
        lines.append(
            f"  Calibration, {group} themes ({c['themes']}): {c['expected']:.0f} positives expected, "
            f"{c['observed']:.0f} coded; of {c['confident']} probabilities of 0.5 or more (mean "
            f"{_num(c['confident_mean_probability']).strip()}), {_num(c['confident_precision']).strip()} were right"
        )
    lines.append("  Automation: share of answers codable without review at a precision of")
    for target, row in ev.automation["at_precision"].items():
        lines.append(
            f"    {target}: {row['share']:.1%} of answers (recall there {row['recall']:.2f}, "
            f"exact theme sets {row['exact_match']:.1%})"
        )
    if per_theme:
        lines.append(
            f"  {'theme':<48} {'n':>5} {'P':>5} {'R':>5} {'F1':>5} {'kappa':>6} {'true%':>6} {'pred%':>6} {'err':>6}"
        )
        for row in ev.per_theme:
            prev = ev.prevalence[row["theme"]]
            lines.append(
                f"  {row['theme'][:48]:<48} {row['support']:>5} {_num(row['precision'])} {_num(row['recall'])} "
                f"{_num(row['f1'])} {ev.kappa[row['theme']]:>6.2f} {prev['true']:>6.1%} "
                f"{prev['predicted']:>6.1%} {prev['error'] * 100:>+5.1f}"
            )
    return "\n".join(lines)


def _num(x: float) -> str:
    return "   - " if x != x else f"{x:>5.2f}"
