"""How well a coder trained on one organisation's answers codes another's, and what helps a newcomer.

On the public pxtextmining set (two NHS trusts, `Trust` column; see docs/coding-evaluation.md):

1. cross-organisation: train on one trust, code the other, both ways (micro and macro F1, and the
   micro precision and recall the staff page turns into words), pooled over both directions;
2. in-organisation: k-fold cross-validation within each trust, for comparison;
3. a new organisation: one trust plays the newcomer. A fixed pool of its answers plays "the first
   answers its reviewers code"; the rest of its answers are the test set, the same for every row.
   Compared, for N = 50, 100, 200, 500 of its coded answers: the starting model alone (the other
   trust's), the newcomer's N answers alone, and both together (the newcomer's answers counted once,
   or repeated `--weights` times).

    python bench/transfer.py [--data PATH] [--folds 5] [--sizes 50,100,200,500] [--weights 1,3] [--jobs 2]

Figures go in docs/coding-evaluation.md; `analysis.coding.transfer.CROSS_ORGANISATION` holds the pooled
cross-organisation figure the staff page states. Takes tens of minutes on a shared 2-core machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis.coding.dataset import CodedAnswers, load_coded  # noqa: E402
from analysis.coding.engine import ThemeCoder  # noqa: E402
from analysis.coding.evaluate import cross_validate  # noqa: E402
from analysis.coding.learned import CoderSettings  # noqa: E402
from analysis.coding.metrics import averaged_f1  # noqa: E402
from analysis.coding.reviewed import ReviewedAnswers  # noqa: E402
from analysis.coding.transfer import PUBLIC_ORGANISATION, PUBLIC_TEXT, combined, micro_scores  # noqa: E402

DATA = ROOT.parent / "shared" / "eval" / "pxtextmining" / "v6framework_230831.csv"
POOL = 500


def scores(truth: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    """Micro and macro F1, and micro precision and recall."""
    f = averaged_f1(truth, pred)
    p, r, _ = micro_scores(truth, pred)
    return {"micro": float(f["micro"][0]), "macro": float(f["macro"][0]), "precision": p, "recall": r}


def line(label: str, s: dict[str, float], n: int) -> str:
    return (
        f"  {label:<44} micro {s['micro']:.3f}  macro {s['macro']:.3f}  "
        f"(precision {s['precision']:.2f}, recall {s['recall']:.2f}; {n} answers)"
    )


def fit_code(train: CodedAnswers | ReviewedAnswers, test: CodedAnswers, settings: CoderSettings) -> np.ndarray:
    coder = ThemeCoder(None, test.themes, settings).fit(list(train.texts), train.Y)
    return coder.probabilities(test.texts)[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--sizes", default="50,100,200,500")
    parser.add_argument("--weights", default="1,3")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-cv", action="store_true", help="leave out the in-organisation cross-validation")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"benchmark data not found at {args.data}", file=sys.stderr)
        return 1
    sizes = [int(s) for s in args.sizes.split(",")]
    weights = [int(w) for w in args.weights.split(",")]
    settings = CoderSettings(n_jobs=args.jobs)
    data = load_coded(args.data, PUBLIC_TEXT, exclude=(PUBLIC_ORGANISATION,))
    orgs = data.column(PUBLIC_ORGANISATION)
    names = sorted(set(orgs))
    by_org = {o: data.subset([i for i, g in enumerate(orgs) if g == o]) for o in names}
    print(
        f"{len(data.texts)} answers, {len(data.themes)} themes; "
        + ", ".join(f"{o} {len(by_org[o].texts)}" for o in names)
    )
    started = time.perf_counter()

    print("\n1. Cross-organisation: train on one trust, code the other")
    truths, preds = [], []
    for source in names:
        for target in names:
            if target == source:
                continue
            D = fit_code(by_org[source], by_org[target], settings)
            print(line(f"{source} -> {target}", scores(by_org[target].Y, D), len(D)))
            truths.append(by_org[target].Y)
            preds.append(D)
    pooled = scores(np.vstack(truths), np.vstack(preds))
    print(line("pooled, both ways", pooled, sum(len(t) for t in truths)))

    if not args.skip_cv:
        print(f"\n2. In-organisation: {args.folds}-fold cross-validation within each trust")
        for org in names:
            result = cross_validate(by_org[org], folds=args.folds, settings=settings, seed=args.seed)
            print(line(org, scores(by_org[org].Y, result.D), len(result.D)))

    print(
        f"\n3. A new organisation: its first N coded answers (from a pool of {POOL}), tested on the rest of its answers"
    )
    for target in names:
        source = next(o for o in names if o != target)
        order = np.random.default_rng(args.seed).permutation(len(by_org[target].texts))
        pool, test = by_org[target].subset(order[:POOL]), by_org[target].subset(order[POOL:])
        start = by_org[source]
        print(f" newcomer {target} (starting model from {source}, {len(start.texts)} answers; test {len(test.texts)})")
        print(line("starting model alone", scores(test.Y, fit_code(start, test, settings)), len(test.texts)))
        for n in sizes:
            own = pool.subset(range(n))
            print(line(f"N={n}: its own answers alone", scores(test.Y, fit_code(own, test, settings)), len(test.texts)))
            for w in weights:
                union = combined(
                    ReviewedAnswers.unasked(start.texts, start.Y), ReviewedAnswers.unasked(own.texts, own.Y), w
                )
                label = f"N={n}: starting + own" + (f" (own x{w})" if w > 1 else "")
                print(line(label, scores(test.Y, fit_code(union, test, settings)), len(test.texts)))
            sys.stdout.flush()
    # wall time only: the model fits run in joblib's worker processes, which no CPU counter here sees
    print(f"\nwall {time.perf_counter() - started:.0f} s (on a shared machine it says as much about the neighbours)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
