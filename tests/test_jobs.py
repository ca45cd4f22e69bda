"""Background jobs: queued by one process, claimed exactly once, retried, taken over when a worker dies."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.jobs import enqueue, latest, queue, run_one
from survey_app.jobs.worker import EXTENSION, STOP, init_app, work
from survey_app.models import Job


@pytest.fixture
def ran(app: Flask) -> Counter[int]:
    """Jobs of kind "count" record each run here; "boom" always fails."""
    runs: Counter[int] = Counter()
    lock = threading.Lock()

    def count(_: Flask, n: int) -> str:
        with lock:
            runs[n] += 1
        return f"counted {n}"

    def boom(_: Flask) -> str:
        raise RuntimeError("the handler broke")

    app.extensions[EXTENSION] = {"count": count, "boom": boom}
    return runs


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    """The queue's clock, moved by the test: clock[0] += timedelta(...)."""
    now = [queue.now()]
    monkeypatch.setattr(queue, "now", lambda: now[0])
    return now


def _job(job_id: int) -> Job:
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert job is not None
    return job


def test_a_queued_job_runs_once_and_reports(app: Flask, ran: Counter[int]) -> None:
    job = enqueue("count", "thing:1", {"n": 1})
    assert enqueue("count", "thing:1", {"n": 1}).id == job.id, "asking twice does not queue it twice"
    db.session.commit()
    assert run_one(app) and not run_one(app)
    done = _job(job.id)
    assert (done.status, done.message, done.attempts) == ("done", "counted 1", 1)
    assert ran == Counter({1: 1})
    assert latest("count", "thing:1") is not None


def test_concurrent_workers_run_every_job_exactly_once(app: Flask, ran: Counter[int]) -> None:
    for n in range(12):
        enqueue("count", f"thing:{n}", {"n": n})
    db.session.commit()
    barrier = threading.Barrier(4)

    def worker(_: int) -> int:
        barrier.wait()
        return work(app, once=True)

    with ThreadPoolExecutor(4) as pool:
        assert sum(pool.map(worker, range(4))) == 12
    assert ran == Counter({n: 1 for n in range(12)})
    assert set(db.session.scalars(select(Job.status))) == {"done"}


def test_a_failing_job_is_retried_then_fails_with_a_kind_message(
    app: Flask, ran: Counter[int], clock: list[dt.datetime]
) -> None:
    job = enqueue("boom", "thing:x", {})
    db.session.commit()
    assert run_one(app)
    assert _job(job.id).status == "queued" and "tried again" in _job(job.id).message
    assert not run_one(app), "a retry waits a little first"
    for _ in range(2):
        clock[0] += dt.timedelta(minutes=5)
        assert run_one(app)
    failed = _job(job.id)
    assert failed.status == "failed" and failed.attempts == 3
    assert "did not work after 3 tries" in failed.message and "Traceback" not in failed.message


def test_a_job_whose_worker_died_is_taken_over_after_its_lease(
    app: Flask, ran: Counter[int], clock: list[dt.datetime]
) -> None:
    job = enqueue("count", "thing:7", {"n": 7})
    db.session.commit()
    dead = queue.claim(lease_seconds=60)  # a worker that claims it and then dies
    assert dead is not None and dead.id == job.id
    assert not run_one(app), "while the lease holds, no other worker takes it"
    clock[0] += dt.timedelta(seconds=61)
    assert run_one(app)
    queue.finish(dead, "the dead worker woke up")  # too late: its claim is no longer the job's
    done = _job(job.id)
    assert (done.status, done.message, done.attempts) == ("done", "counted 7", 2)


def test_a_job_whose_workers_keep_dying_is_failed(app: Flask, ran: Counter[int], clock: list[dt.datetime]) -> None:
    job = enqueue("count", "thing:8", {"n": 8}, max_attempts=2)
    db.session.commit()
    for _ in range(2):
        assert queue.claim(lease_seconds=60) is not None
        clock[0] += dt.timedelta(seconds=61)
    assert not run_one(app)
    assert _job(job.id).status == "failed" and "stopped part-way" in _job(job.id).message
    assert not ran


def test_the_worker_command_runs_ready_jobs(app: Flask, ran: Counter[int]) -> None:
    enqueue("count", "thing:9", {"n": 9})
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["jobs", "work", "--once"])
    assert result.exit_code == 0, result.output
    assert "after 1 job(s)" in result.output and ran == Counter({9: 1})


def test_with_jobs_in_web_the_web_process_runs_jobs_itself(app: Flask, ran: Counter[int]) -> None:
    """The single-process demo: no worker service, the page's process runs the job on a thread."""
    app.config["JOBS_IN_WEB"] = True
    init_app(app, app.extensions[EXTENSION])
    job = enqueue("count", "thing:10", {"n": 10})
    db.session.commit()
    assert STOP not in app.extensions, "nothing starts until the process serves a page"
    app.test_client().get("/")
    try:
        for _ in range(100):
            if _job(job.id).status == "done":
                break
            threading.Event().wait(0.1)
        assert _job(job.id).status == "done" and ran == Counter({10: 1})
    finally:
        app.extensions[STOP].set()
