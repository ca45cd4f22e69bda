"""Administrators' pages for the partnership's staff accounts."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey_app.extensions import db
from survey_app.models.campaigns import CollectionPoint
from survey_app.staff.accounts import users as accounts
from survey_app.staff.accounts.forms import EditUserForm, NewUserForm
from survey_app.staff.auth import audit, role_required, staff_user
from survey_app.staff.web import View

ADMIN = accounts.ADMIN


@role_required(ADMIN)
def users() -> str:
    """The partnership's staff accounts."""
    return render_template("staff/users.html", people=accounts.partnership_users(staff_user().partnership_id))


@role_required(ADMIN)
def new_user() -> View:
    """Make an account in this partnership."""
    form = NewUserForm()
    if not form.is_submitted():
        return render_template("staff/user_form.html", person=None, form={}, errors={})
    if not form.validate():
        return render_template("staff/user_form.html", person=None, form=form.values(), errors=form.problems()), 400
    role = form.role.data or ""
    user = accounts.create_user(
        form.email.data or "", form.display_name.data or "", role, form.password.data or "", staff_user().partnership_id
    )
    audit("user_created", f"user:{user.id}", email=user.email, role=role)
    db.session.commit()
    flash(
        f"Account made for {user.display_name}. They set up their authenticator app when they first sign in.", "success"
    )
    return redirect(url_for("staff.users"))


@role_required(ADMIN)
def edit_user(user_id: int) -> View:
    """Change a person's name, role, collection points or whether the account works."""
    person = accounts.user_for_admin_or_404(user_id)
    points: list[CollectionPoint] = list(db.session.scalars(accounts.partnership_points()).all())
    form = EditUserForm(person, staff_user())
    if not form.is_submitted():
        return render_template("staff/user_form.html", person=person, form={}, errors={}, points=points)
    if not form.validate():
        return render_template(
            "staff/user_form.html", person=person, form=form.values(), errors=form.problems(), points=points
        ), 400
    chosen = form.chosen_point_ids()
    changes = accounts.change_user(
        person,
        form.display_name.data or "",
        form.role.data or "",
        form.is_active,
        [p for p in points if p.id in chosen],
    )
    audit("user_changed", f"user:{person.id}", **changes)
    db.session.commit()
    flash("Saved.", "success")
    return redirect(url_for("staff.users"))


@role_required(ADMIN)
def reset_second_factor(user_id: int) -> WerkzeugResponse:
    """For a lost phone: the person sets up a new authenticator at their next sign-in."""
    person = accounts.user_for_admin_or_404(user_id)
    revoked = accounts.reset_second_factor(person)
    audit("second_factor_reset", f"user:{person.id}", sessions_revoked=revoked)
    db.session.commit()
    flash(f"{person.display_name} will set up a new authenticator app when they next sign in.", "success")
    return redirect(url_for("staff.users"))


def register(bp: Blueprint) -> None:
    """Add the account administration pages to the staff blueprint."""
    bp.add_url_rule("/users", view_func=users, methods=["GET"])
    bp.add_url_rule("/users/new", view_func=new_user, methods=["GET", "POST"])
    bp.add_url_rule("/users/<int:user_id>", view_func=edit_user, methods=["GET", "POST"])
    bp.add_url_rule("/users/<int:user_id>/reset-second-factor", view_func=reset_second_factor, methods=["POST"])
