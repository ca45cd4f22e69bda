"""WSGI entry point: `gunicorn wsgi:app` (configuration comes from the environment)."""

from survey_app import create_app

app = create_app()
