"""Signing in (password, then authenticator code or recovery code), signing out, changing password.

Failed attempts are counted per email address typed (hashed, known or not, so the replies never
reveal whether an account exists): after 3 failures each further attempt must wait longer
(1, 2, 4 ... seconds), and after 10 the address is locked for 30 minutes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any, cast

import pyotp
from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response as WerkzeugResponse

from survey_app.extensions import db
from survey_app.models.staff import LoginThrottle, RecoveryCode, StaffUser
from survey_app.staff import bp, clock
from survey_app.staff.auth import audit, audit_as, login_required, staff_user
from survey_app.staff.passwords import dummy_verify, hash_password, needs_rehash, password_problems, verify_password
from survey_app.staff.sessions import StaffSessionData, revoke_user_sessions

SLOW_AFTER = 3
LOCK_AFTER = 10
LOCK_MINUTES = 30
#: Minutes between a correct password and the second factor before starting again.
SECOND_STEP_MINUTES = 5
RECOVERY_CODES = 10
ISSUER = "Community Voice"

View = str | WerkzeugResponse | tuple[str, int]


def _staff_session() -> StaffSessionData:
    return cast(StaffSessionData, session._get_current_object())  # type: ignore[attr-defined]


def _throttle_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _throttle_refusal(email: str) -> str | None:
    """Why an attempt for this address may not even be checked now, or None."""
    row = db.session.get(LoginThrottle, _throttle_key(email))
    now = clock.utcnow()
    if row is None:
        return None
    if row.locked_until and row.locked_until > now:
        return (
            f"Too many failed attempts: signing in with this email address is paused until "
            f"{row.locked_until:%H:%M} UTC. Ask an administrator if you need in sooner."
        )
    if row.next_attempt_at and row.next_attempt_at > now:
        wait = max(1, int((row.next_attempt_at - now).total_seconds() + 0.999))
        return f"Several attempts have failed. Please wait {wait} second{'s' if wait != 1 else ''} and try again."
    return None


def _record_failure(email: str) -> None:
    key = _throttle_key(email)
    row = db.session.get(LoginThrottle, key) or LoginThrottle(key=key, failures=0)
    db.session.add(row)
    row.failures = (row.failures or 0) + 1
    now = clock.utcnow()
    if row.failures >= LOCK_AFTER:
        row.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
        row.next_attempt_at = None
        row.failures = 0
        audit("login_locked", **_who(email))
    elif row.failures >= SLOW_AFTER:
        row.next_attempt_at = now + dt.timedelta(seconds=2 ** (row.failures - SLOW_AFTER))


def _clear_failures(email: str) -> None:
    row = db.session.get(LoginThrottle, _throttle_key(email))
    if row is not None:
        db.session.delete(row)


def _who(email: str) -> dict[str, Any]:
    """Audit details for an attempt: the address and partnership when it is an account's (so that
    partnership's administrators see it), else nothing of what was typed (people type passwords there)."""
    user = _user_by_email(email)
    if user is None:
        return {"actor_email": "(unknown address)"}
    return {"actor_email": user.email, "partnership_id": user.partnership_id}


def _user_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(func.lower(StaffUser.email) == email.strip().lower()))


@bp.route("/login", methods=["GET", "POST"])
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
    if request.method == "GET":
        return render_template("staff/login.html", email="")
    email = request.form.get("email", "").strip()
    password = request.form.get("password", "")
    refusal = _throttle_refusal(email)
    if refusal:
        audit("login_throttled", **_who(email))
        return render_template("staff/login.html", email=email, error=refusal), 429
    user = _user_by_email(email)
    if user is None or not user.active:
        dummy_verify(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password)
    if not ok or user is None:
        _record_failure(email)
        audit("login_failed", step="password", **_who(email))
        return render_template(
            "staff/login.html", email=email, error="That email address and password do not match an account."
        ), 401
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    staff = _staff_session()
    staff.regenerate()  # a new session id at each change of privilege (no session fixation)
    staff["pending_user_id"] = user.id
    staff["pending_at"] = clock.utcnow().isoformat()
    if user.totp_secret is None:
        return redirect(url_for("staff.setup_authenticator"))
    return redirect(url_for("staff.login_code", next=_safe_next()))


def _safe_next() -> str | None:
    wanted = request.args.get("next") or request.form.get("next") or ""
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


def _finish_login(user: StaffUser, method: str) -> WerkzeugResponse:
    staff = _staff_session()
    staff.pop("pending_user_id", None)
    staff.pop("pending_at", None)
    staff.pop("pending_totp_secret", None)
    staff.regenerate()
    login_user(user)
    _clear_failures(user.email)
    audit_as(user, "login", f"user:{user.id}", method=method)
    return redirect(_safe_next() or url_for("staff.home"))


