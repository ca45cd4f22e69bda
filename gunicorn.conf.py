"""Gunicorn settings in a checkout: `gunicorn -c gunicorn.conf.py wsgi:app`.

The settings live in the package (survey_app/gunicorn_conf.py) so an installed wheel has them too:
`gunicorn -c python:survey_app.gunicorn_conf survey_app.wsgi:app`.
"""

from survey_app.gunicorn_conf import *  # noqa: F403 - gunicorn reads this module's names as its settings
