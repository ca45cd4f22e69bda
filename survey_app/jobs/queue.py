"""The job queue in the database: queue, claim, renew, finish, fail, and prune old finished jobs.

Queueing happens in the caller's transaction (the page commits it with the rest of its work). Every
step a worker takes runs in its own short transaction on its own connection, so the handler's work
(which commits or rolls back on its own) never decides whether a job is marked as claimed or done.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update

from survey_app.extensions import db
from survey_app.models.jobs import Job

#: seconds before a failed job is tried again, times the attempts so far
RETRY_SECONDS = 30
#: a job in one of these states will not run again: it may be pruned once old enough
FINISHED = ("done", "failed")

RETRYING = "That did not work. It will be tried again in a moment (attempt {attempt} of {most})."
GAVE_UP = (
    "That did not work after {most} tries, so it has stopped. Try again later; if it keeps failing, "
    "tell your administrator (the server's log says what went wrong)."
)
WORKER_STOPPED = (
    "The server doing this stopped part-way through {most} times, so it has stopped. Try again later; "
    "if it keeps happening, tell your administrator."
)


def now() -> dt.datetime:
    """Now in UTC, as stored (tests replace this to move time)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Claimed:
    """A job a worker now holds: what to run, and the claim token that proves it holds it."""

    id: int
    kind: str
    payload: dict[str, Any]
    attempt: int
    max_attempts: int
    claim: str


def enqueue(kind: str, subject: str, payload: dict[str, Any], max_attempts: int = 3) -> Job:
    """Queue a job in the caller's transaction, or return the one already queued or running for the
    same kind and subject (asking twice does not do the work twice)."""
    waiting = db.session.scalar(
        select(Job)
        .where(Job.kind == kind, Job.subject == subject, Job.status.in_(("queued", "running")))
        .order_by(Job.id.desc())
        .limit(1)
    )
    if waiting is not None:
        return waiting
    job = Job(
        kind=kind,
        subject=subject,
        payload=payload,
        status="queued",
        attempts=0,
        max_attempts=max_attempts,
        run_after=now(),
        queued_at=now(),
        message="",
    )
    db.session.add(job)
    db.session.flush()
    return job


def latest(kind: str, subject: str) -> Job | None:
    """The newest job of this kind about this subject, whatever its status."""
    return db.session.scalar(
        select(Job).where(Job.kind == kind, Job.subject == subject).order_by(Job.id.desc()).limit(1)
    )


def _ready(at: dt.datetime) -> Any:
    return or_(
        and_(Job.status == "queued", Job.run_after <= at),
        and_(Job.status == "running", Job.lease_until < at, Job.attempts < Job.max_attempts),
    )


def claim(lease_seconds: int, only: int | None = None) -> Claimed | None:
    """Take the oldest job that is ready (queued, or running under a worker whose lease ran out)."""
    at = now()
    with db.engine.connect() as connection:
        # Idle workers look often: a read that finds nothing to do writes nothing (SQLite has one writer).
        if connection.scalar(select(Job.id).where(Job.status.in_(("queued", "running"))).limit(1)) is None:
            return None
    with db.engine.begin() as connection:
        # A job whose workers died as often as it may be tried is failed, not started again.
        connection.execute(
            update(Job)
            .where(Job.status == "running", Job.lease_until < at, Job.attempts >= Job.max_attempts)
            .values(status="failed", claim=None, lease_until=None, finished_at=at, message=WORKER_STOPPED)
        )
    for _ in range(5):
        token = secrets.token_hex(16)
        with db.engine.begin() as connection:
            query = select(Job.id).where(_ready(at)).order_by(Job.id).limit(1)
            if only is not None:
                query = query.where(Job.id == only)
            # PostgreSQL: workers skip rows another is claiming; SQLite has no row locks and ignores
            # this, and the conditional UPDATE below lets exactly one worker win.
            job_id = connection.scalar(query.with_for_update(skip_locked=True))
            if job_id is None:
                return None
            won = connection.execute(
                update(Job)
                .where(Job.id == job_id, _ready(at))
                .values(
                    status="running",
                    attempts=Job.attempts + 1,
                    claim=token,
                    lease_until=at + dt.timedelta(seconds=lease_seconds),
                )
            )
            if won.rowcount != 1:
                continue  # another worker took it between the two statements: look again
            row = connection.execute(
                select(Job.kind, Job.payload, Job.attempts, Job.max_attempts).where(Job.id == job_id)
            ).one()
            return Claimed(job_id, row.kind, dict(row.payload or {}), row.attempts, row.max_attempts, token)
    return None


def renew(job: Claimed, lease_seconds: int) -> bool:
    """Say the worker is still alive; False if the job was taken over (the lease had run out)."""
    with db.engine.begin() as connection:
        result = connection.execute(
            update(Job)
            .where(Job.id == job.id, Job.claim == job.claim, Job.status == "running")
            .values(lease_until=now() + dt.timedelta(seconds=lease_seconds))
        )
    return result.rowcount == 1


def finish(job: Claimed, message: str) -> None:
    """The handler succeeded."""
    _close(job, status="done", message=message)


def fail(job: Claimed) -> None:
    """The handler raised: try again a little later, or give up after the last attempt."""
    if job.attempt < job.max_attempts:
        with db.engine.begin() as connection:
            connection.execute(
                update(Job)
                .where(Job.id == job.id, Job.claim == job.claim)
                .values(
                    status="queued",
                    claim=None,
                    lease_until=None,
                    run_after=now() + dt.timedelta(seconds=RETRY_SECONDS * job.attempt),
                    message=RETRYING.format(attempt=job.attempt + 1, most=job.max_attempts),
                )
            )
        return
    _close(job, status="failed", message=GAVE_UP.format(most=job.max_attempts))


def _close(job: Claimed, status: str, message: str) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            update(Job)
            .where(Job.id == job.id, Job.claim == job.claim)
            .values(status=status, claim=None, lease_until=None, finished_at=now(), message=message[:500])
        )


def prune(keep_days: int) -> int:
    """Delete finished jobs that finished more than `keep_days` ago; returns how many.

    The newest job of each kind and subject is kept whatever its age, because staff pages report it
    ("Retraining: done, 3 March"), but its arguments are emptied: nothing else needs them once it
    has finished. Queued and running jobs are never touched.
    """
    if keep_days < 1:
        raise ValueError("keep finished jobs for at least a day")
    cutoff = now() - dt.timedelta(days=keep_days)
    newest = select(func.max(Job.id)).group_by(Job.kind, Job.subject)
    old = and_(Job.status.in_(FINISHED), Job.finished_at < cutoff)
    with db.engine.begin() as connection:
        deleted = connection.execute(delete(Job).where(old, Job.id.not_in(newest))).rowcount
        connection.execute(update(Job).where(old, Job.id.in_(newest)).values(payload={}))
    return int(deleted or 0)
