"""Active learning on the public set: which review order teaches the theme coder most per answer coded.

    python bench/active_learning.py                      # 3 seeds, 150 -> 750 coded, batches of 100
    python bench/active_learning.py --seeds 5 --jobs 2 --json out.json
    python bench/active_learning.py --quick              # 1 seed, 2 batches: a smoke run

A simulated reviewer starts from a random coded seed, then codes one batch at a time, the batch
chosen by a strategy from the answers nobody has coded; the coder is retrained after every batch and
scored on a fixed held-out set it never sees (micro and macro F1, and the share of held-out answers
coded automatically at 0.90 precision: at the confidence the coder chose from its own training
answers, and, as a ceiling, at the confidence chosen on the held-out answers themselves).

Strategies:
- random: no active learning;
- uncertain: today's queue, most uncertain first (largest 1 - |2p - 1| over themes);
- margin: smallest distance from any theme's probability to that theme's own decision threshold;
- change: expected model change, the sum over themes of 2p(1 - p) (the expected gradient length of
  each theme's logistic loss for a normalised answer);
- rare: uncertainty weighted towards themes with few coded examples (analysis.coding.active);
- uncertain+diverse, rare+diverse: the same, with near-duplicates of answers already in the batch
  (word sets overlapping 70% or more) moved after the batch (`spread_out` below; measured, and left
  out of the review queue since it did not help the rare-theme order).

Data: the pxtextmining framework-v6 CSV (see docs/coding-evaluation.md), beside the checkout in
../shared/eval/pxtextmining/. Faster coder settings than the default (3 internal folds instead of
4, character 2-4-grams instead of 2-5, one process) keep the run to about 12 CPU minutes; every
strategy uses the same settings, so the comparison is fair. Never run as a test.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.coding import active  # noqa: E402
from analysis.coding.automation import confidence_for_precision, point  # noqa: E402
from analysis.coding.dataset import CodedAnswers, load_coded  # noqa: E402
from analysis.coding.engine import ThemeCoder  # noqa: E402
from analysis.coding.learned import CoderSettings  # noqa: E402
from analysis.coding.metrics import averaged_f1  # noqa: E402

DATA = ROOT.parent / "shared" / "eval" / "pxtextmining" / "v6framework_230831.csv"
TEXT = "FFT answer"
THRESHOLD = 0.9
HELD_OUT = 2000
SETTINGS = CoderSettings(folds=3, char_ngrams=(2, 4), n_jobs=1)

#: two answers whose word sets overlap at least this much (Jaccard) count as near-duplicates
NEAR_DUPLICATE = 0.7
_WORD = re.compile(r"\w+", re.UNICODE)

Chooser = Callable[[np.ndarray, np.ndarray, np.ndarray, list[str], int, np.random.Generator], list[int]]


def _by_score(score: np.ndarray) -> list[int]:
    """Indices, highest score first (ties by index, so every run orders them the same)."""
    return [int(i) for i in np.lexsort((np.arange(len(score)), -np.round(score, 12)))]


def spread_out(order: list[int], texts: list[str], head: int) -> list[int]:
    """`order` with near-duplicates of answers already taken moved after the first `head` answers."""
    taken: list[int] = []
    kept: list[frozenset[str]] = []
    deferred: list[int] = []
    for position, i in enumerate(order):
        if len(taken) >= head:
            return taken + deferred + order[position:]
        w = frozenset(_WORD.findall(texts[i].lower()))
        if any((not w and not other) or len(w & other) / max(len(w | other), 1) >= NEAR_DUPLICATE for other in kept):
            deferred.append(i)
            continue
        taken.append(i)
        kept.append(w)
    return taken + deferred


def random_order(P: np.ndarray, thr: np.ndarray, n: np.ndarray, texts: list[str], b: int, rng: Any) -> list[int]:
    return [int(i) for i in rng.permutation(len(P))]


def uncertain(P: np.ndarray, thr: np.ndarray, n: np.ndarray, texts: list[str], b: int, rng: Any) -> list[int]:
    return _by_score(active.uncertainty(P).max(axis=1))


def margin(P: np.ndarray, thr: np.ndarray, n: np.ndarray, texts: list[str], b: int, rng: Any) -> list[int]:
    return _by_score(-np.abs(P - np.minimum(thr, 1.0)).min(axis=1))


def change(P: np.ndarray, thr: np.ndarray, n: np.ndarray, texts: list[str], b: int, rng: Any) -> list[int]:
    return _by_score((2 * P * (1 - P)).sum(axis=1))


def rare(P: np.ndarray, thr: np.ndarray, n: np.ndarray, texts: list[str], b: int, rng: Any) -> list[int]:
    return _by_score(active.weighted_uncertainty(P, n, THRESHOLD).max(axis=1))


def uncertain_diverse(P: np.ndarray, thr: np.ndarray, n: np.ndarray, texts: list[str], b: int, rng: Any) -> list[int]:
    return spread_out(uncertain(P, thr, n, texts, b, rng), texts, head=b)


def rare_diverse(P: np.ndarray, thr: np.ndarray, n: np.ndarray, texts: list[str], b: int, rng: Any) -> list[int]:
    return spread_out(rare(P, thr, n, texts, b, rng), texts, head=b)


STRATEGIES: dict[str, Chooser] = {
    "random": random_order,
    "uncertain": uncertain,
    "margin": margin,
    "change": change,
    "rare": rare,
    "uncertain+diverse": uncertain_diverse,
    "rare+diverse": rare_diverse,
}


def scores(coder: ThemeCoder, test: CodedAnswers) -> dict[str, float]:
    """Held-out micro and macro F1, and the share coded automatically at 0.90 precision."""
    P, D = coder.probabilities(test.texts)
    f1 = averaged_f1(test.Y, D)
    chosen = coder.auto_confidence.get("0.90")
    own = point(P, test.Y, chosen) if chosen is not None else {"share": 0.0, "precision": float("nan")}
    best = confidence_for_precision(P, test.Y, 0.90)
    return {
        "micro": float(f1["micro"][0]),
        "macro": float(f1["macro"][0]),
        "auto": float(own["share"]),
        "auto_precision": float(own["precision"]),
        "auto_ceiling": float(point(P, test.Y, best)["share"]) if best is not None else 0.0,
    }


def simulate(args: tuple[str, int, int, int, int, str]) -> dict[str, Any]:
    """One strategy, one seed: the held-out scores after the seed and after every batch."""
    name, seed, start, batch, stop, data_path = args
    data = load_coded(data_path, TEXT)
    split = np.random.default_rng(12345).permutation(len(data.texts))
    test, pool = data.subset(split[:HELD_OUT]), split[HELD_OUT:]
    rng = np.random.default_rng(seed)
    labelled = [int(i) for i in rng.choice(pool, start, replace=False)]
    cpu = time.process_time()
    rows = []
    while True:
        coder = ThemeCoder(None, data.themes, SETTINGS).fit([data.texts[i] for i in labelled], data.Y[labelled])
        rows.append({"coded": len(labelled), **scores(coder, test)})
        if len(labelled) >= stop:
            break
        taken = set(labelled)
        left = [int(i) for i in pool if i not in taken]
        texts = [data.texts[i] for i in left]
        P, _ = coder.probabilities(texts)
        order = STRATEGIES[name](P, coder.thresholds, data.Y[labelled].sum(axis=0), texts, batch, rng)
        labelled += [left[i] for i in order[:batch]]
    return {"strategy": name, "seed": seed, "rows": rows, "cpu": time.process_time() - cpu}


def summarise(results: list[dict[str, Any]], names: list[str]) -> str:
    lines = []
    coded = [r["coded"] for r in results[0]["rows"]]
    for measure in ("macro", "micro", "auto_ceiling", "auto", "auto_precision"):
        lines.append(f"\n{measure} on {HELD_OUT} held-out answers (mean ± sd over seeds), by answers coded:")
        lines.append(f"  {'strategy':<18}{'runs':>4}" + "".join(f"{c:>13}" for c in coded) + f"{'mean':>13}")
        for name in names:
            runs = np.array([[row[measure] for row in r["rows"]] for r in results if r["strategy"] == name])
            mean, sd = runs.mean(axis=0), runs.std(axis=0)
            area = runs.mean(axis=1)
            cells = "".join(f"{m:>7.3f}±{s:.3f}" for m, s in zip(mean, sd, strict=True))
            lines.append(f"  {name:<18}{len(runs):>3}{cells}{area.mean():>7.3f}±{area.std():.3f}")
    lines.append(
        "\nDifference from random, paired by seed (mean ± sd over seeds), after the last batch / over all batches:"
    )
    base = {
        r["seed"]: np.array([[row[m] for m in ("macro", "micro", "auto_ceiling")] for row in r["rows"]])
        for r in results
        if r["strategy"] == "random"
    }
    for name in names:
        if name == "random" or not base:
            continue
        diffs = [
            np.array([[row[m] for m in ("macro", "micro", "auto_ceiling")] for row in r["rows"]]) - base[r["seed"]]
            for r in results
            if r["strategy"] == name and r["seed"] in base
        ]
        last = np.array([d[-1] for d in diffs])
        mean_all = np.array([d[1:].mean(axis=0) for d in diffs])
        lines.append(
            f"  {name:<18} last: macro {last[:, 0].mean():+.3f}±{last[:, 0].std():.3f}  micro {last[:, 1].mean():+.3f}±{last[:, 1].std():.3f}"
            f"  auto {last[:, 2].mean():+.3f}±{last[:, 2].std():.3f}   all: macro {mean_all[:, 0].mean():+.3f}  micro {mean_all[:, 1].mean():+.3f}  auto {mean_all[:, 2].mean():+.3f}"
        )
    cpu = {name: sum(r["cpu"] for r in results if r["strategy"] == name) for name in names}
    lines.append("\nCPU seconds per strategy (all seeds): " + ", ".join(f"{k} {v:.0f}" for k, v in cpu.items()))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--first-seed", type=int, default=0, help="seeds run are first-seed, first-seed + 1, ...")
    parser.add_argument("--start", type=int, default=150, help="answers coded at random before active learning")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--stop", type=int, default=750)
    parser.add_argument("--strategies", default="random,uncertain,change,rare,uncertain+diverse,rare+diverse")
    parser.add_argument("--jobs", type=int, default=1, help="simulations run at once (each uses one core)")
    parser.add_argument("--json", type=Path, help="write every run's figures here")
    parser.add_argument("--quick", action="store_true", help="1 seed, 2 batches")
    parser.add_argument("--summarise", type=Path, nargs="+", help="print the figures of earlier --json files and stop")
    args = parser.parse_args()
    if args.summarise:
        done = [r for path in args.summarise for r in json.loads(path.read_text())]
        print(summarise(done, list(dict.fromkeys(r["strategy"] for r in done))))
        return
    if not args.data.exists():
        sys.exit(f"no data at {args.data}: see docs/coding-evaluation.md")
    names = args.strategies.split(",")
    seeds, stop = (1, args.start + 2 * args.batch) if args.quick else (args.seeds, args.stop)
    work = [
        (name, seed, args.start, args.batch, stop, str(args.data))
        for seed in range(args.first_seed, args.first_seed + seeds)
        for name in names
    ]
    print(
        f"{len(names)} strategies x {seeds} seeds: {args.start} coded at random, then batches of {args.batch} "
        f"up to {stop}; coder settings {SETTINGS.folds} folds, char {SETTINGS.char_ngrams}; machine shared, "
        "so CPU seconds, not wall-clock time",
        flush=True,
    )
    results = []
    with ProcessPoolExecutor(args.jobs) as pool:
        for result in pool.map(simulate, work):
            last = result["rows"][-1]
            print(
                f"  {result['strategy']:<18} seed {result['seed']}: macro {last['macro']:.3f} micro {last['micro']:.3f} auto@0.90 {last['auto_ceiling']:.3f} ({result['cpu']:.0f} CPU s)",
                flush=True,
            )
            results.append(result)
            if args.json:  # after every run, so a run cut short still leaves its figures
                args.json.write_text(json.dumps(results, indent=1))
    print(summarise(results, names))
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"Total CPU: {children.ru_utime + children.ru_stime:.0f} s")


if __name__ == "__main__":
    main()
