"""A site-wide limit on wrong codes that never knows who is typing.

A school's pupils share one IP address, so limits by address would block a whole school and would
mean keeping addresses. Instead each wrong code counts against a *bucket* — a keyed hash of the
code's kind and its first word or characters — for the current hour. Guessing at random spreads
over every bucket and quickly runs into the limit in each; someone with a real code is blocked
only if their own bucket is being flooded, and then only for the rest of the hour.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from flask import current_app
from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.exc import IntegrityError

from survey_app.extensions import db
from survey_app.models import CodeThrottle


def bucket_for(kind: str, start: str) -> str:
    """The bucket a code falls in: a short keyed hash, so the table never holds code fragments."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, f"{kind}:{start}".encode(), hashlib.sha256).hexdigest()
    return f"{kind[:1]}{digest[:12]}"


def current_window() -> int:
    """Hours since 1970: the throttle's window, never stored beside any answer."""
    return int(time.time() // 3600)


def is_blocked(bucket: str, limit: int) -> bool:
    """Whether this bucket has had `limit` wrong codes this hour (each kind of code has its own limit)."""
    failures = db.session.scalar(select(CodeThrottle.failures).filter_by(bucket=bucket, window=current_window()))
    return (failures or 0) >= limit


def record_failure(bucket: str) -> None:
    """Count one wrong code in this bucket for this hour (flushes; the request commits)."""
    window = current_window()
    db.session.execute(delete(CodeThrottle).where(CodeThrottle.window < window - 24))  # a day is plenty
    changed: CursorResult = db.session.execute(  # type: ignore[assignment]  # an UPDATE gives a CursorResult
        update(CodeThrottle).filter_by(bucket=bucket, window=window).values(failures=CodeThrottle.failures + 1)
    )
    if not changed.rowcount:
        try:
            with db.session.begin_nested():
                db.session.add(CodeThrottle(bucket=bucket, window=window, failures=1))
        except IntegrityError:  # another request made the row first: count on it instead
            db.session.execute(
                update(CodeThrottle).filter_by(bucket=bucket, window=window).values(failures=CodeThrottle.failures + 1)
            )
