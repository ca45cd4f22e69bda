"""The staff workspace (/staff): sign-in with two factors, campaigns' dashboards, the safeguarding
queue, users and the audit log, exports, retention.

Staff pages have their own base template, stylesheet and cookie (see sessions.py); access rules are
in auth.py, which other staff pages import.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, g, render_template
from flask_login import current_user

bp = Blueprint("staff", __name__, url_prefix="/staff")


def init_staff(app: Flask) -> None:
    """Attach sign-in, the staff session store, the blueprint and the staff commands to the app."""
    # Each module registers its routes on bp (campaigns: collection points, sessions, paper; coding: review).
    from survey_app.staff import (  # noqa: F401
        campaigns,
        codebook,
        coding,
        coding_agreement,
        quote_bank,
        text_insights,
        views_account,
        views_admin,
        views_data,
        views_safeguarding,
    )
    from survey_app.staff.auth import login_manager
    from survey_app.staff.cli import register_staff_cli
    from survey_app.staff.sessions import StaffSessionInterface

    app.config.setdefault("STAFF_IDLE_MINUTES", 30)
    app.config.setdefault("STAFF_ABSOLUTE_HOURS", 10)
    login_manager.init_app(app)
    app.session_interface = StaffSessionInterface(app.session_interface)
    app.register_blueprint(bp)
    register_staff_cli(app)


@bp.before_request
def _fresh_user() -> None:
    # Load the user from this request's session, never from an app context that outlived an earlier
    # request (as in tests, where one app context spans many requests).
    g.pop("_login_user", None)


@bp.app_context_processor
def _staff_context() -> dict[str, Any]:
    from survey_app.models.staff import ROLE_LABELS

    return {"role_labels": ROLE_LABELS}


@bp.errorhandler(403)
def _forbidden(error: Any) -> tuple[str, int]:
    return render_template(
        "staff/error.html",
        title="You can't use this page",
        message="Your role does not include this page. If you need it, ask an administrator.",
    ), 403


@bp.errorhandler(404)
def _not_found(error: Any) -> tuple[str, int]:
    return render_template(
        "staff/error.html",
        title="Page not found",
        message="There is nothing here, or it belongs to another partnership.",
    ), 404


@bp.app_template_global()
def staff_nav() -> list[tuple[str, str]]:
    """The workspace's main links for the signed-in user's role."""
    if not current_user.is_authenticated:
        return []
    role = current_user.role
    links = [("staff.home", "Campaigns")]
    if role == "safeguarding_reviewer":
        links.append(("staff.safeguarding_queue", "Safeguarding queue"))
    if role == "school_coordinator":
        links.append(("staff.my_points", "My collection points"))
    if role == "administrator":
        links += [("staff.users", "Users"), ("staff.audit_log", "Audit log")]
    links.append(("staff.account", "Your account"))
    return links
