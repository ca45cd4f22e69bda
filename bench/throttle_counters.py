"""How fast the shared throttle counters count: the database (SQLite, PostgreSQL) and Redis.

    .venv/bin/python bench/throttle_counters.py [--postgres URL] [--redis URL] [--hits 2000] [--threads 4]

Each run makes a throwaway app, counts `hits` times from `threads` threads into one counter (the
worst case: every request contends for the same row or key) and prints hits per second and
whether the total came out exact. Figures, never asserted: tests/test_throttle_counters.py checks
the behaviour.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# The checkout first: bench/analysis.py would otherwise stand in for the analysis package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from survey_app import create_app  # noqa: E402 - once sys.path holds the checkout
from survey_app.campaigns import throttle  # noqa: E402
from survey_app.config import Config  # noqa: E402
from survey_app.extensions import db  # noqa: E402


def run(label: str, database_url: str, redis_url: str, hits: int, threads: int) -> None:
    app = create_app(Config.for_tests(database_url=database_url, redis_url=redis_url))
    app.config["REDIS_URL"] = redis_url
    with app.app_context():
        db.create_all()
        name = "b-" + throttle.keyed_hash("bench", str(time.time()), length=12)
        throttle.reset(name, 1)

    def work(n: int) -> None:
        with app.app_context():
            for _ in range(n):
                throttle.hit(name, 1)

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(work, [hits // threads] * threads))
    seconds = time.perf_counter() - started
    with app.app_context():
        total = throttle.count(name, 1)
        throttle.reset(name, 1)
        db.engine.dispose()
    print(f"{label:<28} {hits / seconds:8.0f} hits/s   total {total} of {hits // threads * threads}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL to measure too (its tables are created)")
    parser.add_argument("--redis", default="", help="a Redis URL to measure too")
    parser.add_argument("--hits", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        sqlite = f"sqlite:///{folder}/bench.sqlite"
        run("SQLite upsert", sqlite, "", args.hits, args.threads)
        if args.postgres:
            run("PostgreSQL upsert", args.postgres, "", args.hits, args.threads)
        if args.redis:
            run("Redis INCRBY", sqlite, args.redis, args.hits, args.threads)


if __name__ == "__main__":
    main()
