"""Signing in: the throttle on attempts, authenticator codes and recovery codes.

Attempts are counted per account *and* address together: the email address typed (known or not,
so the replies never reveal whether an account exists) with the client's address, as a keyed
hash (HMAC with the secret key) of the email address followed by one of both, kept for an hour or
two in the shared throttle counters (`survey_app.campaigns.throttle`: Redis or the database); the
shared start lets `flask users unlock` clear them all. The address itself is never stored or
logged. Each attempt is counted *before* its password or code is checked, in one atomic step, so
however many requests arrive at once, on however many servers, no more than `PAIR_LIMIT` are
checked for one account from one address in an hour.

Someone elsewhere therefore cannot lock the owner out by typing their email address: their
failures use up their own address's allowance. Failures for the account from every address are
counted too; past `ACCOUNT_SLOW_AFTER` in an hour the account is under attack, each address then
gets only `PAIR_LIMIT_UNDER_ATTACK` attempts an hour (the owner can still sign in, with both
factors, from wherever they are), and the account's partnership sees it in the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

import pyotp
from flask import g, has_request_context, request
from sqlalchemy import func, select

from survey_app.campaigns import throttle
from survey_app.extensions import db
from survey_app.models.staff import RecoveryCode, StaffUser
from survey_app.staff import clock
from survey_app.staff.auth import audit

#: attempts (password or second factor) checked per account and address in an hour
PAIR_LIMIT = 10

#: failed attempts for one account from all addresses in an hour before it counts as under attack
ACCOUNT_SLOW_AFTER = 30

#: attempts checked per account and address in an hour while the account is under attack
PAIR_LIMIT_UNDER_ATTACK = 3

#: Minutes between a correct password and the second factor before starting again.
SECOND_STEP_MINUTES = 5

RECOVERY_CODES = 10

ISSUER = "Community Voice"


def _email(email: str) -> str:
    return email.strip().lower()


def _address() -> str:
    # The client's address as the app sees it (behind a trusted proxy, ProxyFix has put the real
    # one here): only ever hashed, with the email address and the secret key, never kept in clear.
    return (request.remote_addr or "") if has_request_context() else ""


def _pair_prefix(email: str) -> str:
    # Every pair counter for one email address starts the same, so `flask users unlock` can clear
    # them all without knowing the addresses they were typed from (which are only ever hashed).
    return "lp" + throttle.keyed_hash("login-email", _email(email), length=8)


def _pair_counter(email: str) -> str:
    return _pair_prefix(email) + throttle.keyed_hash("login-pair", _email(email), _address(), length=12)


def _account_counter(email: str) -> str:
    return "la" + throttle.keyed_hash("login-account", _email(email))


def _window() -> int:
    """The hour the throttle counts in, by the workspace's clock (tests move it)."""
    return int(clock.utcnow().replace(tzinfo=dt.UTC).timestamp() // 3600)


def _allowed(email: str, window: int) -> int:
    under_attack = throttle.count(_account_counter(email), window) >= ACCOUNT_SLOW_AFTER
    return PAIR_LIMIT_UNDER_ATTACK if under_attack else PAIR_LIMIT


def throttle_refusal(email: str) -> str | None:
    """Count this attempt for the account and address, and say why it may not be checked, or None.

    Called before a password or code is checked: the attempt is counted whatever its outcome, and
    counting is atomic, so concurrent attempts beyond the allowance are refused, never checked.
    """
    window = _window()
    allowed = _allowed(email, window)
    attempt = throttle.hit(_pair_counter(email), window)
    g.login_attempt = (attempt, allowed)
    if attempt <= allowed:
        return None
    until = dt.datetime.fromtimestamp((window + 1) * 3600, dt.UTC)
    return (
        f"Too many attempts: signing in with this email address from here is paused until {until:%H:%M} UTC. "
        "Ask an administrator if you need in sooner."
    )


def record_failure(email: str) -> None:
    """A checked attempt failed: count it against the account (from anywhere) and audit a lock."""
    window = _window()
    failures = throttle.hit(_account_counter(email), window)
    if failures == ACCOUNT_SLOW_AFTER:
        audit("login_account_under_attack", **who_tried(email))
    attempt, allowed = g.get("login_attempt", (0, PAIR_LIMIT))
    if attempt == allowed:
        audit("login_locked", **who_tried(email))


def clear_failures(email: str) -> None:
    """Signed in: this account's attempts from this address start again from none."""
    throttle.reset(_pair_counter(email), _window())


def unlock(email: str) -> int:
    """Forget every sign-in count for this email address, from every address and hour, and the count
    that says the account is under attack; returns how many counters there were."""
    return throttle.forget(_pair_prefix(email)) + throttle.forget(_account_counter(email))


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
