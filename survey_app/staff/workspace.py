"""The staff surface, assembled explicitly: one blueprint with each feature's pages, sign-in and the
staff session store, and the staff command groups.

The app factory calls these three:

    init_sign_in(app)                          # login manager and the staff session store
    app.register_blueprint(staff_blueprint())  # every staff page, under /staff
    for group in CLI_GROUPS: app.cli.add_command(group)
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, g, render_template
from flask.cli import AppGroup
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from analysis.disclosure.policy import NO_PERCENT, SUPPRESSED
from survey_app.extensions import db
from survey_app.jobs.cli import jobs_cli
from survey_app.jobs.worker import Handler
from survey_app.models.staff import ROLE_LABELS
from survey_app.staff import cli
from survey_app.staff.accounts import views as accounts
from survey_app.staff.accounts.sessions import StaffSessionInterface
from survey_app.staff.audit import views as audit_log
from survey_app.staff.auth import login_manager
from survey_app.staff.campaigns import views as campaigns
from survey_app.staff.data import views as data
from survey_app.staff.data.cli import data_cli
from survey_app.staff.fieldwork import views as fieldwork
from survey_app.staff.free_text import views as free_text
from survey_app.staff.free_text.starting import STARTING_JOB, train_starting
from survey_app.staff.free_text.training import RETRAIN_JOB, retrain
from survey_app.staff.quotes import views as quotes
from survey_app.staff.reports import views as reports
from survey_app.staff.results import views as results
from survey_app.staff.safeguarding import views as safeguarding

#: The staff command groups: `flask users ...`, `flask retention apply`, `flask population load`.
CLI_GROUPS: tuple[AppGroup, ...] = (cli.users_cli, cli.retention_cli, cli.population_cli, data_cli, jobs_cli)

#: Background jobs the staff workspace queues, by kind (the app factory gives them to survey_app.jobs;
#: `flask jobs work` runs them).
JOB_HANDLERS: dict[str, Handler] = {RETRAIN_JOB: retrain, STARTING_JOB: train_starting}

#: Each feature adds its own pages. Results and reports will add theirs here the same way.
FEATURES = (fieldwork, campaigns, accounts, audit_log, data, free_text, quotes, reports, results, safeguarding)


def staff_blueprint() -> Blueprint:
    """A new `staff` blueprint with every feature's pages, the staff error pages and template helpers."""
    bp = Blueprint("staff", __name__, url_prefix="/staff")
    bp.before_request(_fresh_user)
    bp.after_request(_discard_uncommitted)
    bp.app_context_processor(_staff_context)
    bp.register_error_handler(403, _forbidden)
    bp.register_error_handler(404, _not_found)
    bp.add_app_template_global(staff_nav)
    # Hidden figures are marked as on the results page and in every report, so staff learn one
    # convention. Globals, not context, because the shared macros are imported without context.
    bp.record_once(lambda state: state.app.jinja_env.globals.update(hidden_mark=SUPPRESSED, no_percent_mark=NO_PERCENT))
    bp.add_app_template_global(free_text.free_text_links)
    for feature in FEATURES:
        feature.register(bp)
    return bp


def init_sign_in(app: Flask) -> None:
    """Staff sign-in (Flask-Login) and the staff session store, which keeps respondents' cookie sessions."""
    login_manager.init_app(app)
    app.session_interface = StaffSessionInterface(app.session_interface)


def _fresh_user() -> None:
    # Load the user from this request's session, never from an app context that outlived an earlier
    # request (as in tests, where one app context spans many requests).
    g.pop("_login_user", None)


def _discard_uncommitted(response: WerkzeugResponse) -> WerkzeugResponse:
    # A view commits the work it means to keep before it responds; whatever it left uncommitted (a
    # refused form, an error) is dropped here, before the session store writes its own row, so nothing
    # can ever be committed on a view's behalf (docs/transactions.md).
    db.session.rollback()
    return response


def _staff_context() -> dict[str, Any]:
    return {"role_labels": ROLE_LABELS}


def _forbidden(error: Any) -> tuple[str, int]:
    return render_template(
        "staff/error.html",
        title="You can't use this page",
        message="Your role does not include this page. If you need it, ask an administrator.",
    ), 403


def _not_found(error: Any) -> tuple[str, int]:
    return render_template(
        "staff/error.html",
        title="Page not found",
        message="There is nothing here, or it belongs to another partnership.",
    ), 404


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
    if role in results.PRIORITY_ROLES:
        links.append(("staff.priorities_page", "Our priorities"))
    links.append(("staff.account", "Your account"))
    return links
