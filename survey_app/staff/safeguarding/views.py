"""The safeguarding queue page and recording an outcome (safeguarding reviewers only)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey_app.extensions import db
from survey_app.staff.auth import audit, flag_for_user_or_404, role_required, staff_user
from survey_app.staff.safeguarding.forms import OutcomeForm
from survey_app.staff.safeguarding.queue import OUTCOME_LABELS, REVIEWER, open_count, queue_items, record_outcome


@role_required(REVIEWER)
def safeguarding_queue() -> str:
    """Flags waiting for review (oldest first), then those reviewed, with their outcomes."""
    user = staff_user()
    show, items = queue_items(user.partnership_id, request.args.get("show", "open"))
    flags = [item["flag"].id for item in items][:100]
    audit("safeguarding_queue_viewed", show=show, items=len(items), flags=flags)
    page = render_template(
        "staff/safeguarding.html",
        items=items,
        show=show,
        outcomes=OUTCOME_LABELS,
        open_count=open_count(user.partnership_id),
    )
    db.session.commit()
    return page


@role_required(REVIEWER)
def safeguarding_outcome(flag_id: str) -> WerkzeugResponse:
    """Record what was done about one flag."""
    flag = flag_for_user_or_404(flag_id)
    form = OutcomeForm()
    if not form.validate_on_submit():
        flash(form.message(), "error")
        return redirect(url_for("staff.safeguarding_queue", _anchor=f"flag-{flag.id}"))
    outcome, note = form.outcome.data or "", form.note.data or ""
    previous = record_outcome(flag, outcome, note)
    # The note may describe the response: the log records that a note was written, not what it says.
    audit("safeguarding_outcome", f"flag:{flag.id}", outcome=outcome, previous=previous, note_written=bool(note))
    db.session.commit()
    flash("Outcome recorded.", "success")
    return redirect(url_for("staff.safeguarding_queue"))


def register(bp: Blueprint) -> None:
    """Add the safeguarding queue to the staff blueprint."""
    bp.add_url_rule("/safeguarding", view_func=safeguarding_queue, methods=["GET"])
    bp.add_url_rule("/safeguarding/<flag_id>/outcome", view_func=safeguarding_outcome, methods=["POST"])
