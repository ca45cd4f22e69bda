"""Server-side staff sessions in their own cookie, separate from the respondent's.

Respondent pages keep Flask's signed `cv_respondent` cookie. A staff session that belongs to someone
(signed in, or half-way through signing in) is stored in the `staff_session` table, found by a random
id held in the `cv_staff` cookie (only its SHA-256 is stored). Because the server holds the session:

- signing out deletes the row, so a copied cookie is useless afterwards;
- changing a password deletes every session of that user (other browsers are signed out) and gives
  the current browser a fresh id;
- idle and absolute timeouts are enforced here on every request, from the row's times.

Before anyone signs in there is nothing worth a row: what a visitor's session holds (the sign-in
form's CSRF token, a message to show) travels in the signed `cv_staff_visitor` cookie instead, so
anonymous requests never write to the database.

Both cookies are path-limited to /staff, HttpOnly, SameSite=Strict and (in production) Secure, and the
respondent cookie is never read or written on staff pages, so the two surfaces cannot leak into each
other. The store reads and writes its row through its own connection and transaction: it never
commits, rolls back or sees the request's own work, which the view commits (docs/transactions.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from flask import Flask, Request, Response, request
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface, SessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import Connection, delete, insert, select, update
from werkzeug.datastructures import CallbackDict

from survey_app.extensions import db
from survey_app.models.staff import StaffSession
from survey_app.staff import clock

COOKIE = "cv_staff"
VISITOR_COOKIE = "cv_staff_visitor"
PREFIX = "/staff"
#: Session keys that mean the session is someone's: only then is a row kept on the server.
PERSON_KEYS = ("_user_id", "pending_user_id")


def hash_id(token: str) -> str:
    """What the table stores for a cookie's session id."""
    return hashlib.sha256(token.encode()).hexdigest()


class StaffSessionData(CallbackDict, SessionMixin):
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

    def belongs_to_someone(self) -> bool:
        """Whether the session names a user (signed in, or between the two sign-in steps)."""
        return any(self.get(key) for key in PERSON_KEYS)


def revoke_user_sessions(user_id: int) -> int:
    """Delete every session of one user (they are signed out everywhere), in the caller's transaction."""
    result = db.session.execute(delete(StaffSession).where(StaffSession.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


def purge_expired(app: Flask) -> int:
    """Delete sessions past either timeout, in the caller's transaction. Returns how many."""
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
        dt.timedelta(minutes=app.config["STAFF_IDLE_MINUTES"]),
        dt.timedelta(hours=app.config["STAFF_ABSOLUTE_HOURS"]),
    )


def is_staff_path(path: str) -> bool:
    """Whether a request belongs to the staff surface."""
    return path == PREFIX or path.startswith(PREFIX + "/")


def _visitor_serializer(app: Flask) -> URLSafeTimedSerializer:
    # Its own salt: a respondent cookie can never be replayed as a staff one, or the other way round.
    return URLSafeTimedSerializer(
        app.secret_key or "", salt="cv-staff-visitor", serializer=TaggedJSONSerializer(), signer_kwargs={}
    )


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
        if token:
            with db.engine.connect() as connection:
                row = connection.execute(
                    select(
                        StaffSession.user_id, StaffSession.data, StaffSession.created_at, StaffSession.last_seen_at
                    ).where(StaffSession.id_hash == hash_id(token))
                ).first()
            if row is not None:
                now = clock.utcnow()
                idle, absolute = _timeouts(app)
                expired = (
                    "idle" if row.last_seen_at < now - idle else "absolute" if row.created_at < now - absolute else ""
                )
                if not expired:
                    return StaffSessionData(dict(row.data or {}), token=token, created_at=row.created_at)
                with db.engine.begin() as connection:
                    connection.execute(delete(StaffSession).where(StaffSession.id_hash == hash_id(token)))
                # Remembered in the fresh session so the sign-in page can say why it appeared.
                return StaffSessionData({"timed_out": expired} if row.user_id is not None else {})
        visitor = request.cookies.get(VISITOR_COOKIE)
        if visitor:
            idle, _ = _timeouts(app)
            try:
                return StaffSessionData(
                    dict(_visitor_serializer(app).loads(visitor, max_age=int(idle.total_seconds())))
                )
            except BadSignature:
                pass
        return StaffSessionData()

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Store the staff session: its own row (in its own transaction) once it is someone's, else a signed cookie."""
        if not isinstance(session, StaffSessionData):
            self.respondent.save_session(app, session, response)
            return
        had_cookie = COOKIE in request.cookies
        if session._old_token or session.revoked or session.token or session.belongs_to_someone():
            with db.engine.begin() as connection:
                self._store_row(connection, session)
        cookie = {
            "path": PREFIX,
            "httponly": True,
            "samesite": "Strict",
            "secure": app.config.get("SESSION_COOKIE_SECURE", True),
        }
        if session.token:
            # No Expires: the cookie goes when the browser closes; the server enforces the timeouts.
            response.set_cookie(COOKIE, session.token, **cookie)
        elif had_cookie:
            response.delete_cookie(COOKIE, **cookie)
        visitor = {} if session.token else {k: v for k, v in session.items() if k not in PERSON_KEYS}
        if visitor:
            response.set_cookie(VISITOR_COOKIE, _visitor_serializer(app).dumps(visitor), **cookie)
        elif VISITOR_COOKIE in request.cookies:
            response.delete_cookie(VISITOR_COOKIE, **cookie)
        response.vary.add("Cookie")

    @staticmethod
    def _store_row(connection: Connection, session: StaffSessionData) -> None:
        now = clock.utcnow()
        if session._old_token:
            connection.execute(delete(StaffSession).where(StaffSession.id_hash == hash_id(session._old_token)))
        if session.revoked:
            if session.token:
                connection.execute(delete(StaffSession).where(StaffSession.id_hash == hash_id(session.token)))
            session.token = None
            return
        user_id = session.get("_user_id")
        values = {"data": dict(session), "user_id": int(user_id) if user_id else None, "last_seen_at": now}
        if session.token is None:
            session.token = secrets.token_urlsafe(32)
            session.created_at = now
            connection.execute(insert(StaffSession).values(id_hash=hash_id(session.token), created_at=now, **values))
            return
        if not session.modified:
            # A request that changed nothing (a slow report preview, say) only marks the session as
            # used. Writing back the data it read when it began would undo what a request that ended
            # meanwhile stored, such as "Report published." waiting to be shown.
            del values["data"], values["user_id"]
        updated = connection.execute(
            update(StaffSession).where(StaffSession.id_hash == hash_id(session.token)).values(**values)
        )
        if not updated.rowcount:  # revoked by another request (e.g. a password change) while this one ran
            session.token = None
            session.clear()  # nothing of a revoked session moves into the visitor cookie
