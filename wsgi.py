"""WSGI entry point: `gunicorn -c gunicorn.conf.py wsgi:app` (configuration comes from the environment)."""

import sys

from survey_app import create_app
from survey_app.config import ConfigError

try:
    app = create_app()
except ConfigError as problem:
    # Refuse to start with the reason and nothing else: a traceback would bury it.
    sys.exit(f"Community Voice refuses to start: {problem}")
