"""Setting up a campaign (name, dates, questionnaires, areas, retention and targets) and its
collection points.

The work is done by survey_app.campaigns; these views check who may do it (survey_app.staff.auth),
write the audit log, commit, and show the results.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from survey_app.campaigns.codes import display
from survey_app.campaigns.setup import KIND_LABELS, SetupError, add_collection_point, create_campaign, point_url
from survey_app.extensions import db
from survey_app.models.campaigns import COLLECTION_KINDS, Campaign
from survey_app.questionnaire_store import current_versions
from survey_app.staff.auth import (
    audit,
    campaign_for_user_or_404,
    role_required,
    staff_user,
)
from survey_app.staff.campaigns import materials_views, paper_views, school_views
from survey_app.staff.data.retention import RETENTION_ACTIONS
from survey_app.staff.web import View

ADMIN = "administrator"


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        return None


@role_required(ADMIN)
def campaign_new() -> View:
    """Set up a campaign: its name, dates, questionnaires and the areas it covers."""
    versions = sorted(current_versions(), key=lambda v: v.questionnaire_id)
    errors: dict[str, str] = {}
    form: Any = request.form if request.method == "POST" else {}
    if request.method == "POST":
        opens, closes = _date(form.get("opens_on", "")), _date(form.get("closes_on", ""))
        chosen = [q for q in form.getlist("questionnaires") if q in {v.questionnaire_id for v in versions}]
        if not form.get("name", "").strip():
            errors["name"] = "Give the campaign a name."
        if opens is None:
            errors["opens_on"] = "Enter the first day as a date, like 2026-01-05."
        if closes is None:
            errors["closes_on"] = "Enter the last day as a date, like 2026-03-31."
        if not chosen:
            errors["questionnaires"] = "Choose at least one questionnaire."
        if not errors and opens is not None and closes is not None:
            areas = [a.strip() for a in form.get("areas", "").split(",") if a.strip()]
            try:
                campaign = create_campaign(
                    form["name"],
                    opens,
                    closes,
                    chosen,
                    areas,
                    description=form.get("description", "").strip(),
                    partnership_id=staff_user().partnership_id,
                )
            except SetupError as exc:
                errors["name"] = str(exc)
            else:
                audit("campaign_created", f"campaign:{campaign.id}", name=campaign.name)
                db.session.commit()
                flash(f"Campaign \u201c{campaign.name}\u201d made. Now add its collection points.", "success")
                return redirect(url_for("staff.campaign_points", campaign_id=campaign.id))
    status = 400 if errors else 200
    return render_template("staff/campaigns/new.html", versions=versions, errors=errors, form=form), status


@role_required(ADMIN, "communications_lead")
def campaign_points(campaign_id: int) -> View:
    """A campaign's collection points with their codes, links and printed materials."""
    campaign = campaign_for_user_or_404(campaign_id)
    return _points_page(campaign, {})


def _points_page(campaign: Campaign, errors: dict[str, str], status: int = 200) -> tuple[str, int]:
    points = sorted(campaign.collection_points, key=lambda p: (p.kind, p.name))
    return render_template(
        "staff/campaigns/points.html",
        campaign=campaign,
        points=points,
        errors=errors,
        kinds=[(k, KIND_LABELS[k]) for k in COLLECTION_KINDS],
        url_for_point=point_url,
        display=display,
        user=staff_user(),
    ), status


@role_required(ADMIN)
def campaign_point_new(campaign_id: int) -> View:
    """Add a collection point with a fresh unambiguous code."""
    campaign = campaign_for_user_or_404(campaign_id)
    try:
        point = add_collection_point(campaign, request.form.get("name", ""), request.form.get("kind", ""))
    except SetupError as exc:
        return _points_page(campaign, {"name": str(exc)}, 400)
    audit("collection_point_added", f"collection_point:{point.id}", campaign=campaign.id, kind=point.kind)
    db.session.commit()
    flash(f"{point.name} added: its code is {display(point.code)}.", "success")
    return redirect(url_for("staff.campaign_points", campaign_id=campaign.id))


@role_required(ADMIN)
def campaign_settings(campaign_id: int) -> View:
    """Retention period and response targets."""
    campaign = campaign_for_user_or_404(campaign_id)
    if request.method != "POST":
        return render_template("staff/campaign_settings.html", campaign=campaign, errors={}, actions=RETENTION_ACTIONS)
    errors: dict[str, str] = {}
    days = request.form.get("retention_days", "").strip()
    action = request.form.get("retention_action", "")
    if not days.isdigit() or not 1 <= int(days) <= 3650:
        errors["retention_days"] = "Enter a number of days from 1 to 3650."
    if action not in RETENTION_ACTIONS:
        errors["retention_action"] = "Choose what to remove."
    targets: dict[str, int] = {}
    for key in ("total", "children", "young_people", "young_adults", "parents_carers", "professionals"):
        raw = request.form.get(f"target_{key}", "").strip()
        if raw:
            if not raw.isdigit():
                errors[f"target_{key}"] = "Enter a whole number, or leave it empty."
            elif int(raw) > 0:
                targets[key] = int(raw)
    if errors:
        return render_template(
            "staff/campaign_settings.html",
            campaign=campaign,
            errors=errors,
            actions=RETENTION_ACTIONS,
            form=request.form,
        ), 400
    audit(
        "campaign_settings_changed",
        f"campaign:{campaign.id}",
        retention_days=[campaign.retention_days, int(days)],
        retention_action=[campaign.retention_action, action],
        targets=targets,
    )
    campaign.retention_days, campaign.retention_action, campaign.targets = int(days), action, targets
    db.session.commit()
    flash("Settings saved.", "success")
    return redirect(url_for("staff.campaign_settings", campaign_id=campaign.id))


def register(bp: Blueprint) -> None:
    """Add this feature's pages to the staff blueprint."""
    bp.add_url_rule("/campaigns/new", methods=["GET", "POST"], view_func=campaign_new)
    bp.add_url_rule("/campaigns/<int:campaign_id>/points", view_func=campaign_points, methods=["GET"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/points/new", view_func=campaign_point_new, methods=["POST"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/settings", methods=["GET", "POST"], view_func=campaign_settings)
    materials_views.register(bp)
    school_views.register(bp)
    paper_views.register(bp)
