"""Benchmark: load N synthetic responses and run a full set of findings, with time and peak memory.

    python bench/analysis.py                      # N = 10k, 100k and 500k
    python bench/analysis.py --sizes 10000 50000  # choose
    python bench/analysis.py --keep /tmp/bench    # keep (and reuse) the generated databases

For each N it builds a fresh SQLite database with the app's schema and the shipped questionnaires
(fast bulk inserts, not timed), then times, in a fresh process so that peak memory is its own:
loading the campaign, and findings for every question plus breakdowns by audience, age band,
gender and area, with and without weighting. The goal on a 2-core machine: 500k responses in under
60 s and under 2 GB. "CPU s" is the process's own CPU time: on a shared machine (see the load
average) wall time also counts the time spent waiting for a core.
"""

from __future__ import annotations

import argparse
import datetime as dt
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

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.findings import full_report  # noqa: E402 - once sys.path holds the checkout
from analysis.load import load_campaign  # noqa: E402

SLUG = "bench-campaign"
SHARES = {"children": 0.25, "young_people": 0.45, "young_adults": 0.10, "parents_carers": 0.15, "professionals": 0.05}
POINTS = 12
BLOCK = 20_000


def build(path: Path, n: int, seed: int = 1) -> int:
    """Make a SQLite database at `path` with n synthetic responses; return the number of answer rows."""
    # Imported here, not at the top: `analyse` runs this file again in a fresh process to measure its
    # peak memory, and the app's models (Flask, SQLAlchemy ORM) must not count towards it.
    from sqlalchemy import create_engine, insert

    from questionnaires.loader import content_hash, questionnaire_files, validate_paths
    from questionnaires.model import Questionnaire
    from survey_app.extensions import Base
    from survey_app.models import Campaign, CollectionPoint, QuestionnaireVersion

    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    definitions, problems = validate_paths(questionnaire_files(ROOT / "questionnaires"))
    assert not problems, problems
    today = dt.date(2026, 11, 1)
    plans = []
    # The small tables go through the app's own tables, so column defaults the app adds are filled in.
    with engine.begin() as conn:
        conn.execute(
            insert(Campaign),
            [
                {
                    "id": 1,
                    "slug": SLUG,
                    "name": "Benchmark campaign",
                    "description": "",
                    "opens_on": dt.date(2026, 9, 1),
                    "closes_on": dt.date(2027, 3, 31),
                }
            ],
        )
        conn.execute(
            insert(CollectionPoint),
            [
                {"id": i + 1, "campaign_id": 1, "name": f"Point {i + 1}", "kind": "school", "code": f"P{i:05d}"}
                for i in range(POINTS)
            ],
        )
        for vid, definition in enumerate(definitions.values(), 1):
            conn.execute(
                insert(QuestionnaireVersion),
                [
                    {
                        "id": vid,
                        "questionnaire_id": definition["id"],
                        "version": 1,
                        "content_hash": content_hash(definition),
                        "audience": definition["audience"],
                        "title": definition["title"],
                        "definition": definition,
                        "source_text": "",
                        "loaded_on": today,
                    }
                ],
            )
            plans.append((vid, Questionnaire.from_dict(definition)))
    engine.dispose()
    db = sqlite3.connect(path)
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-400000;")

    rng = np.random.default_rng(seed)
    py_rng = random.Random(seed)  # noqa: S311 - synthetic ids need repeatability, not secrecy
    ids = sorted(f"{py_rng.getrandbits(128):032x}" for _ in range(n))  # sorted: the PK index only appends
    shares = np.array([SHARES.get(q.audience, 0.05) for _, q in plans])
    which = np.sort(rng.choice(len(plans), size=n, p=shares / shares.sum()))
    answer_rows = 0
    for start in range(0, n, BLOCK):
        block = np.arange(start, min(n, start + BLOCK))
        responses = [
            (ids[i], plans[which[i]][0], plans[which[i]][1].audience, 1 + i % POINTS, today.isoformat(), ids[i])
            for i in block.tolist()
        ]
        db.executemany(
            "INSERT INTO response (id, questionnaire_version_id, audience, language, campaign_id, "
            "collection_point_id, completion, submitted_on, idempotency_key) "
            "VALUES (?, ?, ?, 'en', 1, ?, 'complete', ?, ?)",
            responses,
        )
        rows: list[tuple] = []
        for p, (_, questionnaire) in enumerate(plans):
            members = block[which[block] == p]
            if members.size:
                rows += _answers(rng, questionnaire, members, ids)
        rows.sort(key=lambda r: (r[0], r[1], r[2]))
        db.executemany(
            "INSERT INTO answer (response_id, question_key, position, measure, value, rank, text, number) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        answer_rows += len(rows)
    db.commit()
    db.close()
    return answer_rows


def _answers(rng: np.random.Generator, questionnaire, members: np.ndarray, ids: list[str]) -> list[tuple]:  # type: ignore[no-untyped-def]
    """Random but plausible answers (skewed option shares; follow-ups answered by a third)."""
    rows: list[tuple] = []
    size = members.size
    for q in questionnaire.questions():
        answer_rate = 0.35 if q.show_if is not None else 0.93
        answered = members[rng.random(size) < answer_rate]
        if not answered.size:
            continue
        rids = [ids[i] for i in answered.tolist()]
        values = [o.value for o in q.options]
        if q.is_text:
            rows += [(r, q.key, 0, q.measure, None, None, "Some words about this.", None) for r in rids[::4]]
        elif q.type == "number":
            numbers = rng.integers(q.min or 0, (q.max or 20) + 1, answered.size).tolist()
            rows += [(r, q.key, 0, q.measure, None, None, None, x) for r, x in zip(rids, numbers, strict=True)]
        elif q.type == "multiple_choice":
            real = [j for j, o in enumerate(q.options) if not o.exclusive]
            ticks = rng.random((answered.size, len(real))) < rng.uniform(0.05, 0.5, len(real))
            for r, row in zip(rids, ticks, strict=True):
                chosen = [values[real[j]] for j in np.flatnonzero(row)] or [values[real[0]]]
                rows += [(r, q.key, pos, q.measure, v, None, None, None) for pos, v in enumerate(chosen)]
        elif q.type == "ranking":
            k = min(q.max_rank or 3, len(values))
            order = np.argsort(rng.random((answered.size, len(values))) * np.arange(1, len(values) + 1), axis=1)[:, :k]
            for r, picks in zip(rids, order.tolist(), strict=True):
                rows += [(r, q.key, pos, q.measure, values[j], pos + 1, None, None) for pos, j in enumerate(picks)]
        else:
            shares = rng.dirichlet(np.ones(len(values)) * 2)
            codes = rng.choice(len(values), size=answered.size, p=shares).tolist()
            rows += [(r, q.key, 0, q.measure, values[c], None, None, None) for r, c in zip(rids, codes, strict=True)]
    return rows


def analyse(path: Path) -> dict:
    """Time loading and a full set of findings (run in a fresh process; reports its own peak memory)."""
    started = time.perf_counter()
    data = load_campaign(f"sqlite:///{path}", SLUG)
    loaded = time.perf_counter()
    report = full_report(data, by=("audience", "age_band", "gender", "area"), weight=False)
    unweighted = time.perf_counter()
    weighted = full_report(data, by=("age_band",), weight=True)
    done = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "responses": data.n,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "load_s": loaded - started,
        "findings_s": unweighted - loaded,
        "weighted_s": done - unweighted,
        "total_s": done - started,
        "findings": len(report) + len(weighted),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 500_000])
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the generated databases in")
    parser.add_argument("--analyse", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.analyse:
        print(json.dumps(analyse(args.analyse)))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-analysis-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(
        f"{'responses':>10} {'answers':>11} {'build s':>8} {'load s':>7} {'findings s':>10} "
        f"{'weighted s':>10} {'total s':>8} {'CPU s':>7} {'findings':>8} {'peak MB':>8}  load average"
    )
    for n in args.sizes:
        path = folder / f"bench-{n}.sqlite"
        started = time.perf_counter()
        if not path.exists():
            answers = build(path, n)
        else:
            with sqlite3.connect(path) as db:
                answers = db.execute("SELECT count(*) FROM answer").fetchone()[0]
        built = time.perf_counter() - started
        out = subprocess.run(  # noqa: S603 - our own script
            [sys.executable, __file__, "--analyse", str(path)],
            check=True,
            capture_output=True,
            text=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{n:>10,} {answers:>11,} {built:>8.1f} {r['load_s']:>7.1f} {r['findings_s']:>10.1f} "
            f"{r['weighted_s']:>10.1f} {r['total_s']:>8.1f} {r['cpu_s']:>7.1f} {r['findings']:>8} {r['peak_mb']:>8.0f}"
            f"  {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        if not args.keep:
            path.unlink()


if __name__ == "__main__":
    main()
