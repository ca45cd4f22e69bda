"""Gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app` (after `flask db upgrade`).

Bind with `--bind 0.0.0.0:8000` (or set PORT); run behind a TLS-terminating proxy, because the
app sets cookies for HTTPS only in production.
"""

import multiprocessing
import os

# No access log, ever. Gunicorn's access log records each client's IP address and user agent beside
# the page they asked for (and when): on an anonymous survey that would tie a person, a device or a
# school's network to the moment an answer was sent. The proxy in front must be set up the same way.
accesslog = None
# ...and if someone adds --log-syslog, don't let gunicorn send the access log there instead.
disable_redirect_access_to_syslog = True

# Errors (start-up, crashes, worker timeouts) go to stderr for the process manager to keep. Level
# "info" on purpose: gunicorn's "debug" messages include client addresses ("Invalid request from ip=").
errorlog = "-"
loglevel = "info"

# Sync workers; 2 x cores + 1 is gunicorn's own advice (5 on our 2-core machines). Respondent pages
# are short database transactions, so a few processes keep up with a whole class submitting at once.
# WEB_CONCURRENCY overrides it, e.g. on a small shared host.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A slow request longer than this is a bug, not a respondent: kill and restart the worker.
timeout = 30
graceful_timeout = 30
# Recycle workers now and then, so a slow leak can never grow without limit.
max_requests = 2000
max_requests_jitter = 200
