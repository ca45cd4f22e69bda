"""The shared throttle counters: atomic under real concurrency, in the database and in Redis."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from sqlalchemy import select

from survey_app.campaigns import throttle
from survey_app.extensions import db
from survey_app.models import CodeThrottle

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/2")


def redis_reachable(url: str = REDIS_URL) -> bool:
    """Whether a Redis server answers at the test URL."""
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except Exception:  # noqa: BLE001 - anything at all means: not reachable
        return False


requires_redis = pytest.mark.skipif(
    not redis_reachable(), reason=f"Redis not reachable at {REDIS_URL} (set TEST_REDIS_URL to run these)"
)


def _hammer(app: Flask, name: str, threads: int = 6, each: int = 20) -> list[int]:
    barrier = threading.Barrier(threads)

    def run(_: int) -> list[int]:
        with app.app_context():
            barrier.wait()
            return [throttle.hit(name, 1000) for _ in range(each)]

    with ThreadPoolExecutor(threads) as pool:
        return [total for batch in pool.map(run, range(threads)) for total in batch]


def test_concurrent_hits_in_the_database_are_never_lost_or_shared(app: Flask) -> None:
    totals = _hammer(app, "t-database")
    assert sorted(totals) == list(range(1, 121)), "each hit saw its own total: none lost, none seen twice"
    assert throttle.count("t-database", 1000) == 120


@requires_redis
def test_concurrent_hits_in_redis_are_never_lost_or_shared(app: Flask) -> None:
    app.config["REDIS_URL"] = REDIS_URL
    name = "t-" + throttle.keyed_hash("redis-test", length=12)
    totals = _hammer(app, name)
    assert sorted(totals) == list(range(1, 121))
    assert throttle.count(name, 1000) == 120
    assert db.session.scalar(select(CodeThrottle).filter_by(bucket=name)) is None, "counted in Redis, not the table"
    throttle.reset(name, 1000)
    assert throttle.count(name, 1000) == 0


def test_without_redis_a_counter_falls_back_to_the_database(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    assert [throttle.hit("t-fallback", 7) for _ in range(3)] == [1, 2, 3]
    app.config["REDIS_URL"] = ""
    assert throttle.count("t-fallback", 7) == 3
    assert "counting in the database instead" in caplog.text


def test_old_windows_are_swept_as_new_ones_start(app: Flask) -> None:
    throttle.hit("t-old", 10)
    throttle.hit("t-new", 10 + throttle.KEEP_HOURS + 1)
    assert db.session.scalar(select(CodeThrottle).filter_by(bucket="t-old")) is None


def test_counter_names_hold_nothing_in_clear(app: Flask) -> None:
    bucket = throttle.bucket_for("resume", "rainbow")
    assert "rainbow" not in bucket and len(bucket) <= 24
    assert throttle.keyed_hash("login-pair", "someone@example.org", "203.0.113.5") != throttle.keyed_hash(
        "login-pair", "someone@example.org", "203.0.113.6"
    )


def test_a_count_during_a_request_that_already_wrote_never_waits_on_itself(app: Flask) -> None:
    """On SQLite the request may hold the one write lock (e.g. recovery codes made at first sign-in):
    a counter then joins its transaction instead of waiting for a lock it holds itself."""
    db.session.add(CodeThrottle(bucket="t-request", window=5, failures=1))
    db.session.flush()  # the request has written: on SQLite it holds the write lock now
    assert throttle.hit("t-counter", 5) == 1
    assert throttle.hit("t-counter", 5) == 2
    throttle.reset("t-counter", 5)
    assert throttle.hit("t-other", 5) == 1
    db.session.commit()
    assert [throttle.count(name, 5) for name in ("t-request", "t-counter", "t-other")] == [1, 0, 1]
