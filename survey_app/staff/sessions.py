"""Server-side staff sessions in their own cookie, separate from the respondent's.

Respondent pages keep Flask's signed `cv_respondent` cookie. Every request under /staff instead gets a
session stored in the `staff_session` table, found by a random id held in the `cv_staff` cookie (only
its SHA-256 is stored). Because the server holds the session:

- signing out deletes the row, so a copied cookie is useless afterwards;
- changing a password deletes every session of that user (other browsers are signed out) and gives
  the current browser a fresh id;
- idle and absolute timeouts are enforced here on every request, from the row's times.

The cookie is path-limited to /staff, HttpOnly, SameSite=Strict and (in production) Secure, and the
respondent cookie is never read or written on staff pages, so the two surfaces cannot leak into each
other. The staff request's database work is committed here once, together with the session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSessionInterface, SessionInterface, SessionMixin
from sqlalchemy import delete
from werkzeug.datastructures import CallbackDict

from survey_app.extensions import db
from survey_app.models.staff import StaffSession
from survey_app.staff import clock

COOKIE = "cv_staff"
PREFIX = "/staff"


def hash_id(token: str) -> str:
    """What the table stores for a cookie's session id."""
    return hashlib.sha256(token.encode()).hexdigest()


class StaffSessionData(CallbackDict, SessionMixin):  # type: ignore[type-arg]
    """The contents of one staff session, plus what the interface must do with it on the way out."""

    def __init__(
        self, initial: dict[str, Any] | None = None, token: str | None = None, created_at: dt.datetime | None = None
    ) -> None:
        def on_update(_: Any) -> None:
            self.modified = True

        super().__init__(initial or {}, on_update)
        self.token = token
        self.created_at = created_at
        self.modified = False
        self.revoked = False
        self._old_token: str | None = None

    def regenerate(self) -> None:
        """Give this session a fresh id (on sign-in and password change), retiring the old one."""
        if self.token and not self._old_token:
            self._old_token = self.token
        self.token = None
        self.created_at = None
        self.modified = True

    def revoke(self) -> None:
        """End the session: the row goes and the cookie is cleared."""
        self.clear()
        self.revoked = True


def revoke_user_sessions(user_id: int) -> int:
    """Delete every session of one user (they are signed out everywhere). Returns how many."""
    result = db.session.execute(delete(StaffSession).where(StaffSession.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


def purge_expired(app: Flask) -> int:
    """Delete sessions past either timeout. Returns how many."""
    now = clock.utcnow()
    idle, absolute = _timeouts(app)
    result = db.session.execute(
        delete(StaffSession).where(
            (StaffSession.last_seen_at < now - idle) | (StaffSession.created_at < now - absolute)
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _timeouts(app: Flask) -> tuple[dt.timedelta, dt.timedelta]:
    return (
        dt.timedelta(minutes=app.config.get("STAFF_IDLE_MINUTES", 30)),
        dt.timedelta(hours=app.config.get("STAFF_ABSOLUTE_HOURS", 10)),
    )


def is_staff_path(path: str) -> bool:
    """Whether a request belongs to the staff surface."""
    return path == PREFIX or path.startswith(PREFIX + "/")


class StaffSessionInterface(SessionInterface):
    """Staff paths get server-side sessions; everything else keeps the respondent's cookie session."""

    def __init__(self, respondent: SessionInterface | None = None) -> None:
        self.respondent = respondent or SecureCookieSessionInterface()

    def __getattr__(self, name: str) -> Any:
        # Anything else (e.g. get_signing_serializer) is the respondent interface's.
        return getattr(self.respondent, name)

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        """Find the staff session for this cookie, ending it if it has timed out."""
        if not is_staff_path(request.path):
            return self.respondent.open_session(app, request)
        token = request.cookies.get(COOKIE)
        if not token:
            return StaffSessionData()
        row = db.session.get(StaffSession, hash_id(token))
        if row is None:
            return StaffSessionData()
        now = clock.utcnow()
        idle, absolute = _timeouts(app)
        expired = "idle" if row.last_seen_at < now - idle else "absolute" if row.created_at < now - absolute else ""
        if expired:
            was_signed_in = row.user_id is not None
            db.session.delete(row)
            db.session.flush()
            # Remembered in the fresh session so the sign-in page can say why it appeared.
            return StaffSessionData({"timed_out": expired} if was_signed_in else {})
        return StaffSessionData(dict(row.data or {}), token=token, created_at=row.created_at)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Store the staff session and commit the request's work (or roll it back after a server error)."""
        if not isinstance(session, StaffSessionData):
            self.respondent.save_session(app, session, response)
            return
        if response.status_code >= 500:
            db.session.rollback()
        if session._old_token:
            old = db.session.get(StaffSession, hash_id(session._old_token))
            if old is not None:
                db.session.delete(old)
        if session.revoked or (not session and not session.token):
            if session.token:
                row = db.session.get(StaffSession, hash_id(session.token))
                if row is not None:
                    db.session.delete(row)
            db.session.commit()
            if request_had_cookie(response, session):
                response.delete_cookie(
                    COOKIE,
                    path=PREFIX,
                    httponly=True,
                    samesite="Strict",
                    secure=app.config.get("SESSION_COOKIE_SECURE", True),
                )
            return
        now = clock.utcnow()
        if session.token is None:
            session.token = secrets.token_urlsafe(32)
            session.created_at = now
            row = StaffSession(id_hash=hash_id(session.token), created_at=now, last_seen_at=now, data={})
            db.session.add(row)
        else:
            row = db.session.get(StaffSession, hash_id(session.token))
            if row is None:  # revoked by another request (e.g. a password change) while this one ran
                db.session.commit()
                response.delete_cookie(COOKIE, path=PREFIX)
                return
        row.data = dict(session)
        user_id = session.get("_user_id")
        row.user_id = int(user_id) if user_id else None
        row.last_seen_at = now
        db.session.commit()
        # No Expires: the cookie goes when the browser closes; the server enforces the timeouts.
        response.set_cookie(
            COOKIE,
            session.token,
            path=PREFIX,
            httponly=True,
            samesite="Strict",
            secure=app.config.get("SESSION_COOKIE_SECURE", True),
        )
        response.vary.add("Cookie")


def request_had_cookie(response: Response, session: StaffSessionData) -> bool:
    """Whether there is a cookie worth clearing."""
    from flask import request

    return COOKIE in request.cookies or session.revoked
