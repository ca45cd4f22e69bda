"""Throttle counters shared by every app server, and the site-wide limit on wrong codes.

Every throttle in the app (wrong session or poster codes, wrong save-and-resume words, staff
sign-in attempts) counts through `hit`: one atomic step that adds to a counter for the current
hour and returns the new total, so two servers, or two requests at once, can never both see the
same count. With `REDIS_URL` set the counters live in Redis (INCRBY with an expiry); otherwise in
the `code_throttle` table (one INSERT ... ON CONFLICT DO UPDATE ... RETURNING, on SQLite and
PostgreSQL alike). If Redis cannot be reached a counter falls back to the database for that call,
so a page never fails because of a throttle. Counter names are keyed hashes: neither store ever
holds a code, an email address or a client address in clear.

Wrong codes: a school's pupils share one IP address, so limits by address would block a whole
school and would mean keeping addresses. Instead each wrong code counts against a *bucket* (a
keyed hash of the code's kind and its first word or characters) for the current hour. Guessing at
random spreads over every bucket and quickly runs into the limit in each; someone with a real code
is blocked only if their own bucket is being flooded, and then only for the rest of the hour.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app
from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from survey_app.extensions import db
from survey_app.models import CodeThrottle

log = logging.getLogger(__name__)

#: hours a counter is kept at most: only the current hour's counts are ever read, and a counter about
#: a staff sign-in holds a (keyed) hash of a client address, which is kept no longer than it is useful
#: (Redis expires it; the table is swept whenever a new hour's first count is written)
KEEP_HOURS = 2
REDIS_PREFIX = "cv:throttle:"


def keyed_hash(*parts: str, length: int = 20) -> str:
    """A short keyed hash (HMAC with the secret key) of what a counter is about: the name says nothing
    to someone who reads the table or Redis without the key, and no other site's hashes match."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()[:length]


def bucket_for(kind: str, start: str) -> str:
    """The bucket a code falls in: a short keyed hash, so the table never holds code fragments."""
    return f"{kind[:1]}{keyed_hash(kind, start, length=12)}"


def current_window() -> int:
    """Hours since 1970: the throttle's window, never stored beside any answer."""
    return int(time.time() // 3600)


def hit(name: str, window: int, amount: int = 1) -> int:
    """Add `amount` to the counter `name` for `window` (an hour since 1970) and return the new total,
    atomically, whichever server asks. `name` is at most 24 characters (a keyed hash)."""
    client = redis_client()
    if client is not None:
        try:
            key = f"{REDIS_PREFIX}{name}:{window}"
            with client.pipeline(transaction=True) as pipe:
                pipe.incrby(key, amount)
                pipe.expire(key, KEEP_HOURS * 3600)
                total, _ = pipe.execute()
            return int(total)
        except Exception as exc:  # noqa: BLE001 - any Redis failure: count in the database instead
            _redis_failed(exc)
    return _database_hit(name, window, amount)


def count(name: str, window: int) -> int:
    """The counter's total for `window`, without adding to it."""
    client = redis_client()
    if client is not None:
        try:
            value = client.get(f"{REDIS_PREFIX}{name}:{window}")
            return int(value or 0)
        except Exception as exc:  # noqa: BLE001 - any Redis failure: read the database instead
            _redis_failed(exc)
    with db.engine.connect() as connection:
        found = connection.scalar(select(CodeThrottle.failures).filter_by(bucket=name, window=window))
    return int(found or 0)


def reset(name: str, window: int) -> None:
    """Forget the counter for `window` (after a success that should not count against anyone)."""
    client = redis_client()
    if client is not None:
        try:
            client.delete(f"{REDIS_PREFIX}{name}:{window}")
        except Exception as exc:  # noqa: BLE001 - any Redis failure: the database row is cleared anyway
            _redis_failed(exc)
    with _writer() as connection:
        connection.execute(delete(CodeThrottle).filter_by(bucket=name, window=window))


def forget(prefix: str) -> int:
    """Delete every counter whose name starts with `prefix`, in every hour, in Redis and the database;
    returns how many there were (an administrator lifting a pause, not a page)."""
    removed = 0
    client = redis_client()
    if client is not None:
        try:
            keys = list(client.scan_iter(match=f"{REDIS_PREFIX}{prefix}*", count=1000))
            removed += int(client.delete(*keys)) if keys else 0
        except Exception as exc:  # noqa: BLE001 - any Redis failure: say so, and clear the database anyway
            log.warning("Redis unavailable (%s): its counters were not cleared", type(exc).__name__)
    with _writer() as connection:
        result = connection.execute(delete(CodeThrottle).where(CodeThrottle.bucket.startswith(prefix, autoescape=True)))
        removed += result.rowcount
    return removed


def is_blocked(bucket: str, limit: int) -> bool:
    """Whether this bucket has had `limit` wrong codes this hour (each kind of code has its own limit)."""
    return count(bucket, current_window()) >= limit


def record_failure(bucket: str) -> None:
    """Count one wrong code in this bucket for this hour (stored at once, in its own transaction)."""
    hit(bucket, current_window())


def _database_hit(name: str, window: int, amount: int) -> int:
    table = CodeThrottle.__table__
    with _writer() as connection:
        dialect: Any = postgresql if connection.dialect.name == "postgresql" else sqlite
        statement = (
            dialect.insert(table)
            .values(bucket=name, window=window, failures=amount)
            .on_conflict_do_update(
                index_elements=[table.c.bucket, table.c.window],
                set_={"failures": table.c.failures + amount},
            )
            .returning(table.c.failures)
        )
        total = int(connection.execute(statement).scalar_one())
        if total == amount:  # the first count in this window: sweep windows nobody needs any more
            connection.execute(delete(CodeThrottle).where(CodeThrottle.window < window - KEEP_HOURS))
    return total


@contextmanager
def _writer() -> Iterator[Connection]:
    """Where a counter is written: its own short transaction, as a Redis INCR would be, so the count
    stands even if the request's own work is rolled back and no row lock is held while the request
    goes on (e.g. hashing a password). Except on SQLite when the request already holds the database's
    one write lock: another connection would wait for it until it timed out, so the counter joins
    the request's transaction and is committed with it."""
    if db.session().in_transaction():
        session_connection = db.session.connection()
        if session_connection.dialect.name == "sqlite":
            raw = session_connection.connection.dbapi_connection
            if getattr(raw, "in_transaction", False):  # pysqlite: a write has begun
                yield session_connection
                return
    with db.engine.begin() as connection:
        yield connection


def redis_client() -> Any:
    """This app's Redis client (one connection pool per process), or None when REDIS_URL is not set."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("community_voice_redis")
    if client is None:
        import redis  # only where Redis is configured

        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30)
        current_app.extensions["community_voice_redis"] = client
    return client


def _redis_failed(exc: Exception) -> None:
    # The exception's text names the Redis host at most; never a counter's meaning.
    log.warning("Redis unavailable (%s): counting in the database instead", type(exc).__name__)
