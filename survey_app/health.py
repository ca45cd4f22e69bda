"""`GET /healthz`: whether this app server can answer, for a load balancer or a monitoring check.

It reads nothing from the request and touches no session, so it sets no cookie; it asks the database
the cheapest question there is, so a server whose database is gone is taken out of rotation. It is
an ordinary route: the host check (TRUSTED_HOSTS), the proxy rules and the privacy headers apply to
it as to every page, and nothing about who asked is logged.
"""

from __future__ import annotations

import logging

from flask import Flask, Response
from sqlalchemy import text

from survey_app.extensions import db

log = logging.getLogger(__name__)


def healthz() -> Response:
    """200 "ok" when the database answers a trivial query, else 503."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the database means: not ready
        db.session.rollback()
        # The exception's kind only: its text can name the database host and user.
        log.warning("Health check: the database did not answer (%s)", type(exc).__name__)
        return Response("database unavailable\n", status=503, mimetype="text/plain")
    return Response("ok\n", status=200, mimetype="text/plain")


def init_health(app: Flask) -> None:
    """Register the health check outside every blueprint: it belongs to no surface."""
    app.add_url_rule("/healthz", "healthz", healthz, methods=["GET"])
