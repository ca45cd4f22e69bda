"""The respondent blueprint, assembled in one place: every page's address, and the helpers every
respondent template uses. Endpoint names are the view functions' names (`respond.landing`, ...)."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import RouteCallable

from survey_app.respond import access, views, wording

GET = ["GET"]
GET_POST = ["GET", "POST"]
POST = ["POST"]

#: (address, view, methods) for every respondent page.
PAGES: tuple[tuple[str, RouteCallable, list[str]], ...] = (
    # the journey: landing, choosing a questionnaire, the questions, checking and sending
    ("/", views.landing, GET),
    ("/c/<slug>", views.campaign_link, GET),
    ("/choose", views.choose_again, GET),
    ("/start", views.start, GET_POST),
    ("/survey/intro", views.intro, GET),
    ("/survey/page/<page_key>", views.page, GET_POST),
    ("/survey/check", views.check, GET_POST),
    ("/survey/thank-you", views.thank_you, GET),
    ("/help", views.help_page, GET),
    ("/about-your-answers", views.privacy, GET),
    ("/accessibility", views.accessibility, GET),
    # ways in: codes, collection point links, kiosks for a class, save and come back later
    ("/code", access.enter_code, GET_POST),
    ("/p/<code>", access.point_link, GET),
    ("/kiosk/<code>", access.kiosk_setup, GET),
    ("/kiosk", access.kiosk_start, GET_POST),
    ("/kiosk/next", access.kiosk_next, GET),
    ("/kiosk/thank-you", access.kiosk_thanks, GET),
    ("/survey/save", access.save_for_later, POST),
    ("/exit", access.quick_exit, GET),
    ("/resume", access.resume_answers, GET_POST),
)


def build_blueprint() -> Blueprint:
    """The respondent blueprint with every page, its template helpers and its per-request language choice."""
    bp = Blueprint("respond", __name__)
    for rule, view, methods in PAGES:
        bp.add_url_rule(rule, view_func=view, methods=methods)
    # Offered app-wide: error pages shown outside this blueprint (a 404, a request too large) use the
    # respondent base template, and it needs them.
    bp.app_context_processor(wording.language_context)
    bp.app_context_processor(access.template_helpers)
    bp.app_context_processor(views.template_helpers)
    bp.before_app_request(wording.choose_locale_afresh)
    return bp
