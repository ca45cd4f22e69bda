"""Error pages: a respondent who meets an error keeps the quick exit and the help link.

Respondent error pages extend the respondent base, so "Leave this site quickly" and "Get help" are
on them as on every other page; staff addresses get the workspace's own error page. If even the
respondent base cannot be drawn (the error came from the template or the database it needs), a plain
page that still has both links is sent instead, so an error never leaves a child without a way out.
"""

from __future__ import annotations

import logging

from flask import Flask, render_template, request, url_for
from markupsafe import escape
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

log = logging.getLogger(__name__)


def register_error_pages(app: Flask) -> None:
    """Kind pages for a missing page, a refused method, a too-large form and a server error."""
    app.register_error_handler(404, _not_found)
    app.register_error_handler(405, _not_found)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(500, _server_error)


def _is_staff() -> bool:
    return request.path.startswith("/staff/") or request.path == "/staff"


def _not_found(error: HTTPException) -> tuple[str, int]:
    code = error.code or 404
    if _is_staff():
        return render_template(
            "staff/error.html",
            title="Page not found",
            message="There is nothing here, or it belongs to another partnership.",
        ), code
    return _respondent_page("errors/not_found.html", code)


def _too_large(error: RequestEntityTooLarge) -> tuple[str, int]:
    """A kind page for a form or file bigger than the app takes."""
    from survey_app import request_config

    if _is_staff():
        limit = request_config().max_upload_bytes // (1024 * 1024)
        return render_template(
            "staff/error.html",
            title="That file is too big",
            message=f"Files up to {limit} MB can be uploaded. Split the file into smaller ones and upload each.",
        ), 413
    return _respondent_page("errors/too_large.html", 413)


def _server_error(error: Exception) -> tuple[str, int]:
    # Flask has already logged the exception with its traceback (no request data, no address).
    if _is_staff():
        try:
            return render_template(
                "staff/error.html",
                title="Something went wrong",
                message="The page could not be shown. Nothing you saved before this is lost. Try again in a minute.",
            ), 500
        except Exception:  # noqa: BLE001 - the plain page below is the last resort
            log.exception("The staff error page could not be drawn either")
            return _plain_page(), 500
    return _respondent_page("errors/server_error.html", 500)


def _respondent_page(template: str, code: int) -> tuple[str, int]:
    try:
        return render_template(template), code
    except Exception:  # noqa: BLE001 - the plain page below is the last resort
        log.exception("A respondent error page could not be drawn; sent the plain one")
        return _plain_page(), code


def _plain_page() -> str:
    """Both ways out, with nothing that could fail: no template, no database, no translation."""
    try:
        exit_url, help_url = url_for("respond.quick_exit"), url_for("respond.help_page")
    except Exception:  # noqa: BLE001 - fixed paths if even routing is unavailable
        exit_url, help_url = "/exit", "/help"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Something went wrong – Community Voice</title></head><body>"
        f'<p><a href="{escape(exit_url)}" rel="noreferrer">Leave this site quickly</a> · '
        f'<a href="{escape(help_url)}">Get help</a></p>'
        "<h1>Something went wrong</h1>"
        "<p>This page could not be shown. Please try again in a minute. In an emergency, call 999.</p>"
        "</body></html>"
    )
