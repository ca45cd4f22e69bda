"""Reading the audit log: one partnership's events, filtered and a page at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models.audit import AuditEvent

PAGE_SIZE = 100
#: The filters the audit page offers.
FILTERS = ("action", "actor", "from", "to")


def events_page(partnership_id: int, filters: Mapping[str, str], page: int) -> tuple[list[AuditEvent], bool]:
    """One page of the partnership's events, newest first, and whether there are more."""
    query = select(AuditEvent).where(AuditEvent.partnership_id == partnership_id)
    if filters.get("action"):
        query = query.where(AuditEvent.action == filters["action"])
    if filters.get("actor"):
        query = query.where(AuditEvent.actor.contains(filters["actor"].strip().lower()))
    for name, op in (("from", "ge"), ("to", "lt")):
        try:
            day = dt.date.fromisoformat(filters.get(name, ""))
        except ValueError:
            continue
        bound = dt.datetime.combine(day + dt.timedelta(days=1 if op == "lt" else 0), dt.time())
        query = query.where(AuditEvent.occurred_at >= bound if op == "ge" else AuditEvent.occurred_at < bound)
    events = db.session.scalars(
        query.order_by(AuditEvent.id.desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)
    ).all()
    return list(events[:PAGE_SIZE]), len(events) > PAGE_SIZE


def actions() -> list[str]:
    """Every kind of event recorded so far, for the filter."""
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
