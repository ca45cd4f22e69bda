"""School sessions: a class's code, live counts of pupils finished, closing a session."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
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
    form = request.form
    errors: dict[str, str] = {}
    year, pupils = form.get("year_group", ""), form.get("expected_pupils", "").strip()
    if not year.isdigit() or int(year) not in YEAR_GROUPS:
        errors["year_group"] = "Choose the class's year group."
    if not pupils.isdigit() or int(pupils) < 1:
        errors["expected_pupils"] = "Enter how many pupils you expect, as a number."
    if not errors:
        try:
            created = school.create_session(
                point, int(year), int(pupils), form.get("label", ""), easy_read=form.get("easy_read") == "yes"
            )
        except SetupError as exc:
            errors["year_group"] = str(exc)
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
    return _sessions_page(point, errors, form, 400)


@role_required(*SESSION_ROLES)
def point_session_close(point_id: int) -> View:
    """Stop new pupils joining a session (anyone part-way through can still send their answers)."""
    point = collection_point_for_user_or_404(point_id)
    raw = request.form.get("session_id", "")
    found = db.session.get(SchoolSession, int(raw)) if raw.isdigit() else None
    if found is None or found.collection_point_id != point.id:
        return _sessions_page(point, {"session_id": "Choose a session to close."}, {}, 400)
    school.close_session(found)
    audit("school_session_closed", f"collection_point:{point.id}", session=found.id, completed=found.completed)
    db.session.commit()
    flash(f"Session {display(found.code)} closed: {found.completed} of {found.expected_pupils} finished.", "success")
    return redirect(url_for("staff.point_sessions", point_id=point.id))


def register(bp: Blueprint) -> None:
    """Add this feature's pages to the staff blueprint."""
    bp.add_url_rule("/points/<int:point_id>/sessions", view_func=point_sessions, methods=["GET"])
    bp.add_url_rule("/points/<int:point_id>/sessions", view_func=point_session_new, methods=["POST"])
    bp.add_url_rule("/points/<int:point_id>/sessions/close", view_func=point_session_close, methods=["POST"])
