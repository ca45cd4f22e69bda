"""The append-only audit log of staff actions.

It records who did what to which object and when: sign-ins, user and role changes, exports, report
builds, views of free text, safeguarding actions, refused requests, retention runs. It never records
respondents' answers: details hold ids, counts and names of things, never answer text.
Rows are never updated or deleted: the ORM refuses, for single objects and for bulk statements alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from survey_app.extensions import Base


class AuditEvent(Base):
    """One staff action (or refused attempt)."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: when it happened (UTC); staff actions, not respondents', so the time is kept
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    #: who did it; NULL for the command line or a failed sign-in
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    #: the email they used, kept as text so the record reads the same if the account changes
    actor: Mapped[str] = mapped_column(String(254))
    #: their partnership at the time, so administrators see only their own partnership's log
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnership.id"), index=True)
    #: what happened, e.g. "login", "login_failed", "access_denied", "export", "safeguarding_outcome"
    action: Mapped[str] = mapped_column(String(60), index=True)
    #: what it was done to, e.g. "campaign:3", "user:7", "flag:12"
    target: Mapped[str] = mapped_column(String(120), default="")
    #: more about it: ids, counts, formats, the route refused; never answer text
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper: Any, connection: Any, target: AuditEvent) -> None:
    """The audit log is append-only."""
    raise ValueError("the audit log is append-only: events cannot be changed")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper: Any, connection: Any, target: AuditEvent) -> None:
    """The audit log is append-only."""
    raise ValueError("the audit log is append-only: events cannot be deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state: ORMExecuteState) -> None:
    """Refuse bulk UPDATE and DELETE statements aimed at the audit log."""
    if (
        (state.is_update or state.is_delete)
        and state.bind_mapper is not None
        and state.bind_mapper.class_ is AuditEvent
    ):
        raise ValueError("the audit log is append-only: events cannot be changed or deleted")
