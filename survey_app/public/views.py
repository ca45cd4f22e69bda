"""Public report pages: a published snapshot exactly as frozen, its downloads, and "You said, we did".

Only snapshots the lead chose to make public, and still published, are served; anything else is a
plain 404. These pages read no session and so set no cookie, fetch nothing from elsewhere, and keep
the respondent pages' content security policy (plus the hash of the report's own stylesheet).
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from flask import Blueprint, Response, abort, render_template
from sqlalchemy import select

from analysis.report.model import FindingsReport
from analysis.report.render import FORMATS, file_stem, media_type, render
from analysis.report.render_html import CSS
from survey_app.extensions import db
from survey_app.models.reports import PublishedReport
from survey_app.public.you_said import you_said_page
from survey_app.respond.support import services_for
from survey_app.respond.wording import language_context

bp = Blueprint("public", __name__, url_prefix="/reports")


@cache
def report_policy() -> str:
    """The respondent pages' policy, allowing the report's one inline stylesheet by its hash."""
    digest = base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode("ascii")
    return (
        f"default-src 'self'; style-src 'self' 'sha256-{digest}'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )


def _public_or_404(slug: str) -> FindingsReport:
    snapshot = db.session.scalar(
        select(PublishedReport).where(
            PublishedReport.slug == slug, PublishedReport.live.is_(True), PublishedReport.public.is_(True)
        )
    )
    if snapshot is None:
        abort(404)
    return FindingsReport.from_json(snapshot.snapshot)


@bp.get("/<slug>")
def report(slug: str) -> Response:
    """The published report's own HTML, as frozen when it was published."""
    response = Response(render(_public_or_404(slug), "html"), mimetype=media_type("html"))
    response.headers["Content-Security-Policy"] = report_policy()
    return response


@bp.get("/<slug>/download/<fmt>")
def report_download(slug: str, fmt: str) -> Response:
    """The published report in one format (HTML, PDF, Word, Excel or slides)."""
    if fmt not in FORMATS:
        abort(404)
    frozen = _public_or_404(slug)
    response = Response(render(frozen, fmt), mimetype=media_type(fmt))
    response.headers["Content-Disposition"] = f'attachment; filename="{file_stem(frozen)}.{fmt}"'
    return response


@bp.get("/<slug>/you-said-we-did")
def you_said(slug: str) -> str:
    """A short page for the children and young people who took part: what they said, what happens next."""
    frozen = _public_or_404(slug)
    return render_template(
        "public/you_said.html",
        page=you_said_page(frozen),
        slug=slug,
        formats=list(FORMATS),
        audience="young_people",
    )


@bp.context_processor
def _helpers() -> dict[str, object]:
    return {**language_context(), "services_for": services_for}
