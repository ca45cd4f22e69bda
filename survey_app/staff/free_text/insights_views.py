"""Free text at a glance: how far coding has got, every theme by audience, sentiment tables and word
clouds (aggregates only, from redacted text)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask import Response as FlaskResponse

from analysis.text.records import DEFAULT_THRESHOLD
from survey_app.extensions import db
from survey_app.staff.auth import DASHBOARD_ROLES, audit, campaign_for_user_or_404, role_required
from survey_app.staff.free_text.insights import GROUPINGS
from survey_app.staff.free_text.insights_page import cloud_image, text_page


@role_required(*DASHBOARD_ROLES)
def text_insights(campaign_id: int) -> str:
    """Sentiment by theme and audience, and word clouds, all from redacted text and disclosure-controlled."""
    campaign = campaign_for_user_or_404(campaign_id)
    by = request.args.get("by", "theme")
    by = by if by in GROUPINGS else "theme"
    shown = text_page(campaign)
    audit("text_insights_viewed", f"campaign:{campaign.id}", by=by)
    page = render_template(
        "staff/free_text/text_insights.html",
        campaign=campaign,
        by=by,
        progress=shown.progress,
        sentiment=shown.sentiment,
        clouds=shown.clouds[by],
        threshold=DEFAULT_THRESHOLD,
        answers=shown.progress.answers,
    )
    db.session.commit()
    return page


def _cloud_response(campaign_id: int, by: str, group: str, fmt: str) -> FlaskResponse:
    campaign = campaign_for_user_or_404(campaign_id)
    if by not in GROUPINGS:
        abort(404)
    image = cloud_image(campaign, by, group)
    if image is None:  # too few answers to draw, or no word used often enough
        abort(404)
    audit("wordcloud_downloaded", f"campaign:{campaign.id}", by=by, group=group, format=fmt)
    db.session.commit()
    if fmt == "png":
        response = FlaskResponse(image.png, mimetype="image/png")
    else:
        response = FlaskResponse(image.svg, mimetype="image/svg+xml")
        # The SVG carries its own font (a data: URL in a <style>); allow exactly that and nothing else.
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; font-src data:; frame-ancestors 'none'"
        )
    if request.args.get("download"):
        response.headers["Content-Disposition"] = f'attachment; filename="wordcloud-{by}-{group}.{fmt}"'
    return response


@role_required(*DASHBOARD_ROLES)
def text_wordcloud_png(campaign_id: int, by: str, group: str) -> FlaskResponse:
    """One theme's or audience's word cloud as PNG (refused for groups under the threshold)."""
    return _cloud_response(campaign_id, by, group, "png")


@role_required(*DASHBOARD_ROLES)
def text_wordcloud_svg(campaign_id: int, by: str, group: str) -> FlaskResponse:
    """One theme's or audience's word cloud as SVG, with its font embedded (refused for small groups)."""
    return _cloud_response(campaign_id, by, group, "svg")


def register(bp: Blueprint) -> None:
    """Add this feature's pages to the staff blueprint."""
    bp.add_url_rule("/campaigns/<int:campaign_id>/text", view_func=text_insights, methods=["GET"])
    bp.add_url_rule(
        "/campaigns/<int:campaign_id>/text/wordcloud/<by>/<group>.png", view_func=text_wordcloud_png, methods=["GET"]
    )
    bp.add_url_rule(
        "/campaigns/<int:campaign_id>/text/wordcloud/<by>/<group>.svg", view_func=text_wordcloud_svg, methods=["GET"]
    )
