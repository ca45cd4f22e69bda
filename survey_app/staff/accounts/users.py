"""Staff accounts: making them, checking their details, changing roles and second factors.

The administrators' pages and `flask users ...` both call these; the caller commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from survey_app.extensions import db
from survey_app.models.campaigns import Campaign, CollectionPoint
from survey_app.models.staff import ROLES, StaffUser
from survey_app.staff import clock
from survey_app.staff.accounts.passwords import hash_password, password_problems
from survey_app.staff.accounts.sessions import revoke_user_sessions
from survey_app.staff.auth import deny, staff_user

ADMIN = "administrator"


def user_for_admin_or_404(user_id: int) -> StaffUser:
    """The account, if it is in the signed-in administrator's partnership; otherwise 404 (audited)."""
    user = db.session.get(StaffUser, user_id)
    if user is None or user.partnership_id != staff_user().partnership_id:
        deny(404, "user of another partnership or none", f"user:{user_id}")
    return user


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


def partnership_points() -> Select[Any]:
    """The collection points of the signed-in user's partnership, by name."""
    return (
        select(CollectionPoint)
        .join(Campaign, CollectionPoint.campaign_id == Campaign.id)
        .where(Campaign.partnership_id == staff_user().partnership_id)
        .order_by(CollectionPoint.name)
    )


def partnership_users(partnership_id: int) -> list[StaffUser]:
    """The partnership's accounts, working ones first, by name."""
    return list(
        db.session.scalars(
            select(StaffUser)
            .where(StaffUser.partnership_id == partnership_id)
            .order_by(StaffUser.active.desc(), StaffUser.display_name)
        )
    )


def change_user(person: StaffUser, name: str, role: str, active: bool, points: list[CollectionPoint]) -> dict[str, Any]:
    """Apply an administrator's changes; what changed, for the audit log. A new role or a switched-off
    account signs the person out everywhere, so new rights apply from their next sign-in."""
    changes: dict[str, Any] = {}
    if role != person.role:
        changes["role"] = [person.role, role]
    if active != person.active:
        changes["active"] = [person.active, active]
    new_points = points if role == "school_coordinator" else []
    if {p.id for p in person.collection_points} != {p.id for p in new_points}:
        changes["collection_points"] = sorted(p.id for p in new_points)
    person.display_name, person.role, person.active = name.strip(), role, active
    person.collection_points = new_points
    if "role" in changes or "active" in changes:
        changes["sessions_revoked"] = revoke_user_sessions(person.id)
    return changes


def reset_second_factor(person: StaffUser) -> int:
    """For a lost phone: forget the authenticator and recovery codes and sign the person out everywhere;
    they set up a new authenticator at their next sign-in. Returns how many sessions ended."""
    person.totp_secret, person.totp_last_step = None, None
    person.recovery_codes.clear()
    return revoke_user_sessions(person.id)
