"""Answers coded without review at the confidence the coder chose must meet the stated precision on
answers it never saw, not only on the answers it learned from."""

from __future__ import annotations

import numpy as np

from analysis.coding.automation import automatic, chosen_confidences, confidence_for_precision, point
from analysis.coding.dataset import CodedAnswers
from analysis.coding.evaluate import auto_apply_report, cross_validate
from analysis.coding.learned import CoderSettings
from tests.analysis.coding.conftest import synthetic


def _noisy(n: int, seed: int, flip: float) -> CodedAnswers:
    """Synthetic answers where people disagree with the phrases on a share of the theme codes."""
    texts, Y, keys = synthetic(n, seed=seed)
    rng = np.random.default_rng(seed)
    noise = rng.random(Y.shape) < flip
    Y = np.where(noise, 1 - Y, Y)
    return CodedAnswers(texts=texts, Y=Y, themes=keys, rows=[{} for _ in texts])


def test_codes_applied_at_the_chosen_confidence_meet_the_precision_on_held_out_folds() -> None:
    data = _noisy(600, seed=3, flip=0.05)
    result = cross_validate(data, folds=3, settings=CoderSettings(folds=3, n_jobs=1))
    held_out = auto_apply_report(data, result)["held_out"]
    row = held_out["0.90"]
    # every fold's model chose a confidence from its own training answers
    assert all(t is not None for t in row["confidences"])
    assert row["share"] > 0.3, "a chosen confidence that codes almost nothing proves nothing"
    assert row["precision"] >= 0.90
    # the curve is honest: a stricter target codes fewer answers
    if "0.95" in held_out:
        assert held_out["0.95"]["share"] <= held_out["0.80"]["share"]


def test_the_chosen_confidence_is_the_lowest_whose_codes_stay_precise() -> None:
    rng = np.random.default_rng(0)
    Y = rng.random((400, 3)) < 0.3
    # probabilities that are right when far from the fence, and a coin toss near it
    P = np.where(Y, rng.uniform(0.3, 1.0, Y.shape), rng.uniform(0.0, 0.7, Y.shape))
    t = confidence_for_precision(P, Y, 0.9)
    assert t is not None
    assert point(P, Y, t)["precision"] >= 0.9
    lower = round(t - 0.05, 2)
    if lower >= 0.5:
        assert point(P, Y, lower)["precision"] < 0.9 or point(P, Y, lower)["codes"] < 20
    assert set(chosen_confidences(P, Y)) <= {"0.80", "0.90", "0.95"}


def test_an_answer_is_automatic_only_when_every_theme_is_clear() -> None:
    P = np.array([[0.95, 0.02], [0.95, 0.5], [0.05, 0.01]])
    auto, applied = automatic(P, 0.9)
    assert auto.tolist() == [True, False, True]
    assert applied.tolist() == [[True, False], [True, False], [False, False]]