def verify_totp(user: StaffUser, code: str, secret: str | None = None) -> bool:
    """Check a 6-digit code, allowing one step of clock drift, and never accepting a step twice."""
    secret = secret or user.totp_secret
    code = "".join(ch for ch in code if ch.isdigit())
    if not secret or len(code) != 6:
        return False
    totp = pyotp.TOTP(secret)
    now = clock.utcnow().replace(tzinfo=dt.UTC)
    step_now = totp.timecode(now)
    for step in (step_now - 1, step_now, step_now + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False  # replayed
            user.totp_last_step = step
            return True
    return False


@bp.route("/login/code", methods=["GET", "POST"])
def login_code() -> View:
    """Step two: the code from the authenticator app, or a recovery code."""
    user = _pending_user()
    if user is None:
        flash("Please start again with your email address and password.", "info")
        return redirect(url_for("staff.login"))
    if request.method == "GET":
        return render_template("staff/login_code.html", next=_safe_next())
    refusal = _throttle_refusal(user.email)
    if refusal:
        return render_template("staff/login_code.html", error=refusal, next=_safe_next()), 429
    if request.form.get("recovery_code"):
        used = _use_recovery_code(user, request.form["recovery_code"])
        if used:
            return _finish_login(user, "recovery_code")
    elif verify_totp(user, request.form.get("code", "")):
        return _finish_login(user, "authenticator")
    _record_failure(user.email)
    audit(
        "login_failed",
        f"user:{user.id}",
        actor_email=user.email,
        partnership_id=user.partnership_id,
        step="second_factor",
    )
    return render_template(
        "staff/login_code.html",
        next=_safe_next(),
        error="That code didn't work. Codes change every 30 seconds: try the current one.",
    ), 401


def _hash_code(code: str) -> str:
    return hashlib.sha256("".join(code.split()).replace("-", "").lower().encode()).hexdigest()


def _use_recovery_code(user: StaffUser, code: str) -> bool:
    wanted = _hash_code(code)
    for rc in user.recovery_codes:
        if rc.used_on is None and secrets.compare_digest(rc.code_hash, wanted):
            rc.used_on = clock.today()
            return True
    return False


def new_recovery_codes(user: StaffUser) -> list[str]:
    """Replace the user's recovery codes with fresh ones; returns them (shown once, stored hashed)."""
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODES)]
    user.recovery_codes.clear()
    for code in codes:
        user.recovery_codes.append(RecoveryCode(code_hash=_hash_code(code)))
    return codes


@bp.route("/login/setup-authenticator", methods=["GET", "POST"])
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
    from survey_app.campaigns.qr import qr_data_uri  # drawn here as an inline image: no request elsewhere

    qr = qr_data_uri(uri)
    if request.method == "POST":
        if verify_totp(user, request.form.get("code", ""), secret=secret):
            user.totp_secret = secret
            codes = new_recovery_codes(user)
            audit_as(user, "second_factor_enrolled", f"user:{user.id}")
            _finish_login(user, "authenticator_enrolment")
            return render_template("staff/recovery_codes.html", codes=codes, first_time=True)
        _record_failure(user.email)
        return render_template(
            "staff/setup_authenticator.html",
            secret=grouped,
            uri=uri,
            qr=qr,
            error="That code didn't work. Check the key was typed exactly, then try the current code.",
        ), 400
    return render_template("staff/setup_authenticator.html", secret=grouped, uri=uri, qr=qr)


@bp.post("/logout")
def logout() -> WerkzeugResponse:
    """Sign out: the server forgets the session, so the cookie is worthless from now on."""
    if current_user.is_authenticated:
        audit("logout", f"user:{current_user.id}")
    logout_user()
    _staff_session().revoke()
    flash("You have signed out.", "info")
    return redirect(url_for("staff.login"))


@bp.get("/account")
@login_required
def account() -> str:
    """Your account: password, recovery codes, signing out."""
    user = staff_user()
    unused = sum(1 for rc in user.recovery_codes if rc.used_on is None)
    return render_template("staff/account.html", user=user, unused_codes=unused)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> View:
    """Change password; every other session of this account is signed out."""
    user = staff_user()
    if request.method == "GET":
        return render_template("staff/password.html")
    current, new, again = (request.form.get(k, "") for k in ("current_password", "new_password", "confirm_password"))
    # The keys name form fields, not passwords: S105 is a false alarm here.
    errors: dict[str, Any] = {}
    if not verify_password(user.password_hash, current):
        errors["current_password"] = "That is not your current password."  # noqa: S105
    problems = password_problems(new, user.email, user.display_name)
    if problems:
        errors["new_password"] = " ".join(problems)
    elif new != again:
        errors["confirm_password"] = "The two new passwords are different."  # noqa: S105
    if errors:
        return render_template("staff/password.html", errors=errors), 400
    user.password_hash = hash_password(new)
    revoked = revoke_user_sessions(user.id)
    _staff_session().regenerate()
    audit("password_changed", f"user:{user.id}", sessions_revoked=revoked)
    flash("Your password has changed. Any other browser signed in as you has been signed out.", "success")
    return redirect(url_for("staff.account"))


@bp.post("/account/recovery-codes")
@login_required
def regenerate_recovery_codes() -> str:
    """New recovery codes (the old ones stop working)."""
    user = staff_user()
    codes = new_recovery_codes(user)
    audit("recovery_codes_replaced", f"user:{user.id}")
    return render_template("staff/recovery_codes.html", codes=codes, first_time=False)
