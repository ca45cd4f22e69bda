"""Per-theme thresholds chosen from the coder's own out-of-fold curve keep their promise on answers
the coder never saw: the demo's answers and a subset of the public NHS feedback set.

Each outer fold trains a coder on the other folds. The coder's curve (`learned.automation`, from its
internal cross-validation on those training answers alone) chooses each theme's confidence for the
target precision, exactly as the coding page does; the choice is then applied to the held-out fold.
Pooled over folds, the codes applied to answers coded automatically must reach the target.

The tolerance: the pooled held-out precision is a proportion over n applied codes. If the procedure's
true precision were exactly the target p, the observed proportion would fall below
p - 2.33 * sqrt(p (1 - p) / n) only about 1% of the time (one-sided, normal approximation to the
binomial), so a failure is strong evidence that the choice does not keep its promise, while noise
alone fails the test about once in a hundred runs at worst. The choice aims MARGIN above the target,
so in practice it passes with room to spare. Codes on one answer are not independent; with about 1.2
applied codes per automatic answer the variance this ignores is small. So that a test that cannot
fail does not pass for nothing: each test checks that the choice codes a real share of answers (coding
almost nothing would pass any precision), and checks the same bound against a bad choice (every code
the model leans towards, at 0.5) on the same held-out answers, which must fail it."""

from __future__ import annotations

import math
import random
import time
from pathlib import Path

import numpy as np
import pytest
from sklearn.model_selection import KFold

from analysis.coding.automation import automatic, theme_confidences, threshold_arrays
from analysis.coding.dataset import load_coded
from analysis.coding.engine import ThemeCoder
from analysis.coding.learned import CoderSettings

PUBLIC = Path(__file__).resolve().parents[3].parent / "shared" / "eval" / "pxtextmining" / "v6framework_230831.csv"
TARGET = 0.90
Z = 2.33  # one-sided 1%


def demo_answers(
    n: int, folds: int, *, own_sentences: bool, seed: int = 0
) -> tuple[list[str], np.ndarray, list[str], np.ndarray]:
    """Answers written the way the demo writes them (survey_app.demo.free_text: the same fragment
    bank, voices, theme weights and joiners), with the themes the writer drew on as the truth, and
    the fold of each answer.

    The demo composes answers from a few hundred fragments, so an ordinary split tests the coder on
    sentences it trained on, as a real demo campaign's new answers would be. With `own_sentences`
    each fold's answers are written from its own share of every fragment list instead: a held-out
    answer's sentences are ones the coder never saw.
    """
    from survey_app.demo.free_text import JOINERS, TEXT, THEME_WEIGHTS
    from survey_app.demo.sampling import pick, weighted_order

    rng = random.Random(seed)
    themes = sorted(TEXT)
    texts, rows, fold_of = [], [], []
    for i in range(n):
        fold = i % folds
        voice = pick(rng, ["young", "child", "parent", "pro"], [0.55, 0.15, 0.2, 0.1])
        # this fold's share of each fragment list (lists too short to share are left out of it)
        share = slice(fold, None, folds) if own_sentences else slice(None)
        bank = {t: {mode: f[share] for mode, f in TEXT[t].get(voice, {}).items() if f[share]} for t in themes}
        available = [t for t in themes if bank[t] and THEME_WEIGHTS[voice].get(t)]
        ordered = weighted_order(rng, available, [THEME_WEIGHTS[voice][t] for t in available])
        chosen = ordered[: pick(rng, [1, 2, 3], [0.5, 0.35, 0.15])]
        fragments = [rng.choice(bank[t][rng.choice(sorted(bank[t]))]) for t in chosen]
        text = fragments[0]
        for fragment in fragments[1:]:
            text += rng.choice(JOINERS) + fragment
        texts.append(text)
        rows.append([int(t in chosen) for t in themes])
        fold_of.append(fold)
    return texts, np.array(rows, dtype=int), themes, np.array(fold_of)


