"""Sign-in pages (password, then authenticator code or recovery code), signing out, and your own
account: password and recovery codes.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

import pyotp
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response as WerkzeugResponse

from survey_app.campaigns.qr import qr_data_uri
from survey_app.extensions import db
from survey_app.models.staff import StaffUser
from survey_app.staff import clock
from survey_app.staff.accounts import user_views
from survey_app.staff.accounts.forms import AuthenticatorSetupForm, LoginForm, PasswordChangeForm, SecondStepForm
from survey_app.staff.accounts.passwords import (
    dummy_verify,
    hash_password,
    needs_rehash,
    verify_password,
)
from survey_app.staff.accounts.sessions import StaffSessionData, revoke_user_sessions
from survey_app.staff.accounts.signin import (
    ISSUER,
    SECOND_STEP_MINUTES,
    clear_failures,
    new_recovery_codes,
    record_failure,
    throttle_refusal,
    use_recovery_code,
    user_by_email,
    verify_totp,
    who_tried,
)
from survey_app.staff.auth import audit, audit_as, login_required, staff_user
from survey_app.staff.web import View


def _staff_session() -> StaffSessionData:
    return cast(StaffSessionData, session._get_current_object())  # type: ignore[attr-defined]  # the proxy hides the real session


def login() -> View:
    """Step one: email address and password."""
    if current_user.is_authenticated:
        return redirect(url_for("staff.home"))
    expired = session.pop("timed_out", "")
    if expired:
        flash(
            "You were signed out because the session "
            + ("was unused for a while." if expired == "idle" else "reached its time limit.")
            + " Please sign in again.",
            "info",
        )
    form = LoginForm()
    if not form.validate_on_submit():  # POST only: any other method just shows the form
        return render_template("staff/login.html", email="")
    email = (form.email.data or "").strip()
    password = form.password.data or ""
    refusal = throttle_refusal(email)
    if refusal:
        audit("login_throttled", **who_tried(email))
        db.session.commit()
        return render_template("staff/login.html", email=email, error=refusal), 429
    user = user_by_email(email)
    if user is None or not user.active:
        dummy_verify(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password)
    if not ok or user is None:
        record_failure(email)
        audit("login_failed", step="password", **who_tried(email))
        db.session.commit()
        return render_template(
            "staff/login.html", email=email, error="That email address and password do not match an account."
        ), 401
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    staff = _staff_session()
    staff.regenerate()  # a new session id at each change of privilege (no session fixation)
    staff["pending_user_id"] = user.id
    staff["pending_at"] = clock.utcnow().isoformat()
    if user.totp_secret is None:
        return redirect(url_for("staff.setup_authenticator"))
    return redirect(url_for("staff.login_code", next=_safe_next(form.next.data)))


def _safe_next(posted: str | None = None) -> str | None:
    """Where to go after signing in: only somewhere in the staff workspace (from the address or the form)."""
    wanted = request.args.get("next") or posted or ""
    return wanted if wanted.startswith("/staff/") and not wanted.startswith("//") else None


def _pending_user() -> StaffUser | None:
    """The user who gave the right password a moment ago, if still within the time allowed."""
    staff = _staff_session()
    user_id, at = staff.get("pending_user_id"), staff.get("pending_at")
    if not user_id or not at:
        return None
    if clock.utcnow() - dt.datetime.fromisoformat(at) > dt.timedelta(minutes=SECOND_STEP_MINUTES):
        staff.pop("pending_user_id", None)
        return None
    user = db.session.get(StaffUser, user_id)
    return user if user is not None and user.active else None


def _finish_login(user: StaffUser, method: str, posted_next: str | None = None) -> WerkzeugResponse:
    staff = _staff_session()
    staff.pop("pending_user_id", None)
    staff.pop("pending_at", None)
    staff.pop("pending_totp_secret", None)
    staff.regenerate()
    login_user(user)
    clear_failures(user.email)
    audit_as(user, "login", f"user:{user.id}", method=method)
    db.session.commit()
    return redirect(_safe_next(posted_next) or url_for("staff.home"))


def login_code() -> View:
    """Step two: the code from the authenticator app, or a recovery code."""
    user = _pending_user()
    if user is None:
        flash("Please start again with your email address and password.", "info")
        return redirect(url_for("staff.login"))
    form = SecondStepForm()
    if not form.is_submitted():  # POST only: any other method just shows the form
        return render_template("staff/login_code.html", next=_safe_next())
    after = _safe_next(form.next.data)
    refusal = throttle_refusal(user.email)
    if refusal:
        return render_template("staff/login_code.html", error=refusal, next=after), 429
    if form.field_used == "recovery_code":
        if use_recovery_code(user, form.recovery_code.data or ""):
            return _finish_login(user, "recovery_code", form.next.data)
    elif verify_totp(user, form.code.data or ""):
        return _finish_login(user, "authenticator", form.next.data)
    record_failure(user.email)
    audit(
        "login_failed",
        f"user:{user.id}",
        actor_email=user.email,
        partnership_id=user.partnership_id,
        step="second_factor",
    )
    db.session.commit()
    form.add_problem(form.field_used, "That code didn't work. Codes change every 30 seconds: try the current one.")
    return render_template("staff/login_code.html", next=after, errors=form.problems()), 401


def setup_authenticator() -> View:
    """First sign-in: add the workspace to an authenticator app, prove it works, get recovery codes."""
    user = _pending_user()
    if user is None or user.totp_secret is not None:
        return redirect(url_for("staff.login"))
    staff = _staff_session()
    secret = staff.get("pending_totp_secret")
    if not secret:
        secret = staff["pending_totp_secret"] = pyotp.random_base32()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    qr = qr_data_uri(uri)  # drawn here as an inline image: no request elsewhere
    form = AuthenticatorSetupForm()
    if not form.is_submitted():  # POST only: any other method just shows the form
        return render_template("staff/setup_authenticator.html", secret=grouped, uri=uri, qr=qr)
    if verify_totp(user, form.code.data or "", secret=secret):
        user.totp_secret = secret
        codes = new_recovery_codes(user)
        audit_as(user, "second_factor_enrolled", f"user:{user.id}")
        _finish_login(user, "authenticator_enrolment")
        return render_template("staff/recovery_codes.html", codes=codes, first_time=True)
    record_failure(user.email)
    db.session.commit()
    form.add_problem("code", "That code didn't work. Check the key was typed exactly, then try the current code.")
    return render_template(
        "staff/setup_authenticator.html", secret=grouped, uri=uri, qr=qr, errors=form.problems()
    ), 400


def logout() -> WerkzeugResponse:
    """Sign out: the server forgets the session, so the cookie is worthless from now on."""
    if current_user.is_authenticated:
        audit("logout", f"user:{current_user.id}")
        db.session.commit()
    logout_user()
    _staff_session().revoke()
    flash("You have signed out.", "info")
    return redirect(url_for("staff.login"))


@login_required
def account() -> str:
    """Your account: password, recovery codes, signing out."""
    user = staff_user()
    unused = sum(1 for rc in user.recovery_codes if rc.used_on is None)
    return render_template("staff/account.html", user=user, unused_codes=unused)


@login_required
def change_password() -> View:
    """Change password; every other session of this account is signed out."""
    user = staff_user()
    form = PasswordChangeForm(user)
    if not form.is_submitted():
        return render_template("staff/password.html")
    if not form.validate():
        return render_template("staff/password.html", errors=form.problems()), 400
    user.password_hash = hash_password(form.new_password.data or "")
    revoked = revoke_user_sessions(user.id)
    _staff_session().regenerate()
    audit("password_changed", f"user:{user.id}", sessions_revoked=revoked)
    db.session.commit()
    flash("Your password has changed. Any other browser signed in as you has been signed out.", "success")
    return redirect(url_for("staff.account"))


@login_required
def regenerate_recovery_codes() -> str:
    """New recovery codes (the old ones stop working)."""
    user = staff_user()
    codes = new_recovery_codes(user)
    audit("recovery_codes_replaced", f"user:{user.id}")
    db.session.commit()
    return render_template("staff/recovery_codes.html", codes=codes, first_time=False)


def register(bp: Blueprint) -> None:
    """Add this feature's pages to the staff blueprint."""
    bp.add_url_rule("/login", methods=["GET", "POST"], view_func=login)
    bp.add_url_rule("/login/code", methods=["GET", "POST"], view_func=login_code)
    bp.add_url_rule("/login/setup-authenticator", methods=["GET", "POST"], view_func=setup_authenticator)
    bp.add_url_rule("/logout", view_func=logout, methods=["POST"])
    bp.add_url_rule("/account", view_func=account, methods=["GET"])
    bp.add_url_rule("/account/password", methods=["GET", "POST"], view_func=change_password)
    bp.add_url_rule("/account/recovery-codes", view_func=regenerate_recovery_codes, methods=["POST"])
    user_views.register(bp)
