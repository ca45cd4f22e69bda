"""`flask jobs work`: the background-job worker, run as its own service beside the web servers."""

from __future__ import annotations

import signal
import threading
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from survey_app.jobs import queue
from survey_app.jobs.worker import EXTENSION, describe, work

jobs_cli = AppGroup("jobs", help="Run background jobs (retraining the theme coder), and prune finished ones.")


@jobs_cli.command("work")
@click.option("--once", is_flag=True, help="Run the jobs that are ready now, then stop (tests, cron).")
@click.option("--poll", default=2.0, show_default=True, help="Seconds between looks for new jobs.")
def work_command(once: bool, poll: float) -> None:
    """Run queued jobs, one at a time, until stopped (SIGTERM or Ctrl-C finish the current job first)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy hides the real app
    stop = threading.Event()

    def stop_after_this_job(*_: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, stop_after_this_job)
    signal.signal(signal.SIGINT, stop_after_this_job)
    if not once:
        click.echo(f"Job worker started; runs: {describe(app.extensions.get(EXTENSION, {}))}.")
    ran = work(app, stop, poll_seconds=poll, once=once)
    click.echo(f"Job worker stopped after {ran} job(s).")


@jobs_cli.command("prune")
@click.option("--days", type=click.IntRange(min=1), help="Keep finished jobs this many days (default JOB_KEEP_DAYS).")
def prune_command(days: int | None) -> None:
    """Delete finished and failed jobs older than JOB_KEEP_DAYS (run nightly); the newest of each
    kind and subject stays, without its arguments, because staff pages report it."""
    keep = days if days is not None else int(current_app.config.get("JOB_KEEP_DAYS", 30))
    deleted = queue.prune(keep)
    click.echo(f"Deleted {deleted} finished job(s) older than {keep} days.")
