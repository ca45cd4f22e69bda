"""WSGI entry point: `gunicorn -c python:survey_app.gunicorn_conf survey_app.wsgi:app` (settings from the environment)."""

import sys

from survey_app import create_app
from survey_app.config import ConfigError

#: gunicorn's exit code for "worker failed to boot": the master then stops, instead of starting
#: workers that cannot start over and over
WORKER_BOOT_ERROR = 3

try:
    app = create_app()
except ConfigError as problem:
    # Refuse to start with the reason and nothing else: a traceback would bury it.
    print(f"Community Voice refuses to start: {problem}", file=sys.stderr)
    raise SystemExit(WORKER_BOOT_ERROR) from None
