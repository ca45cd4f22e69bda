"""The staff workspace's clock, in one place so tests can move time instead of waiting for it."""

from __future__ import annotations

import datetime as dt


def utcnow() -> dt.datetime:
    """Now, in UTC, without a time zone (as stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def today() -> dt.date:
    """Today's date (UTC)."""
    return utcnow().date()
