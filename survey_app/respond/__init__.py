"""The public respondent surface: landing, questions, check your answers, thank you, help.

HTTP in, survey domain (survey_app.survey) calls, templates out. Each view owns its unit of work:
the services it calls only flush, and the view commits once its work succeeded, before it responds
(so answers are stored before the thank-you page). `bp` is the blueprint with every page already on
it (see routes.py); the app factory registers it.
"""

from survey_app.respond.routes import build_blueprint

bp = build_blueprint()

__all__ = ["bp"]
