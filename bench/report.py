"""Benchmark: build a findings report and every format for N synthetic responses.

    python bench/report.py                      # N = 10k and 100k
    python bench/report.py --sizes 10000        # choose
    python bench/report.py --keep /tmp/bench    # keep (and reuse) the generated databases

Each database is made by `bench/analysis.py`'s builder (the app's schema, the shipped
questionnaires, plausible random answers, a free-text answer from a quarter of those who reach a
text question), plus theme codes on those answers so the themes, quotes and priorities sections have
work to do. Then, in a fresh process (so imports and the chart cache start cold, as in a worker),
it times: loading the answers, loading the coded free text, building the report model, and
rendering each format. The goal on a 2-core machine: every format for 100k responses in under 30 s.
The CPU line is the process's own CPU time per step; on a shared machine wall time also counts
waiting for a core, so on a busy machine the CPU line is the fairer figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FORMATS = ("html", "pdf", "docx", "xlsx", "pptx")
THEMES = ("police", "youth_provision", "knives_weapons", "social_media", "drugs_alcohol", "gangs_exploitation")
SENTENCES = (
    "the police never come round here and people get robbed near the shops at night",
    "we need a youth club that stays open later so there is something to do after school",
    "people carry knives because they are scared and think they need to protect themselves",
    "fights get filmed and put on social media and then it all kicks off again the next day",
    "there are people dealing drugs in the park and nobody does anything about it",
    "older lads get younger kids to run things for them and pay them in trainers and cash",
)


def _analysis_bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_analysis", Path(__file__).with_name("analysis.py"))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(path: Path, n: int) -> None:
    """The analysis benchmark's database, with the free text rewritten and coded with themes."""
    _analysis_bench().build(path, n)
    db = sqlite3.connect(path)
    rng = random.Random(n)  # noqa: S311 - repeatable synthetic data
    db.execute(
        "INSERT INTO codebook_version (id, campaign_id, name, version, content_hash, content, created_on) "
        "VALUES (1, NULL, 'violence-reduction', 1, 'bench', ?, ?)",
        (json.dumps(_codebook()), dt.date(2026, 11, 1).isoformat()),
    )
    rows = db.execute("SELECT response_id, question_key FROM answer WHERE text IS NOT NULL").fetchall()
    texts, codes = [], []
    for rid, key in rows:
        picked = rng.sample(range(len(THEMES)), rng.choice((1, 1, 2)))
        texts.append((" and ".join(SENTENCES[i] for i in picked), rid, key))
        codes += [(rid, key, THEMES[i], round(rng.uniform(0.6, 1.0), 2)) for i in picked]
    db.executemany("UPDATE answer SET text = ? WHERE response_id = ? AND question_key = ?", texts)
    db.executemany(
        "INSERT INTO theme_code (response_id, question_key, theme_key, codebook_version_id, source, confidence, "
        "status, evidence) VALUES (?, ?, ?, 1, 'model', ?, 'applied', '[]')",
        codes,
    )
    db.commit()
    db.close()


def _codebook() -> dict:
    from analysis.coding.codebook import load_codebook

    return load_codebook().to_dict()


def run(path: Path) -> dict:
    """Time each step (in a fresh process: reports its own CPU time and peak memory)."""
    from analysis.load import load_campaign
    from analysis.report.build import ReportData, ReportSpec, build_report
    from analysis.report.render import render
    from analysis.report.text_load import load_text

    url = f"sqlite:///{path}"
    times: dict[str, float] = {}
    cpu: dict[str, float] = {}
    started, started_cpu = time.perf_counter(), time.process_time()

    def step(name: str, mark: tuple[float, float]) -> tuple[float, float]:
        now = (time.perf_counter(), time.process_time())
        times[name], cpu[name] = now[0] - mark[0], now[1] - mark[1]
        return now

    mark = (started, started_cpu)
    data = load_campaign(url, "bench-campaign")
    mark = step("load", mark)
    text = load_text(url, data)
    mark = step("text", mark)
    report = build_report(
        ReportData(data, None, text.records, text.population, text.redactor, text.theme_labels),
        ReportSpec(data_date="2026-11-01"),
    )
    mark = step("model", mark)
    sizes = {}
    for fmt in FORMATS:
        sizes[fmt] = len(render(report, fmt))
        mark = step(fmt, mark)
    times["total"], cpu["total"] = time.perf_counter() - started, time.process_time() - started_cpu
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "responses": data.n,
        "text_answers": len(text.records),
        "charts": len(report.charts()),
        "times": times,
        "cpu": cpu,
        "kb": {fmt: size // 1024 for fmt, size in sizes.items()},
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the generated databases in")
    parser.add_argument("--run", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run(args.run)))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-report-"))
    folder.mkdir(parents=True, exist_ok=True)
    steps = ("load", "text", "model", *FORMATS)
    print("Wall seconds per step, then the same steps' CPU seconds (this process only).")
    print(
        f"{'responses':>10} {'texts':>7} {'charts':>6} {'':>5}"
        + " ".join(f"{s:>7}" for s in steps)
        + f" {'total':>7} {'peak MB':>8}  load average"
    )
    for n in args.sizes:
        path = folder / f"bench-report-{n}.sqlite"
        if not path.exists():
            build(path, n)
        out = subprocess.run(  # noqa: S603 - our own script
            [sys.executable, __file__, "--run", str(path)], check=True, capture_output=True, text=True
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        for kind in ("times", "cpu"):
            t = r[kind]
            head = f"{r['responses']:>10,} {r['text_answers']:>7,} {r['charts']:>6}" if kind == "times" else " " * 25
            print(
                f"{head} {'wall' if kind == 'times' else 'CPU':>5}"
                + " ".join(f"{t[s]:>7.1f}" for s in steps)
                + f" {t['total']:>7.1f}"
                + (f" {r['peak_mb']:>8.0f}  {os.getloadavg()[0]:.1f}" if kind == "times" else ""),
                flush=True,
            )
        if not args.keep:
            path.unlink()


if __name__ == "__main__":
    main()
