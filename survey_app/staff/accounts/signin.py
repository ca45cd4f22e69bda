"""Signing in: the throttle on failed attempts, authenticator codes and recovery codes.

Failed attempts are counted per email address typed (hashed, known or not, so the replies never
reveal whether an account exists): after 3 failures each further attempt must wait longer
(1, 2, 4 ... seconds), and after 10 the address is locked for 30 minutes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

import pyotp
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models.staff import LoginThrottle, RecoveryCode, StaffUser
from survey_app.staff import clock
from survey_app.staff.auth import audit

SLOW_AFTER = 3

LOCK_AFTER = 10

LOCK_MINUTES = 30

#: Minutes between a correct password and the second factor before starting again.
SECOND_STEP_MINUTES = 5

RECOVERY_CODES = 10

ISSUER = "Community Voice"


def _throttle_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def throttle_refusal(email: str) -> str | None:
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


def record_failure(email: str) -> None:
    key = _throttle_key(email)
    row = db.session.get(LoginThrottle, key) or LoginThrottle(key=key, failures=0)
    db.session.add(row)
    row.failures = (row.failures or 0) + 1
    now = clock.utcnow()
    if row.failures >= LOCK_AFTER:
        row.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
        row.next_attempt_at = None
        row.failures = 0
        audit("login_locked", **who_tried(email))
    elif row.failures >= SLOW_AFTER:
        row.next_attempt_at = now + dt.timedelta(seconds=2 ** (row.failures - SLOW_AFTER))


def clear_failures(email: str) -> None:
    row = db.session.get(LoginThrottle, _throttle_key(email))
    if row is not None:
        db.session.delete(row)


def who_tried(email: str) -> dict[str, Any]:
    """Audit details for an attempt: the address and partnership when it is an account's (so that
    partnership's administrators see it), else nothing of what was typed (people type passwords there)."""
    user = user_by_email(email)
    if user is None:
        return {"actor_email": "(unknown address)"}
    return {"actor_email": user.email, "partnership_id": user.partnership_id}


def user_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(func.lower(StaffUser.email) == email.strip().lower()))


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


def _hash_code(code: str) -> str:
    return hashlib.sha256("".join(code.split()).replace("-", "").lower().encode()).hexdigest()


def use_recovery_code(user: StaffUser, code: str) -> bool:
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
