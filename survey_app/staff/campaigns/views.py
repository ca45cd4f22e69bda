"""Setting up a campaign (name, dates, questionnaires, areas, retention and targets) and its
collection points.

The work is done by survey_app.campaigns; these views check who may do it (survey_app.staff.auth),
write the audit log, commit, and show the results.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for

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
from survey_app.staff.campaigns.forms import (
    TRANSLATED_LANGUAGES,
    CampaignSettingsForm,
    CollectionPointForm,
    NewCampaignForm,
)
from survey_app.staff.data.retention import RETENTION_ACTIONS
from survey_app.staff.web import View

ADMIN = "administrator"


@role_required(ADMIN)
def campaign_new() -> View:
    """Set up a campaign: its name, dates, questionnaires and the areas it covers."""
    versions = sorted(current_versions(), key=lambda v: v.questionnaire_id)
    form = NewCampaignForm({v.questionnaire_id for v in versions})
    if not form.is_submitted():
        return render_template("staff/campaigns/new.html", versions=versions, errors={}, form={})
    if form.validate() and form.opens is not None and form.closes is not None:
        try:
            campaign = create_campaign(
                form.name.data or "",
                form.opens,
                form.closes,
                form.chosen,
                form.area_list(),
                description=(form.description.data or "").strip(),
                partnership_id=staff_user().partnership_id,
            )
        except SetupError as exc:
            form.add_problem("name", str(exc))
        else:
            audit("campaign_created", f"campaign:{campaign.id}", name=campaign.name)
            db.session.commit()
            flash(f"Campaign \u201c{campaign.name}\u201d made. Now add its collection points.", "success")
            return redirect(url_for("staff.campaign_points", campaign_id=campaign.id))
    return render_template(
        "staff/campaigns/new.html", versions=versions, errors=form.problems(), form=form.values()
    ), 400


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
    form = CollectionPointForm()
    if not form.validate_on_submit():
        return _points_page(campaign, form.problems(), 400)
    try:
        point = add_collection_point(campaign, form.name.data or "", form.kind.data or "")
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
    form = CampaignSettingsForm()
    if not form.is_submitted():
        return render_template(
            "staff/campaign_settings.html",
            campaign=campaign,
            errors={},
            actions=RETENTION_ACTIONS,
            languages=TRANSLATED_LANGUAGES,
        )
    if not form.validate():
        return render_template(
            "staff/campaign_settings.html",
            campaign=campaign,
            errors=form.problems(),
            actions=RETENTION_ACTIONS,
            form=form.values(),
            languages=TRANSLATED_LANGUAGES,
        ), 400
    days, action, targets = form.days, form.retention_action.data or "", form.targets()
    audit(
        "campaign_settings_changed",
        f"campaign:{campaign.id}",
        retention_days=[campaign.retention_days, days],
        retention_action=[campaign.retention_action, action],
        targets=targets,
        translated=sorted(form.translations()),
    )
    campaign.retention_days, campaign.retention_action, campaign.targets = days, action, targets
    campaign.translations = form.translations()
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
