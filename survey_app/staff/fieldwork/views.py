"""The campaign list, each campaign's dashboard, and a school coordinator's own collection points."""

from __future__ import annotations

from flask import Blueprint, render_template

from survey_app.extensions import db
from survey_app.staff.auth import (
    DASHBOARD_ROLES,
    audit,
    campaign_for_user_or_404,
    current_partnership_campaigns,
    login_required,
    role_required,
    staff_user,
)
from survey_app.staff.fieldwork.counts import responses_per_campaign, responses_per_point
from survey_app.staff.fieldwork.dashboard import build_dashboard


@login_required
def home() -> str:
    """The partnership's campaigns, with what this role can open for each."""
    campaigns = current_partnership_campaigns()
    return render_template(
        "staff/home.html",
        campaigns=campaigns,
        counts=responses_per_campaign(campaigns),
        user=staff_user(),
        dashboard_roles=DASHBOARD_ROLES,
    )


@role_required(*DASHBOARD_ROLES)
def dashboard(campaign_id: int) -> str:
    """How the campaign is filling up: every count disclosure-controlled."""
    campaign = campaign_for_user_or_404(campaign_id)
    audit("dashboard_viewed", f"campaign:{campaign.id}")
    page = render_template("staff/dashboard.html", campaign=campaign, board=build_dashboard(campaign))
    db.session.commit()
    return page


@role_required("school_coordinator")
def my_points() -> str:
    """A school coordinator's own collection points and how many responses each has (protected)."""
    points = sorted(staff_user().collection_points, key=lambda p: p.name)
    return render_template("staff/my_points.html", rows=responses_per_point(points))


def register(bp: Blueprint) -> None:
    """Add the campaign list, dashboards and a coordinator's points to the staff blueprint."""
    bp.add_url_rule("/", view_func=home, methods=["GET"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/dashboard", view_func=dashboard, methods=["GET"])
    bp.add_url_rule("/my-collection-points", view_func=my_points, methods=["GET"])
