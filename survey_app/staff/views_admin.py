"""Administrators: users and roles, the audit log, a campaign's settings, export and deletion."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from sqlalchemy import Select, func, select
from werkzeug.wrappers import Response as WerkzeugResponse

from survey_app.extensions import db
from survey_app.models.audit import AuditEvent
from survey_app.models.campaigns import Campaign, CollectionPoint
from survey_app.models.staff import ROLES, StaffUser
from survey_app.staff import bp, clock
from survey_app.staff.auth import audit, campaign_for_user_or_404, deny, role_required, staff_user
from survey_app.staff.export import campaign_csv, campaign_json
from survey_app.staff.passwords import hash_password, password_problems
from survey_app.staff.retention import RETENTION_ACTIONS, delete_campaign
from survey_app.staff.sessions import revoke_user_sessions

ADMIN = "administrator"
View = str | WerkzeugResponse | tuple[str, int]
AUDIT_PAGE = 100


def _user_for_admin_or_404(user_id: int) -> StaffUser:
    user = db.session.get(StaffUser, user_id)
    if user is None or user.partnership_id != staff_user().partnership_id:
        deny(404, "user of another partnership or none", f"user:{user_id}")
    return user


@bp.get("/users")
@role_required(ADMIN)
def users() -> str:
    """The partnership's staff accounts."""
    people = db.session.scalars(
        select(StaffUser)
        .where(StaffUser.partnership_id == staff_user().partnership_id)
        .order_by(StaffUser.active.desc(), StaffUser.display_name)
    ).all()
    return render_template("staff/users.html", people=people)


def create_user(email: str, display_name: str, role: str, password: str, partnership_id: int) -> StaffUser:
    """Make an account (checks done by the caller). Second factor is set up at first sign-in."""
    user = StaffUser(
        email=email.strip().lower(),
        display_name=display_name.strip(),
        role=role,
        password_hash=hash_password(password),
        partnership_id=partnership_id,
        created_on=clock.today(),
        active=True,
    )
    db.session.add(user)
    db.session.flush()
    return user


def user_form_errors(email: str, name: str, role: str, password: str | None) -> dict[str, str]:
    """Problems with a new or edited account's details."""
    errors = {}
    if "@" not in email or len(email) > 254:
        errors["email"] = "Enter an email address, like name@example.org."
    elif password is not None and db.session.scalar(
        select(StaffUser.id).where(func.lower(StaffUser.email) == email.strip().lower())
    ):
        errors["email"] = "There is already an account with this email address."
    if not name.strip():
        errors["display_name"] = "Enter the person's name."
    if role not in ROLES:
        errors["role"] = "Choose a role."
    if password is not None:
        problems = password_problems(password, email, name)
        if problems:
            errors["password"] = " ".join(problems)
    return errors


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(ADMIN)
def new_user() -> View:
    """Make an account in this partnership."""
    form = request.form
    if request.method == "GET":
        return render_template("staff/user_form.html", person=None, form={}, errors={})
    email, name, role, password = (form.get(k, "") for k in ("email", "display_name", "role", "password"))
    errors = user_form_errors(email, name, role, password)
    if errors:
        return render_template("staff/user_form.html", person=None, form=form, errors=errors), 400
    user = create_user(email, name, role, password, staff_user().partnership_id)
    audit("user_created", f"user:{user.id}", email=user.email, role=role)
    flash(
        f"Account made for {user.display_name}. They set up their authenticator app when they first sign in.", "success"
    )
    return redirect(url_for("staff.users"))


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(ADMIN)
def edit_user(user_id: int) -> View:
    """Change a person's name, role, collection points or whether the account works."""
    person = _user_for_admin_or_404(user_id)
    points: list[CollectionPoint] = list(db.session.scalars(_partnership_points()).all())
    if request.method == "GET":
        return render_template("staff/user_form.html", person=person, form={}, errors={}, points=points)
    form = request.form
    name, role = form.get("display_name", ""), form.get("role", "")
    errors = user_form_errors(person.email, name, role, None)
    if errors:
        return render_template("staff/user_form.html", person=person, form=form, errors=errors, points=points), 400
    active = form.get("active") == "yes"
    if person.id == staff_user().id and (role != ADMIN or not active):
        errors["role"] = "You can't remove your own administrator role or switch off your own account."
        return render_template("staff/user_form.html", person=person, form=form, errors=errors, points=points), 400
    changes: dict[str, Any] = {}
    if role != person.role:
        changes["role"] = [person.role, role]
    if active != person.active:
        changes["active"] = [person.active, active]
    chosen = {int(v) for v in form.getlist("collection_points") if v.isdigit()}
    new_points = [p for p in points if p.id in chosen] if role == "school_coordinator" else []
    if {p.id for p in person.collection_points} != {p.id for p in new_points}:
        changes["collection_points"] = sorted(p.id for p in new_points)
    person.display_name, person.role, person.active = name.strip(), role, active
    person.collection_points = new_points
    if "role" in changes or "active" in changes:
        changes["sessions_revoked"] = revoke_user_sessions(person.id)  # new rights apply from the next sign-in
    audit("user_changed", f"user:{person.id}", **changes)
    flash("Saved.", "success")
    return redirect(url_for("staff.users"))


def _partnership_points() -> Select[Any]:
    return (
        select(CollectionPoint)
        .join(Campaign, CollectionPoint.campaign_id == Campaign.id)
        .where(Campaign.partnership_id == staff_user().partnership_id)
        .order_by(CollectionPoint.name)
    )


