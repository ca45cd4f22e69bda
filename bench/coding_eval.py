"""Theme coder benchmark on the public pxtextmining data, through the same command line analysts use.

    python bench/coding_eval.py                 # everything: 5-fold CV, trust split, timing
    python bench/coding_eval.py --quick         # timing only
    python bench/coding_eval.py --skip-timing   # quality only

Data: NHS patient-feedback comments with human-coded themes (framework v6), from
github.com/The-Strategy-Unit/pxtextmining, MIT licence, (c) 2021 NHS England / the Strategy Unit
(Nottinghamshire Healthcare NHS Foundation Trust). What it is, where to get it and the figures to
compare with: docs/coding-evaluation.md. On a development machine it sits beside the checkout
(../shared/eval/pxtextmining/); elsewhere pass its path with --data.

It prints:
- 5-fold cross-validated micro, macro and sample F1 (with bootstrap 95% intervals) and every other
  trust measure, from `python -m analysis.coding evaluate`;
- training on one trust and testing on the other (`--split-column Trust`), both ways;
- the automation curve: the share of answers the review loop codes without review against the
  precision of those codes, on answers the models never saw, and for each target precision the
  confidence each fold's model chose from its own training answers, checked on its held-out fold;
- the time to train on 10,000 coded answers and to code 100,000 answers (`train` and `code`),
  drawn with replacement from the benchmark's answers;
- the codebook rules' precision on ordinary words (`bench/rules_precision.py`).

The reference on this machine (plain TF-IDF word 1-2 + char 2-5, one-vs-rest logistic regression,
5-fold) is micro 0.70 / macro 0.47 / sample 0.73. Never run as a timed test: it takes minutes.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "eval" / "pxtextmining" / "v6framework_230831.csv"
TEXT = "FFT answer"
#: the answers come from several questions ("What was good?", "How could we improve?"): the coder
#: learns from which one each answered, as the staff workspace does from each answer's question
QUESTION = "FFT question"
REFERENCE = {"micro": 0.70, "macro": 0.47, "samples": 0.73}
STRETCH = {"micro": 0.75, "macro": 0.60}
#: share of answers coded without review at 0.90 precision, checked on held-out answers
AUTOMATION_GOAL = 0.50


CPU_SECONDS: dict[str, float] = {}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args: list[str]) -> tuple[float, str]:
    """Run `python -m analysis.coding ...`; return wall-clock seconds and what it printed.

    The command's CPU time (all its processes) is kept in CPU_SECONDS[first argument]: on a machine
    shared with other work, wall-clock time says as much about the neighbours as about the coder.
    """
    cpu_before = _children_cpu()
    started = time.perf_counter()
    command = [sys.executable, "-m", "analysis.coding", *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, env=env)  # noqa: S603 - our own CLI
    seconds = time.perf_counter() - started
    CPU_SECONDS[args[0]] = _children_cpu() - cpu_before
    if done.returncode != 0:
        sys.exit(f"python -m analysis.coding {' '.join(args)} failed:\n{done.stderr}")
    return seconds, done.stdout


def resample(source: Path, target: Path, n: int, seed: int) -> None:
    """n rows with non-empty text, drawn with replacement (for timing at a given size)."""
    with source.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or [])
        rows = [r for r in reader if (r.get(TEXT) or "").strip()]
    rng = random.Random(seed)  # noqa: S311 - a repeatable sample for timing, not security
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rng.choice(rows) for _ in range(n))


def quality(data: Path, out: Path, bootstrap: int) -> dict:
    """5-fold CV and the trust split, through `evaluate`."""
    cv_json, split_json = out / "cv.json", out / "split.json"
    seconds, text = run(
        [
            "evaluate",
            str(data),
            "--text",
            TEXT,
            "--question",
            QUESTION,
            "--folds",
            "5",
            "--bootstrap",
            str(bootstrap),
            "--json",
            str(cv_json),
        ]
    )
    print(text)
    print(f"(5-fold evaluation took {seconds:.0f} s in all)\n")
    seconds, text = run(
        [
            "evaluate",
            str(data),
            "--text",
            TEXT,
            "--question",
            QUESTION,
            "--split-column",
            "Trust",
            "--bootstrap",
            str(bootstrap),
            "--json",
            str(split_json),
        ]
    )
    print(text)
    print(f"(trust split took {seconds:.0f} s in all)\n")
    return {
        "cv": json.loads(cv_json.read_text(encoding="utf-8")),
        "split": json.loads(split_json.read_text(encoding="utf-8")),
    }


def timing(data: Path, out: Path) -> dict:
    """Train on 10,000 coded answers and code 100,000, through `train` and `code`."""
    train_csv, code_csv, model = out / "train10k.csv", out / "code100k.csv", out / "coder.pkl"
    resample(data, train_csv, 10_000, seed=1)
    resample(data, code_csv, 100_000, seed=2)
    load_before = os.getloadavg()[0]
    train_wall, text = run(["train", str(train_csv), "--text", TEXT, "--question", QUESTION, "--model", str(model)])
    train_cpu = CPU_SECONDS["train"]
    train_engine = float(text.split("trained in ")[1].split(" s")[0])
    code_wall, text = run(
        [
            "code",
            str(code_csv),
            "--text",
            TEXT,
            "--question",
            QUESTION,
            "--model",
            str(model),
            "--out",
            str(out / "coded100k.csv"),
        ]
    )
    code_engine = float(text.split(" answers in ")[1].split(" s")[0])
    return {
        "train_10k_engine_s": train_engine,
        "train_10k_command_s": train_wall,
        "train_10k_cpu_s": train_cpu,
        "code_100k_engine_s": code_engine,
        "code_100k_command_s": code_wall,
        "code_100k_cpu_s": CPU_SECONDS["code"],
        "load_average_before": load_before,
        "load_average_after": os.getloadavg()[0],
    }


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA, help="the pxtextmining CSV (see docs/coding-evaluation.md)")
    parser.add_argument("--quick", action="store_true", help="timing only")
    parser.add_argument("--skip-timing", action="store_true")
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--json", type=Path, help="write every figure here too")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"benchmark data not found at {args.data}", file=sys.stderr)
        return 1
    print(f"Theme coder benchmark: {args.data.name} (pxtextmining, NHS England / the Strategy Unit, MIT)")
    print(f"machine: {os.cpu_count()} cores\n")
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        if not args.quick:
            results.update(quality(args.data, out, args.bootstrap))
        if not args.skip_timing:
            results["timing"] = timing(args.data, out)
    print("=" * 78)
    print("Summary")
    if "cv" in results:
        avg = results["cv"]["cross_validation"]["averages"]
        print(
            "  5-fold CV       "
            + "  ".join(
                f"{k} {avg[k]['f1']:.3f} [{avg[k]['low']:.3f}-{avg[k]['high']:.3f}]"
                for k in ("micro", "macro", "samples")
            )
        )
        print(
            "  reference       "
            + "  ".join(f"{k} {v:.2f}" for k, v in REFERENCE.items())
            + "   (TF-IDF + OvR logistic regression)"
        )
        print("  stretch goal    " + "  ".join(f"{k} {v:.2f}" for k, v in STRETCH.items()))
        auto = results["cv"]["cross_validation"].get("auto_apply", {})
        for row in auto.get("curve", [])[::10]:
            print(
                f"  auto-apply at confidence {row['confidence']:.2f}: {row['share']:.1%} of answers coded "
                f"automatically, precision {row['precision']:.3f} (out of fold)"
            )
        for target, row in auto.get("held_out", {}).items():
            print(
                f"  target precision {target}: {row['share']:.1%} coded automatically, precision on held-out "
                f"answers {row['precision']:.3f} (goal at 0.90: at least {AUTOMATION_GOAL:.0%})"
            )
        for group, split in results["split"]["splits"].items():
            a = split["averages"]
            print(
                f"  train {group:<5} -> test other ({split['test_answers']} answers): "
                + "  ".join(f"{k} {a[k]['f1']:.3f}" for k in ("micro", "macro", "samples"))
            )
    if "timing" in results:
        t = results["timing"]
        print(
            f"  train on 10,000 answers: {t['train_10k_engine_s']:.1f} s (whole command {t['train_10k_command_s']:.1f} s,"
            f" CPU {t['train_10k_cpu_s']:.1f} s; target < 60 s)"
        )
        print(
            f"  code 100,000 answers:    {t['code_100k_engine_s']:.1f} s (whole command with CSV in/out "
            f"{t['code_100k_command_s']:.1f} s, CPU {t['code_100k_cpu_s']:.1f} s; target < 30 s)"
        )
        print(
            f"  load average on this {os.cpu_count()}-core machine: {t['load_average_before']:.1f} before, "
            f"{t['load_average_after']:.1f} after (above {os.cpu_count()} means other work was competing)"
        )
    if not args.quick:
        # The codebook's rules (the cold-start coder) on ordinary words: see bench/rules_precision.py.
        from rules_precision import measure  # beside this file; python puts bench/ first on the path

        rules = measure(args.data)
        results["rules"] = {"precision": rules.precision, "off_topic_per_1000": rules.off_topic_per_1000}
        print("\n".join("  " + line for line in rules.lines()))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=float), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
