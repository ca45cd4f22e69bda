"""Background jobs that any app server may queue and any worker may run, and the coder files they leave.

A job row is the whole truth about a job: every server reads its status from here, so the page that
asked for a retraining can be served by one server, the work done by a worker on another, and the
result shown by a third. Nothing here is about a respondent: jobs name a campaign, never an answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from survey_app.extensions import Base

JOB_STATUSES = ("queued", "running", "done", "failed")


class Job(Base):
    """One piece of background work: queued, claimed by one worker at a time, then done or failed."""

    __tablename__ = "job"
    __table_args__ = (CheckConstraint(f"status IN {JOB_STATUSES!r}", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: what to do, e.g. "coding_retrain" (each kind has one handler, registered by the app factory)
    kind: Mapped[str] = mapped_column(String(40))
    #: what the job is about, for finding its latest run, e.g. "campaign:12"
    subject: Mapped[str] = mapped_column(String(80), index=True)
    #: the handler's arguments (ids only)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: queued, running, done or failed
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    #: how many times a worker has started it
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: after this many starts a job that still fails (or whose workers keep dying) is failed for good
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    #: not started before this time (UTC): a retry waits a little
    run_after: Mapped[dt.datetime] = mapped_column(DateTime)
    #: while running, the worker holds it until this time (UTC) and renews it as it goes; past it, the
    #: worker is presumed dead and another may take the job over
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: random token of the claim in force, so only the worker holding the job can finish it
    claim: Mapped[str | None] = mapped_column(String(32))
    #: when it was asked for, and when it last finished (UTC): staff see how long ago
    queued_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    #: what staff are told: the result, or what went wrong in words (never a traceback)
    message: Mapped[str] = mapped_column(String(500), default="")


class CoderFile(Base):
    """A trained theme coder's saved bytes, where every app server reads them (not one server's disk)."""

    __tablename__ = "coder_file"

    #: the coder_model row it belongs to (one file each)
    coder_model_id: Mapped[int] = mapped_column(ForeignKey("coder_model.id", ondelete="CASCADE"), primary_key=True)
    #: the versions of scikit-learn, numpy, scipy and Python that trained it (also inside `data`):
    #: a server with others refuses the model, and the coding page says so
    library_versions: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    #: SHA-256 of `data`, so a server can cache the loaded model safely
    sha256: Mapped[str] = mapped_column(String(64))
    #: analysis.coding.model_file format: magic line, versions, pickle (loaded only when coding)
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
