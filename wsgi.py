"""WSGI entry point in a checkout: `flask --app wsgi ...`, `gunicorn -c gunicorn.conf.py wsgi:app`.

An installed package uses `survey_app.wsgi:app` (this file is not in the wheel).
"""

from survey_app.wsgi import app

__all__ = ["app"]
