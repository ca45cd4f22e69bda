"""An administrator's export of a campaign's data, and deleting a campaign with all its answers."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for

from survey_app.extensions import db
from survey_app.staff import clock
from survey_app.staff.auth import audit, campaign_for_user_or_404, role_required
from survey_app.staff.data.export import campaign_csv, campaign_json
from survey_app.staff.data.forms import DeleteCampaignForm
from survey_app.staff.data.retention import delete_campaign
from survey_app.staff.web import View

ADMIN = "administrator"


@role_required(ADMIN)
def campaign_export(campaign_id: int, fmt: str) -> Response:
    """All of the campaign's data as a download (audited)."""
    campaign = campaign_for_user_or_404(campaign_id)
    body = campaign_csv(campaign) if fmt == "csv" else campaign_json(campaign)
    audit("export", f"campaign:{campaign.id}", format=fmt, bytes=len(body.encode()))
    db.session.commit()
    mimetype = "text/csv" if fmt == "csv" else "application/json"
    return Response(
        body,
        mimetype=f"{mimetype}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{campaign.slug}-{clock.today().isoformat()}.{fmt}"'},
    )


@role_required(ADMIN)
def campaign_delete(campaign_id: int) -> View:
    """Delete a campaign and all its answers, after typing its short name to confirm."""
    campaign = campaign_for_user_or_404(campaign_id)
    form = DeleteCampaignForm(campaign)
    if not form.is_submitted():
        return render_template("staff/campaign_delete.html", campaign=campaign, form={}, errors={})
    if not form.validate():
        return render_template(
            "staff/campaign_delete.html", campaign=campaign, form=form.values(), errors=form.problems()
        ), 400
    slug, name, cid = campaign.slug, campaign.name, campaign.id
    counts = delete_campaign(campaign)
    audit(
        "campaign_deleted",
        f"campaign:{cid}",
        slug=slug,
        responses=counts["responses"],
        drafts=counts["drafts"],
        collection_points=counts["collection_points"],
    )
    db.session.commit()
    flash(f"{name} and all its answers have been deleted.", "success")
    return redirect(url_for("staff.home"))


def register(bp: Blueprint) -> None:
    """Add this feature's pages to the staff blueprint."""
    bp.add_url_rule(
        "/campaigns/<int:campaign_id>/export.<any(csv, json):fmt>", view_func=campaign_export, methods=["GET"]
    )
    bp.add_url_rule("/campaigns/<int:campaign_id>/delete", methods=["GET", "POST"], view_func=campaign_delete)
