"""The public respondent surface: landing, questions, check your answers, thank you, help."""

from flask import Blueprint

bp = Blueprint("respond", __name__)

from survey_app.respond import views  # noqa: E402,F401 - registers the routes on bp
