"""Gunicorn settings for production: `gunicorn -c python:survey_app.gunicorn_conf survey_app.wsgi:app` (after `flask db upgrade`).

Bind with `--bind 0.0.0.0:8000` (or set PORT); run behind a TLS-terminating proxy, because the
app sets cookies for HTTPS only in production (and set TRUSTED_PROXY_HOPS, see docs/configuration.md).
"""

import ipaddress
import logging
import multiprocessing
import os
import re
import sys
from typing import Any

from gunicorn.glogging import Logger

# No access log, ever. Gunicorn's access log records each client's IP address and user agent beside
# the page they asked for (and when): on an anonymous survey that would tie a person, a device or a
# school's network to the moment an answer was sent. The proxy in front must be set up the same way.
accesslog = None
# ...and if someone adds --log-syslog, don't let gunicorn send the access log there instead.
disable_redirect_access_to_syslog = True

# Errors (start-up, crashes, worker timeouts) go to stderr for the process manager to keep. Level
# "info" on purpose: gunicorn's "debug" messages say more about each connection.
errorlog = "-"
loglevel = "info"

#: anything that might be an IP address (checked with ipaddress before it is removed)
ADDRESS_LIKE = re.compile(r"[0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*")
HIDDEN = "[address not logged]"


def without_addresses(text: str) -> str:
    """The text with every IPv4 and IPv6 address replaced."""

    def hide(match: re.Match[str]) -> str:
        token = match.group(0).rstrip(".:")  # "ip=203.0.113.9: ..." ends the address with a colon
        # an address on its own, or an IPv4 address with a port after it ("203.0.113.9:51234")
        for candidate in (token, token.lstrip("."), token.rsplit(":", 1)[0]):
            try:
                ipaddress.ip_address(candidate)
            except ValueError:
                continue
            return match.group(0).replace(candidate, HIDDEN)
        return match.group(0)

    return ADDRESS_LIKE.sub(hide, text)


class NoClientAddress(logging.Filter):
    """Rewrites each record so no IP address reaches the log.

    Gunicorn warns "Invalid request from ip=<client address>: ..." for every malformed request, and
    some of its errors quote a proxy line or header holding addresses. The record is kept (it says
    what went wrong), the address is not.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = without_addresses(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = without_addresses(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = without_addresses(record.exc_text)
        return True


class PrivateLogger(Logger):
    """Gunicorn's logger with the access log switched off for good and addresses kept out of the error log."""

    def setup(self, cfg: Any) -> None:
        """Gunicorn's own set-up, then the address filter on every handler of its error log."""
        super().setup(cfg)
        for handler in self.error_log.handlers:
            if not any(isinstance(f, NoClientAddress) for f in handler.filters):
                handler.addFilter(NoClientAddress())

    @property
    def access_log_enabled(self) -> bool:
        """Never: gunicorn then builds no access record at all."""
        return False

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        """Write nothing, whatever another setting says."""
        return None


logger_class = PrivateLogger

# Sync workers; 2 x cores + 1 is gunicorn's own advice (5 on our 2-core machines). Respondent pages
# are short database transactions that wait on the disk or the database for part of their time, so a
# few more processes than cores keep the cores busy; one thread each, so a worker is one request.
# WEB_CONCURRENCY overrides it, e.g. on a small shared host.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
threads = 1
# Build the app once in the master and fork the workers from it: a new or recycled worker starts in
# milliseconds instead of importing and building everything again (seconds of CPU taken from the
# workers still serving), and the code's memory is shared between workers until written to.
preload_app = True
# A slow request longer than this is a bug, not a respondent: kill and restart the worker.
timeout = 30
graceful_timeout = 30
# Recycle workers now and then, so a slow leak can never grow without limit. Workers share the load
# evenly, so without a wide jitter they all reach the limit together and restart at the same moment
# in the middle of a busy lesson; half the limit spreads the restarts out.
max_requests = 5000
max_requests_jitter = 2500
# No control socket (gunicorn 25.1 and later). By default it lives at one fixed path per user
# ($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl), so two app servers on one host would
# fight over it, and a service account without a home directory gets a warning at every start. The
# servers are run by a service manager and its signals; older gunicorns ignore the setting.
control_socket_disable = True


def post_fork(server: Any, worker: Any) -> None:
    """Each worker opens its own database connections: a connection made in the master before the
    fork must never be shared by two processes, so the copy each worker inherited is let go of."""
    wsgi = sys.modules.get("survey_app.wsgi")
    app = getattr(wsgi, "app", None)
    if app is None:
        return
    from survey_app.extensions import db  # noqa: PLC0415 - only once the app exists

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
