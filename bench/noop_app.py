"""The ceiling for bench/load.py: a Flask app that does nothing, served with the same gunicorn settings.

    PYTHONPATH=. gunicorn -c python:survey_app.gunicorn_conf bench.noop_app:app

Its request rate is the most any Flask page could reach on this machine at that moment, so the
survey's own rate is reported as a share of it (the machine is shared; absolute rates wander).
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def noop() -> str:
    """Nothing at all."""
    return "ok"
