"""The public respondent surface: landing, questions, check your answers, thank you, help."""

from flask import Blueprint

bp = Blueprint("respond", __name__)

# Importing the view modules registers their routes on bp.
from survey_app.respond import access, views  # noqa: E402,F401 - codes/kiosk/resume, and the journey
