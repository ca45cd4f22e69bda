"""School sessions: a class's code, live counts of pupils finished, closing a session, and the school's own results."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from sqlalchemy import select

from survey_app.campaigns import school
from survey_app.campaigns.codes import display
from survey_app.campaigns.setup import SetupError
from survey_app.extensions import db
from survey_app.models import SchoolSession
from survey_app.models.campaigns import CollectionPoint
from survey_app.models.school_sessions import YEAR_GROUPS
from survey_app.staff.auth import (
    audit,
    collection_point_for_user_or_404,
    role_required,
)
from survey_app.staff.campaigns.forms import CloseSessionForm, SchoolSessionForm
from survey_app.staff.campaigns.school_results import school_results
from survey_app.staff.web import View

ADMIN = "administrator"

#: Who runs school sessions.
SESSION_ROLES = (ADMIN, "school_coordinator")


def _sessions_page(point: CollectionPoint, errors: dict[str, str], form: Any, status: int = 200) -> tuple[str, int]:
    sessions = list(
        db.session.scalars(
            select(SchoolSession)
            .filter_by(collection_point_id=point.id)
            .order_by(SchoolSession.closed_on.is_not(None), SchoolSession.id.desc())
        )
    )
    return render_template(
        "staff/campaigns/sessions.html",
        point=point,
        sessions=sessions,
        errors=errors,
        form=form,
        years=YEAR_GROUPS,
        display=display,
        any_open=any(s.is_open for s in sessions),
    ), status


@role_required(*SESSION_ROLES)
def point_sessions(point_id: int) -> View:
    """A school's class sessions: codes, and live counts of pupils finished against those expected."""
    return _sessions_page(collection_point_for_user_or_404(point_id), {}, {})


@role_required(*SESSION_ROLES)
def point_session_new(point_id: int) -> View:
    """Set up a session for a class and show its code."""
    point = collection_point_for_user_or_404(point_id)
    form = SchoolSessionForm()
    if form.validate_on_submit():
        try:
            created = school.create_session(
                point,
                int(form.year_group.data or ""),
                int(form.expected_pupils.data or ""),
                form.label.data or "",
                easy_read=form.easy_read.data == "yes",
            )
        except SetupError as exc:
            form.add_problem("year_group", str(exc))
        else:
            audit(
                "school_session_created",
                f"collection_point:{point.id}",
                session=created.id,
                year_group=created.year_group,
                expected=created.expected_pupils,
                questionnaire=created.questionnaire_id,
            )
            db.session.commit()
            flash(
                f"Session made. Pupils type the code {display(created.code)} at {url_for('respond.enter_code', _external=True)}.",
                "success",
            )
            return redirect(url_for("staff.point_sessions", point_id=point.id))
    return _sessions_page(point, form.problems(), form.values(), 400)


@role_required(*SESSION_ROLES)
def point_session_close(point_id: int) -> View:
    """Stop new pupils joining a session (anyone part-way through can still send their answers)."""
    point = collection_point_for_user_or_404(point_id)
    form = CloseSessionForm(point)
    if not form.validate_on_submit() or form.session is None:
        return _sessions_page(point, form.problems(), {}, 400)
    found = form.session
    school.close_session(found)
    audit("school_session_closed", f"collection_point:{point.id}", session=found.id, completed=found.completed)
    db.session.commit()
    flash(f"Session {display(found.code)} closed: {found.completed} of {found.expected_pupils} finished.", "success")
    return redirect(url_for("staff.point_sessions", point_id=point.id))


@role_required(*SESSION_ROLES)
def point_results(point_id: int) -> View:
    """The school's headline figures beside the whole campaign's, once enough pupils have taken part."""
    point = collection_point_for_user_or_404(point_id)
    results = school_results(point)
    audit("school_results_viewed", f"collection_point:{point.id}", shown=results.enough)
    db.session.commit()
    return render_template("staff/campaigns/school_results.html", point=point, results=results)


def register(bp: Blueprint) -> None:
    """Add this feature's pages to the staff blueprint."""
    bp.add_url_rule("/points/<int:point_id>/sessions", view_func=point_sessions, methods=["GET"])
    bp.add_url_rule("/points/<int:point_id>/sessions", view_func=point_session_new, methods=["POST"])
    bp.add_url_rule("/points/<int:point_id>/sessions/close", view_func=point_session_close, methods=["POST"])
    bp.add_url_rule("/points/<int:point_id>/results", view_func=point_results, methods=["GET"])
