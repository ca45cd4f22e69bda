"""The campaign list, each campaign's dashboard, and a school coordinator's own collection points."""

from __future__ import annotations

from collections import Counter

from flask import render_template
from sqlalchemy import func, select

from analysis.disclosure import protect_counts
from survey_app.extensions import db
from survey_app.models.responses import Response
from survey_app.staff import bp
from survey_app.staff.auth import (
    DASHBOARD_ROLES,
    audit,
    campaign_for_user_or_404,
    current_partnership_campaigns,
    login_required,
    role_required,
    staff_user,
)
from survey_app.staff.dashboard import build_dashboard


@bp.get("/")
@login_required
def home() -> str:
    """The partnership's campaigns, with what this role can open for each."""
    campaigns = current_partnership_campaigns()
    counts = dict(
        db.session.execute(
            select(Response.campaign_id, func.count())
            .where(Response.campaign_id.in_([c.id for c in campaigns]))
            .group_by(Response.campaign_id)
        ).all()
    )
    protected = {c.id: protect_counts({"responses": counts.get(c.id, 0)}).total for c in campaigns}
    return render_template(
        "staff/home.html", campaigns=campaigns, counts=protected, user=staff_user(), dashboard_roles=DASHBOARD_ROLES
    )


@bp.get("/campaigns/<int:campaign_id>/dashboard")
@role_required(*DASHBOARD_ROLES)
def dashboard(campaign_id: int) -> str:
    """How the campaign is filling up: every count disclosure-controlled."""
    campaign = campaign_for_user_or_404(campaign_id)
    board = build_dashboard(campaign)
    audit("dashboard_viewed", f"campaign:{campaign.id}")
    return render_template("staff/dashboard.html", campaign=campaign, board=board)


@bp.get("/my-collection-points")
@role_required("school_coordinator")
def my_points() -> str:
    """A school coordinator's own collection points and how many responses each has (protected)."""
    user = staff_user()
    points = sorted(user.collection_points, key=lambda p: p.name)
    counts = Counter(
        dict(
            db.session.execute(
                select(Response.collection_point_id, func.count())
                .where(Response.collection_point_id.in_([p.id for p in points]))
                .group_by(Response.collection_point_id)
            ).all()
        )
    )
    rows = [(p, protect_counts({"responses": counts[p.id]}).total) for p in points]
    return render_template("staff/my_points.html", rows=rows)
