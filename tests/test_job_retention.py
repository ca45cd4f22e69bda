"""Finished jobs are deleted after JOB_KEEP_DAYS (by the worker and by `flask jobs prune`), except the
newest of each kind and subject, which staff pages report and which keeps no arguments."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import func, select

from survey_app.config import Config, ConfigError
from survey_app.extensions import db
from survey_app.jobs import enqueue, latest, queue, run_one
from survey_app.jobs.worker import EXTENSION, work
from survey_app.models import Job


@pytest.fixture
def handlers(app: Flask) -> None:
    def count(_: Flask, n: int) -> str:
        return f"counted {n}"

    def boom(_: Flask, n: int) -> str:
        raise RuntimeError("the handler broke")

    app.extensions[EXTENSION] = {"count": count, "boom": boom}


def _run(app: Flask, kind: str, subject: str, n: int, max_attempts: int = 3) -> int:
    """Queue a job and run it until it is done or has failed for good; its id."""
    job = enqueue(kind, subject, {"n": n}, max_attempts=max_attempts)
    db.session.commit()
    job_id = job.id
    while run_one(app, only=job_id):
        pass
    return job_id


def _jobs() -> dict[int, Job]:
    db.session.expire_all()
    return {job.id: job for job in db.session.scalars(select(Job))}


def _age(job_id: int, days: float) -> None:
    """Make a job look as if it ran `days` ago (retries wait, so failures are aged after they end)."""
    job = db.session.get(Job, job_id)
    assert job is not None and job.finished_at is not None
    job.finished_at = queue.now() - dt.timedelta(days=days)
    db.session.commit()


def test_old_finished_jobs_go_and_the_latest_of_each_subject_stays_without_arguments(
    app: Flask, handlers: None
) -> None:
    old_done = _run(app, "count", "campaign:1", 1)
    newest_done = _run(app, "count", "campaign:1", 2)
    old_failed = _run(app, "boom", "campaign:2", 3, max_attempts=1)
    newest_failed = _run(app, "boom", "campaign:2", 4, max_attempts=1)
    recent = _run(app, "count", "campaign:3", 5)
    newest_recent = _run(app, "count", "campaign:3", 6)
    for job_id in (old_done, newest_done, old_failed, newest_failed):
        _age(job_id, 31)
    _age(recent, 29)
    waiting = enqueue("count", "campaign:4", {"n": 7})
    db.session.commit()
    with app.app_context():
        assert queue.prune(30) == 2  # the older ones of campaigns 1 and 2; a queued job is never touched
    jobs = _jobs()
    assert set(jobs) == {newest_done, newest_failed, recent, newest_recent, waiting.id}
    # The coding page still says how the last retraining went, but its arguments are gone.
    shown = latest("count", "campaign:1")
    assert shown is not None and (shown.id, shown.status, shown.message) == (newest_done, "done", "counted 2")
    assert shown.finished_at is not None and shown.payload == {}
    failed = latest("boom", "campaign:2")
    assert failed is not None and failed.status == "failed" and failed.payload == {}
    # Recent jobs (and the one waiting) keep theirs.
    assert jobs[recent].payload == {"n": 5} and jobs[waiting.id].payload == {"n": 7}


def test_the_worker_prunes_when_it_starts(app: Flask, handlers: None) -> None:
    app.config["JOB_KEEP_DAYS"] = 7
    first, second = _run(app, "count", "campaign:1", 1), _run(app, "count", "campaign:1", 2)
    _age(first, 8)
    _age(second, 8)
    assert work(app, once=True) == 0
    assert set(_jobs()) == {second}


def test_the_nightly_command_prunes_with_the_configured_days(app: Flask, handlers: None) -> None:
    app.config["JOB_KEEP_DAYS"] = 10
    ids = [_run(app, "count", "campaign:1", n) for n in range(4)]
    _age(ids[0], 11)
    _age(ids[1], 5)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["jobs", "prune"])
    assert result.exit_code == 0 and "Deleted 1 finished job(s) older than 10 days" in result.output
    result = runner.invoke(args=["jobs", "prune", "--days", "3"])
    assert result.exit_code == 0 and "Deleted 1 " in result.output
    assert set(_jobs()) == {ids[2], ids[3]}
    assert runner.invoke(args=["jobs", "prune", "--days", "0"]).exit_code != 0
    assert db.session.scalar(select(func.count()).select_from(Job)) == 2


def test_job_keep_days_is_read_and_checked() -> None:
    env = {"COMMUNITY_VOICE_ENV": "testing", "SECRET_KEY": "x" * 40}
    assert Config.from_env({**env, "JOB_KEEP_DAYS": "90"}).job_keep_days == 90
    assert Config.from_env(env).job_keep_days == 30
    with pytest.raises(ConfigError, match="JOB_KEEP_DAYS"):
        Config.from_env({**env, "JOB_KEEP_DAYS": "0"})
