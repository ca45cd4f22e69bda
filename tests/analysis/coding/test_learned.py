"""The learned coder: beats chance, tunes thresholds, leans on the rules while examples are few."""

from __future__ import annotations

import numpy as np

from analysis.coding.codebook import load_codebook
from analysis.coding.engine import ThemeCoder
from analysis.coding.learned import CoderSettings, LearnedCoder, apply_at_least_one
from analysis.coding.metrics import averaged_f1
from tests.analysis.coding.conftest import synthetic

FAST = CoderSettings(n_jobs=1, folds=3)


def test_learned_coder_beats_chance_on_unseen_answers() -> None:
    texts, Y, keys = synthetic(240, seed=1)
    coder = LearnedCoder(keys, FAST).fit(texts[:160], Y[:160])
    P = coder.predict_proba(texts[160:])
    D = coder.decide(P)
    ours = averaged_f1(Y[160:], D)["micro"][0]
    rng = np.random.default_rng(0)
    chance = averaged_f1(Y[160:], rng.random(Y[160:].shape) < Y[:160].mean(axis=0))["micro"][0]
    assert ours > 0.9 > chance + 0.3
    assert P.shape == (80, 4) and ((P >= 0) & (P <= 1)).all()


def test_probabilities_are_calibrated_enough_to_rank() -> None:
    texts, Y, keys = synthetic(200, seed=2)
    coder = LearnedCoder(keys, FAST).fit(texts[:150], Y[:150])
    P = coder.predict_proba(texts[150:])
    for j in range(len(keys)):
        assert P[Y[150:, j] == 1, j].mean() > 0.7 > 0.3 > P[Y[150:, j] == 0, j].mean()


def test_a_theme_never_coded_is_never_decided() -> None:
    texts, Y, keys = synthetic(100, seed=3)
    Y = np.hstack([Y, np.zeros((100, 1), dtype=int)])
    coder = LearnedCoder([*keys, "unused"], FAST).fit(texts, Y)
    assert not coder.decide(coder.predict_proba(texts))[:, -1].any()
    assert coder.report is not None and coder.report.positives["unused"] == 0


def test_at_least_one_gives_an_empty_answer_the_theme_nearest_its_threshold() -> None:
    P = np.array([[0.2, 0.45], [0.9, 0.1]])
    t = np.array([0.5, 0.8])
    # Row 0 has no theme: 0.2 is 0.4 of its threshold, 0.45 is 0.56 of its own, so the second wins.
    # Row 1 already has a theme and is left alone.
    assert apply_at_least_one(P, t <= P, t).tolist() == [[False, True], [True, False]]


def test_rules_carry_a_theme_with_few_examples() -> None:
    # Only three coded examples of knives, none of them saying "shank": the rules know the word.
    texts, Y, keys = synthetic(150, seed=4)
    book = load_codebook()
    few = np.flatnonzero(Y[:, 0] == 1)[3:]
    keep = np.setdiff1d(np.arange(150), few)
    coder = ThemeCoder(book, keys, FAST).fit([texts[i] for i in keep], Y[keep])
    assert coder.learned is not None and coder.learned.positives[0] == 3
    P, D = coder.probabilities(["my cousin got shanked last week"])
    assert D[0, 0] and P[0, 0] > 0.5
    without = ThemeCoder(None, keys, FAST).fit([texts[i] for i in keep], Y[keep])
    assert without.probabilities(["my cousin got shanked last week"])[0][0, 0] < P[0, 0]


def test_coder_round_trips_through_a_file(tmp_path) -> None:
    texts, Y, keys = synthetic(80, seed=5)
    coder = ThemeCoder(load_codebook(), keys, FAST).fit(texts, Y)
    coder.save(tmp_path / "c.pkl")
    again = ThemeCoder.load(tmp_path / "c.pkl")
    assert np.allclose(again.probabilities(texts[:5])[0], coder.probabilities(texts[:5])[0])


def test_thresholds_tuned_on_calibrated_probabilities_carry_over_to_new_answers() -> None:
    # Two themes with calibrated probabilities (each answer has the theme with exactly its
    # probability), one in 100 answers and one in 11: a threshold tuned on 2,000 answers should
    # reach close to the best F1 any threshold gets on answers it never saw, rare theme included.
    rng = np.random.default_rng(0)
    shapes = [(0.05, 5.0), (0.3, 3.0)]

    def draw(n: int) -> tuple[np.ndarray, np.ndarray]:
        P = np.column_stack([rng.beta(a, b, n) for a, b in shapes])
        return P, (rng.random(P.shape) < P).astype(int)

    def f1(decided: np.ndarray, y: np.ndarray) -> float:
        return float(2 * (decided & (y == 1)).sum() / max(decided.sum() + y.sum(), 1))

    new_P, new_Y = draw(200_000)
    best = [max(f1(t <= new_P[:, j], new_Y[:, j]) for t in np.linspace(0.01, 0.99, 99)) for j in range(2)]
    reached = []
    for _ in range(60):
        P, Y = draw(2_000)
        coder = LearnedCoder(["rare", "common"], FAST)
        coder._tune_thresholds(P, Y)
        reached.append([f1(coder.thresholds[j] <= new_P[:, j], new_Y[:, j]) for j in range(2)])
    mean = np.mean(reached, axis=0)
    assert best[0] - 0.02 < mean[0] <= best[0] + 1e-9
    assert best[1] - 0.01 < mean[1] <= best[1] + 1e-9
    assert np.percentile(np.array(reached)[:, 0], 10) > best[0] - 0.05
