"""Agreement and accuracy figures against examples worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.coding.metrics import (
    answer_certainty,
    automation_curve,
    averaged_f1,
    calibration_by_support,
    cohen_kappa,
    evaluate_decisions,
    f1_with_intervals,
    kappa_per_theme,
    krippendorff_alpha,
    label_sets,
    per_theme,
    prevalence_error,
)


def test_cohen_kappa_hand_worked() -> None:
    # 50 answers: both yes 20, A only 5, B only 10, both no 15.
    # Observed agreement 35/50 = 0.7; A says yes 0.5, B 0.6; chance 0.5*0.6 + 0.5*0.4 = 0.5.
    # kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    a = [1] * 20 + [1] * 5 + [0] * 10 + [0] * 15
    b = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)


def test_kappa_large_tables_match_nltk() -> None:
    rng = np.random.default_rng(3)
    truth = rng.integers(0, 2, (2500, 3))
    pred = np.where(rng.random((2500, 3)) < 0.8, truth, 1 - truth)
    fast = kappa_per_theme(truth, pred, ["a", "b", "c"])  # > 2000 rows: closed form
    for j, key in enumerate("abc"):
        assert fast[key] == pytest.approx(cohen_kappa(truth[:, j], pred[:, j]))


def test_kappa_when_both_coders_never_use_a_theme() -> None:
    assert cohen_kappa([0, 0, 0], [0, 0, 0]) == 1.0


def test_krippendorff_alpha_on_single_themes_hand_worked() -> None:
    # Four answers, A: a a b b, B: a b b b. Eight values: 3 a, 5 b. One disagreeing pair (both orders).
    # alpha = 1 - (n - 1) * sum(o_ck d_ck) / sum(n_c n_k d_ck) = 1 - 7 * 2 / (2 * 3 * 5) = 8/15
    f = frozenset
    assert krippendorff_alpha([f("a"), f("a"), f("b"), f("b")], [f("a"), f("b"), f("b"), f("b")]) == pytest.approx(
        8 / 15
    )


def test_krippendorff_alpha_on_label_sets_hand_worked() -> None:
    # A: {a,b} {b} {a};  B: {a} {b} {a}.  MASI distance {a,b}-{a} = 1 - (1/2)(2/3) = 2/3; disjoint sets 1.
    # Values: {a,b} x1, {a} x3, {b} x2 (n = 6). Observed: the first answer's pair, both orders: 2 * 2/3 = 4/3.
    # Expected: 2*(1*3*2/3) + 2*(1*2*2/3) + 2*(3*2*1) = 4 + 8/3 + 12 = 56/3.
    # alpha = 1 - 5 * (4/3) / (56/3) = 1 - 20/56 = 9/14
    f = frozenset
    assert krippendorff_alpha([f("ab"), f("b"), f("a")], [f("a"), f("b"), f("a")]) == pytest.approx(9 / 14)


def test_f1_averages_hand_worked() -> None:
    truth = np.array([[1, 0], [1, 1], [0, 1], [0, 0]])
    pred = np.array([[1, 1], [1, 0], [0, 1], [0, 0]])
    # theme 0: tp 2 -> F1 1; theme 1: tp 1, fp 1, fn 1 -> F1 0.5.  micro: tp 3, fp 1, fn 1 -> 6/8.
    # samples: 2/3, 2/3, 1, and 1 for the answer with no theme on either side -> 10/12.
    avg = averaged_f1(truth, pred)
    assert avg["micro"][0] == pytest.approx(0.75)
    assert avg["macro"][0] == pytest.approx(0.75)
    assert avg["samples"][0] == pytest.approx(10 / 12)
    rows = per_theme(truth, pred, ["x", "y"])
    assert rows[1] == {"theme": "y", "precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2, "predicted": 2}


def test_bootstrap_interval_contains_the_estimate_and_narrows_with_more_answers() -> None:
    rng = np.random.default_rng(0)
    widths = []
    for n in (100, 2000):
        truth = rng.integers(0, 2, (n, 4))
        pred = np.where(rng.random((n, 4)) < 0.85, truth, 1 - truth)
        ci = f1_with_intervals(truth, pred, n_boot=300)
        for name in ("micro", "macro", "samples"):
            assert ci[name]["low"] <= ci[name]["f1"] <= ci[name]["high"]
        widths.append(ci["micro"]["high"] - ci["micro"]["low"])
    assert widths[1] < widths[0]


def test_prevalence_error_is_predicted_minus_true_share() -> None:
    truth = np.array([[1], [0], [0], [0]])
    pred = np.array([[1], [1], [0], [0]])
    assert prevalence_error(truth, pred, ["t"])["t"] == {"true": 0.25, "predicted": 0.5, "error": 0.25}


def test_automation_curve_takes_the_most_certain_answers_first() -> None:
    truth = np.array([[1], [1], [0], [1]])
    pred = np.array([[1], [1], [1], [1]])
    certainty = np.array([0.9, 0.8, 0.1, 0.7])
    out = automation_curve(truth, pred, certainty, precisions=(0.9, 0.7))
    # Most certain first: right, right, right (0.7), wrong (0.1): precision 1, 1, 1, 0.75.
    assert out["at_precision"]["0.90"]["share"] == 0.75
    assert out["at_precision"]["0.70"]["share"] == 1.0


def test_answer_certainty_is_the_least_certain_theme() -> None:
    P = np.array([[0.99, 0.01], [0.55, 0.02]])
    c = answer_certainty(P, np.array([0.5, 0.5]))
    assert c[0] == pytest.approx(0.98) and c[1] == pytest.approx(0.1)


def test_evaluate_decisions_bundles_everything() -> None:
    truth = np.array([[1, 0], [0, 1], [1, 1], [0, 0]] * 5)
    ev = evaluate_decisions(truth, truth, ["a", "b"], n_boot=50)
    data = ev.to_dict()
    assert data["alpha"] == 1.0 and data["averages"]["micro"]["f1"] == 1.0
    assert {r["theme"] for r in data["per_theme"]} == {"a", "b"} and data["per_theme"][0]["kappa"] == 1.0
    assert label_sets(truth[:2], ["a", "b"]) == [frozenset({"a"}), frozenset({"b"})]


def test_calibration_check_separates_an_overconfident_rare_theme_from_the_common_ones() -> None:
    # 200 answers; a common theme with 100 positives whose probabilities mean what they say (0.8 for
    # positives, of which 80% truly are; 0.1 elsewhere), and a rare theme with 4 positives the model
    # calls at 0.9 on ten answers, only two of them right: pooled, the rare errors would be lost.
    n = 200
    truth = np.zeros((n, 2), dtype=int)
    P = np.full((n, 2), 0.1)
    P[:125, 0] = 0.8
    truth[:100, 0] = 1
    truth[[0, 1, 150, 151], 1] = 1
    P[:10, 1] = 0.9
    report = calibration_by_support(truth, P, rare_below=50)
    common, rare = report["common"], report["rare"]
    assert common["themes"] == rare["themes"] == 1
    assert common["confident"] == 125 and common["confident_mean_probability"] == pytest.approx(0.8)
    assert common["confident_precision"] == pytest.approx(0.8)
    assert rare["confident"] == 10 and rare["confident_mean_probability"] == pytest.approx(0.9)
    assert rare["confident_precision"] == pytest.approx(0.2)  # 0.9 stated, 0.2 true: overconfident
    assert rare["observed"] == 4 and rare["expected"] == pytest.approx(10 * 0.9 + 190 * 0.1)


def test_evaluation_reports_calibration_only_when_given_probabilities() -> None:
    truth = np.array([[1, 0], [0, 1], [1, 1], [0, 0]] * 5)
    assert evaluate_decisions(truth, truth, ["a", "b"], n_boot=20).calibration == {}
    ev = evaluate_decisions(truth, truth, ["a", "b"], n_boot=20, probabilities=truth * 0.9)
    assert ev.to_dict()["calibration"]["rare"]["confident_precision"] == 1.0
