"""Background jobs any app server can queue and any worker can run (`flask jobs work`).

The `job` table is the queue and the record: a page queues a job in its own transaction, a worker
claims it atomically (FOR UPDATE SKIP LOCKED on PostgreSQL, a conditional UPDATE on SQLite), runs
its handler, and writes done or failed with a message for staff. A claim is a lease the worker
renews while it works; a job whose worker died is taken over once its lease runs out, until it has
been tried `max_attempts` times. The handlers (kind -> function) are given by the app factory, so
this package depends on nothing above it.
"""

from __future__ import annotations

from survey_app.jobs.queue import enqueue, latest
from survey_app.jobs.worker import init_app, run_one

__all__ = ["enqueue", "init_app", "latest", "run_one"]