@bp.post("/users/<int:user_id>/reset-second-factor")
@role_required(ADMIN)
def reset_second_factor(user_id: int) -> WerkzeugResponse:
    """For a lost phone: the person sets up a new authenticator at their next sign-in."""
    person = _user_for_admin_or_404(user_id)
    person.totp_secret, person.totp_last_step = None, None
    person.recovery_codes.clear()
    revoked = revoke_user_sessions(person.id)
    audit("second_factor_reset", f"user:{person.id}", sessions_revoked=revoked)
    flash(f"{person.display_name} will set up a new authenticator app when they next sign in.", "success")
    return redirect(url_for("staff.users"))


@bp.get("/audit")
@role_required(ADMIN)
def audit_log() -> str:
    """The partnership's audit log, newest first, filtered by action, person and dates."""
    args = request.args
    query = select(AuditEvent).where(AuditEvent.partnership_id == staff_user().partnership_id)
    if args.get("action"):
        query = query.where(AuditEvent.action == args["action"])
    if args.get("actor"):
        query = query.where(AuditEvent.actor.contains(args["actor"].strip().lower()))
    for name, op in (("from", "ge"), ("to", "lt")):
        try:
            day = dt.date.fromisoformat(args.get(name, ""))
        except ValueError:
            continue
        bound = dt.datetime.combine(day + dt.timedelta(days=1 if op == "lt" else 0), dt.time())
        query = query.where(AuditEvent.occurred_at >= bound if op == "ge" else AuditEvent.occurred_at < bound)
    page = max(1, args.get("page", 1, type=int) or 1)
    events = db.session.scalars(
        query.order_by(AuditEvent.id.desc()).offset((page - 1) * AUDIT_PAGE).limit(AUDIT_PAGE + 1)
    ).all()
    actions = db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    return render_template(
        "staff/audit.html",
        events=events[:AUDIT_PAGE],
        more=len(events) > AUDIT_PAGE,
        page=page,
        actions=actions,
        args=args,
        filters={k: args[k] for k in ("action", "actor", "from", "to") if args.get(k)},
    )


@bp.route("/campaigns/<int:campaign_id>/settings", methods=["GET", "POST"])
@role_required(ADMIN)
def campaign_settings(campaign_id: int) -> View:
    """Retention period and response targets."""
    campaign = campaign_for_user_or_404(campaign_id)
    if request.method == "GET":
        return render_template("staff/campaign_settings.html", campaign=campaign, errors={}, actions=RETENTION_ACTIONS)
    errors: dict[str, str] = {}
    days = request.form.get("retention_days", "").strip()
    action = request.form.get("retention_action", "")
    if not days.isdigit() or not 1 <= int(days) <= 3650:
        errors["retention_days"] = "Enter a number of days from 1 to 3650."
    if action not in RETENTION_ACTIONS:
        errors["retention_action"] = "Choose what to remove."
    targets: dict[str, int] = {}
    for key in ("total", "children", "young_people", "young_adults", "parents_carers", "professionals"):
        raw = request.form.get(f"target_{key}", "").strip()
        if raw:
            if not raw.isdigit():
                errors[f"target_{key}"] = "Enter a whole number, or leave it empty."
            elif int(raw) > 0:
                targets[key] = int(raw)
    if errors:
        return render_template(
            "staff/campaign_settings.html",
            campaign=campaign,
            errors=errors,
            actions=RETENTION_ACTIONS,
            form=request.form,
        ), 400
    audit(
        "campaign_settings_changed",
        f"campaign:{campaign.id}",
        retention_days=[campaign.retention_days, int(days)],
        retention_action=[campaign.retention_action, action],
        targets=targets,
    )
    campaign.retention_days, campaign.retention_action, campaign.targets = int(days), action, targets
    flash("Settings saved.", "success")
    return redirect(url_for("staff.campaign_settings", campaign_id=campaign.id))


@bp.get("/campaigns/<int:campaign_id>/export.<any(csv, json):fmt>")
@role_required(ADMIN)
def campaign_export(campaign_id: int, fmt: str) -> Response:
    """All of the campaign's data as a download (audited)."""
    campaign = campaign_for_user_or_404(campaign_id)
    body = campaign_csv(campaign) if fmt == "csv" else campaign_json(campaign)
    audit("export", f"campaign:{campaign.id}", format=fmt, bytes=len(body.encode()))
    mimetype = "text/csv" if fmt == "csv" else "application/json"
    return Response(
        body,
        mimetype=f"{mimetype}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{campaign.slug}-{clock.today().isoformat()}.{fmt}"'},
    )


@bp.route("/campaigns/<int:campaign_id>/delete", methods=["GET", "POST"])
@role_required(ADMIN)
def campaign_delete(campaign_id: int) -> View:
    """Delete a campaign and all its answers, after typing its short name to confirm."""
    campaign = campaign_for_user_or_404(campaign_id)
    if request.method == "GET":
        return render_template("staff/campaign_delete.html", campaign=campaign, error="")
    if request.form.get("confirm", "").strip() != campaign.slug:
        return render_template(
            "staff/campaign_delete.html", campaign=campaign, error=f"Type {campaign.slug} exactly to confirm."
        ), 400
    slug, name, cid = campaign.slug, campaign.name, campaign.id
    counts = delete_campaign(campaign)
    audit(
        "campaign_deleted",
        f"campaign:{cid}",
        slug=slug,
        responses=counts["responses"],
        drafts=counts["drafts"],
        collection_points=counts["collection_points"],
    )
    flash(f"{name} and all its answers have been deleted.", "success")
    return redirect(url_for("staff.home"))
