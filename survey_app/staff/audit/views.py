"""The audit log page (administrators): the partnership's events, newest first, filtered."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from survey_app.staff.audit.events import FILTERS, actions, events_page
from survey_app.staff.auth import role_required, staff_user


@role_required("administrator")
def audit_log() -> str:
    """The partnership's audit log, newest first, filtered by action, person and dates."""
    args = request.args
    page = max(1, args.get("page", 1, type=int) or 1)
    events, more = events_page(staff_user().partnership_id, args, page)
    return render_template(
        "staff/audit.html",
        events=events,
        more=more,
        page=page,
        actions=actions(),
        args=args,
        filters={k: args[k] for k in FILTERS if args.get(k)},
    )


def register(bp: Blueprint) -> None:
    """Add the audit log page to the staff blueprint."""
    bp.add_url_rule("/audit", view_func=audit_log, methods=["GET"])
