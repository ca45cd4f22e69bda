"""Running jobs: one at a time per worker, with a lease renewed while the handler works.

`flask jobs work` runs a worker as its own service (production: one or more, on any server). With
`JOBS_IN_WEB` (on in development) the web process runs one on a thread too, so the single-process
demo retrains without a separate service. A worker also deletes finished jobs older than
`JOB_KEEP_DAYS` when it starts and every `PRUNE_EVERY_SECONDS` after (`queue.prune`; the nightly
`flask jobs prune` does the same where no worker runs for long).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask

from survey_app.extensions import db
from survey_app.jobs import queue

log = logging.getLogger(__name__)

#: a handler does the work in its own transaction (committing it) and returns a message for staff
Handler = Callable[..., str]
EXTENSION = "community_voice_jobs"
#: the stop event of this process's in-web worker thread, once started
STOP = "community_voice_jobs_stop"
#: how often a running worker deletes old finished jobs
PRUNE_EVERY_SECONDS = 3600


def init_app(app: Flask, handlers: Mapping[str, Handler]) -> None:
    """Give the app its job handlers. With JOBS_IN_WEB, each process that serves pages also runs a
    worker thread, started by its first request (so `flask db upgrade` and other commands never
    start one, and each gunicorn worker starts its own after the fork; claims are atomic, so several
    threads and services can share one queue)."""
    app.extensions[EXTENSION] = dict(handlers)
    if not app.config.get("JOBS_IN_WEB"):
        return
    started: set[int] = set()
    lock = threading.Lock()

    def start_worker_thread() -> None:
        if os.getpid() in started:
            return
        with lock:
            if os.getpid() not in started:
                started.add(os.getpid())
                app.extensions[STOP] = start_thread(app)

    app.before_request(start_worker_thread)


def start_thread(app: Flask, poll_seconds: float = 2.0) -> threading.Event:
    """A daemon thread that works through jobs until the returned event is set."""
    stop = threading.Event()
    thread = threading.Thread(target=work, args=(app, stop, poll_seconds), daemon=True, name="community-voice-jobs")
    thread.start()
    return stop


def work(app: Flask, stop: threading.Event | None = None, poll_seconds: float = 2.0, once: bool = False) -> int:
    """Run jobs until stopped (or, with `once`, until none is ready). Returns how many ran."""
    stop = stop or threading.Event()
    ran = 0
    next_prune = time.monotonic()
    while not stop.is_set():
        if time.monotonic() >= next_prune:
            next_prune = time.monotonic() + PRUNE_EVERY_SECONDS
            prune(app)
        try:
            did = run_one(app)
        except Exception:  # noqa: BLE001 - a worker must outlive a database hiccup; it tries again
            log.exception("the job worker could not reach the database; trying again shortly")
            did = False
        ran += int(did)
        if once and not did:
            break
        if not did:
            stop.wait(poll_seconds)
    return ran


def prune(app: Flask, keep_days: int | None = None) -> int:
    """Delete finished jobs older than `keep_days` (default JOB_KEEP_DAYS); how many were deleted.
    A failure is logged, never raised: pruning must not stop a worker from running jobs."""
    days = int(keep_days if keep_days is not None else app.config.get("JOB_KEEP_DAYS", 30))
    try:
        with app.app_context():
            deleted = queue.prune(days)
    except Exception:  # noqa: BLE001 - the next prune tries again
        log.exception("could not delete old finished jobs")
        return 0
    if deleted:
        log.info("deleted %s finished job(s) older than %s days", deleted, days)
    return deleted


def run_one(app: Flask, only: int | None = None) -> bool:
    """Claim one ready job (or the job `only`) and run it. Returns whether a job ran."""
    lease = int(app.config.get("JOB_LEASE_SECONDS", 600))
    with app.app_context():
        job = queue.claim(lease, only=only)
        if job is None:
            return False
        handler = app.extensions.get(EXTENSION, {}).get(job.kind)
        stop_renewing = _keep_lease(app, job, lease)
        try:
            if handler is None:
                raise LookupError(f"no handler for jobs of kind {job.kind!r}")
            message = handler(app, **job.payload)
        except Exception:  # noqa: BLE001 - any failure is recorded on the job, and logged
            db.session.rollback()
            log.exception("job %s (%s) failed on attempt %s", job.id, job.kind, job.attempt)
            queue.fail(job)
        else:
            queue.finish(job, message)
        finally:
            stop_renewing.set()
            db.session.remove()
    return True


def _keep_lease(app: Flask, job: queue.Claimed, lease: int) -> threading.Event:
    """Renew the job's lease every third of its length while the handler runs."""
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(lease / 3):
            try:
                with app.app_context():
                    if not queue.renew(job, lease):
                        return
            except Exception:  # noqa: BLE001 - the next renewal tries again; the lease is long
                log.warning("could not renew the lease of job %s", job.id)

    threading.Thread(target=renew, daemon=True, name=f"job-{job.id}-lease").start()
    return stop


def describe(handlers: Mapping[str, Any]) -> str:
    """The kinds of job this app can run, for the worker's start-up line."""
    return ", ".join(sorted(handlers)) or "none"