def held_out(
    texts: list[str], Y: np.ndarray, themes: list[str], target: float, folds: int = 3, fold_of: np.ndarray | None = None
) -> dict[str, float]:
    """Pooled held-out automation with each fold's thresholds chosen from its own model's curve
    (folds given by `fold_of`, or shuffled)."""
    n = len(texts)
    auto_all = np.zeros(n, dtype=bool)
    applied_all = np.zeros_like(Y, dtype=bool)
    loose_applied = np.zeros_like(Y, dtype=bool)
    loose_auto = np.zeros(n, dtype=bool)
    splits = (
        [(np.flatnonzero(fold_of != f), np.flatnonzero(fold_of == f)) for f in range(folds)]
        if fold_of is not None
        else list(KFold(folds, shuffle=True, random_state=0).split(texts))
    )
    for train, test in splits:
        coder = ThemeCoder(themes=themes, settings=CoderSettings(n_jobs=1)).fit([texts[i] for i in train], Y[train])
        assert coder.learned is not None
        chosen = theme_confidences(coder.learned.automation, target)
        P, _ = coder.probabilities([texts[i] for i in test])
        auto, applied = automatic(P, *threshold_arrays(themes, chosen))
        auto_all[test], applied_all[test] = auto, applied
        # the control: every theme applied at the lowest confidence, whatever the curve says
        loose_auto[test], loose_applied[test] = automatic(P, 0.5)
    truth = Y.astype(bool)

    def pooled(auto: np.ndarray, applied: np.ndarray) -> tuple[float, int]:
        codes = applied & auto[:, None]
        return (int((codes & truth).sum()) / int(codes.sum()) if codes.sum() else math.nan), int(codes.sum())

    precision, codes = pooled(auto_all, applied_all)
    loose, _ = pooled(loose_auto, loose_applied)
    return {"precision": precision, "codes": codes, "share": float(auto_all.mean()), "loose_precision": loose}


def bound(target: float, codes: int) -> float:
    """The lowest pooled precision the test accepts for `codes` applied codes (see the module docstring)."""
    return target - Z * math.sqrt(target * (1 - target) / codes)


def test_demo_answers_coded_automatically_meet_the_target_on_held_out_folds() -> None:
    started = time.process_time()
    texts, Y, themes, fold_of = demo_answers(1500, 3, own_sentences=False)
    result = held_out(texts, Y, themes, TARGET, fold_of=fold_of)
    assert result["codes"] >= 300, "too few codes applied to say anything about their precision"
    assert result["share"] >= 0.5, result
    assert result["precision"] >= bound(TARGET, result["codes"]), result
    # The demo is easy (new answers reuse the fragments of reviewed ones), so here the bad choice
    # passes too; the public set's test and the sentences-never-seen test below are the hard ones.
    print(f"demo: {result} in {time.process_time() - started:.0f} s CPU")


@pytest.mark.xfail(
    strict=True,
    reason=(
        "a known limit, measured: when the training answers repeat sentences, the coder's internal "
        "out-of-fold curve sees them on both sides of its split and promises more than answers in "
        "sentences it never saw get (72% against a 90% target, every answer coded automatically); "
        "grouping repeated sentences in the coder's internal folds would be the fix"
    ),
)
def test_demo_answers_in_sentences_never_seen_meet_the_target() -> None:
    texts, Y, themes, fold_of = demo_answers(1500, 3, own_sentences=True)
    result = held_out(texts, Y, themes, TARGET, fold_of=fold_of)
    assert result["codes"] >= 300 and result["precision"] >= bound(TARGET, result["codes"]), result


@pytest.mark.skipif(not PUBLIC.exists(), reason="the public evaluation set is not on this machine")
def test_public_answers_coded_automatically_meet_the_target_on_held_out_folds() -> None:
    started = time.process_time()
    data = load_coded(PUBLIC, "FFT answer")
    pick = np.random.default_rng(0).choice(len(data.texts), 3000, replace=False)
    sub = data.subset(np.sort(pick))
    # themes with no example in the subset teach nothing and are never applied
    keep = [j for j in range(len(sub.themes)) if sub.Y[:, j].sum() > 0]
    themes = [sub.themes[j] for j in keep]
    result = held_out(sub.texts, sub.Y[:, keep], themes, TARGET)
    assert result["codes"] >= 300, "too few codes applied to say anything about their precision"
    assert result["share"] >= 0.2, result
    assert result["precision"] >= bound(TARGET, result["codes"]), result
    # the check can tell a bad choice from a good one: applying every code the model leans towards
    # on this real data falls well short of the target
    assert result["loose_precision"] < bound(TARGET, result["codes"]), result
    print(f"public: {result} in {time.process_time() - started:.0f} s CPU")
