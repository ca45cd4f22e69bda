"""A campaign's results page, and the partnership's priorities settings.

The communications lead, the analyst and the administrator read the results, the viewer too (it
changes nothing); the lead and the administrator keep the partnership's priorities. Each view
commits once, after its work and its audit entry (docs/transactions.md).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from analysis.report.layout import long_date, priority_grid, table_grid
from analysis.report.priorities import GROUPS, NOT_RAISED, RAISED
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign
from survey_app.staff.auth import (
    audit,
    campaign_for_user_or_404,
    current_partnership_campaigns,
    role_required,
    staff_user,
)
from survey_app.staff.results import priorities as stored
from survey_app.staff.results.forms import PriorityForm
from survey_app.staff.results.inline_svg import inline_svg
from survey_app.staff.results.service import FilterChoices, Filters, loaded, results_page
from survey_app.staff.web import View

#: Who reads a campaign's results (the viewer only reads; nothing on the page changes anything).
RESULT_ROLES = ("administrator", "analyst", "communications_lead", "viewer")
#: Who keeps the partnership's priorities.
PRIORITY_ROLES = ("administrator", "communications_lead")


def _filters(choices: FilterChoices, others: list[tuple[int, str]]) -> tuple[Filters, list[str]]:
    """The filters asked for, keeping only groups large enough to show; what was refused, in words."""
    problems = []
    audience = request.args.get("audience", "")
    if audience and audience not in dict(choices.audiences):
        problems.append("That audience is too small to show on its own, so every audience is shown.")
        audience = ""
    area = request.args.get("area", "")
    if area and area not in dict(choices.areas):
        problems.append("That area is too small to show on its own (or too close to the whole), so it is not used.")
        area = ""
    school = request.args.get("school", "0")
    school_id = int(school) if school.isdigit() else 0
    if school_id and school_id not in dict(choices.schools):
        problems.append("That school is too small to show on its own (or too close to the whole), so it is not used.")
        school_id = 0
    if area and school_id:
        problems.append("Choose an area or a school, not both: the page shows the area.")
        school_id = 0
    earlier = request.args.get("earlier", "0")
    earlier_id = int(earlier) if earlier.isdigit() else 0
    if earlier_id and earlier_id not in dict(others):
        problems.append("That campaign is not one of the partnership's other campaigns, so nothing is compared.")
        earlier_id = 0
    return Filters(audience, area, school_id, earlier_id), problems


@role_required(*RESULT_ROLES)
def results(campaign_id: int) -> View:
    """The campaign's findings: headline figures, comparisons, top reasons, themes and priorities."""
    campaign = campaign_for_user_or_404(campaign_id)
    choices = loaded(campaign).choices
    others = [(c.id, c.name) for c in current_partnership_campaigns() if c.id != campaign.id]
    filters, problems = _filters(choices, others)
    earlier = db.session.get(Campaign, filters.earlier) if filters.earlier else None
    page = results_page(campaign, filters, stored.partnership_priorities(campaign.partnership_id), earlier)
    audit(
        "results_viewed",
        f"campaign:{campaign.id}",
        audience=filters.audience,
        area=filters.area,
        school=filters.school,
        earlier=filters.earlier,
    )
    html = render_template(
        "staff/results/results.html",
        campaign=campaign,
        page=page,
        choices=choices,
        others=others,
        problems=problems,
        grid=table_grid,
        priority_grid=priority_grid,
        chart=inline_svg,
        data_date=long_date(page.data_date),
        can_edit_priorities=staff_user().role in PRIORITY_ROLES,
    )
    db.session.commit()
    return (html, 400) if problems else html


def _priority_form() -> PriorityForm:
    form = PriorityForm(request.form if request.method == "POST" else None)
    form.set_choices(stored.theme_labels(), stored.measure_labels())
    return form


def _settings(form: PriorityForm | None = None, editing: str = "", status: int = 200) -> View:
    partnership = staff_user().partnership_id
    page = render_template(
        "staff/results/priorities.html",
        priorities=stored.partnership_priorities(partnership),
        themes=stored.theme_labels(),
        measures=stored.measure_labels(),
        form=form,
        editing=editing,
        errors=form.problems() if form is not None else {},
        groups=list(GROUPS),
        symbols=(RAISED, NOT_RAISED),
    )
    return (page, status) if status != 200 else page


@role_required(*PRIORITY_ROLES)
def priorities_page() -> View:
    """The partnership's priorities, which themes raise each and which findings it quotes."""
    return _settings()


@role_required(*PRIORITY_ROLES)
def priorities_change() -> View | WerkzeugResponse:
    """Add, rename and re-map, remove a priority, or go back to the seed priorities."""
    partnership = staff_user().partnership_id
    assert partnership is not None  # every staff account belongs to a partnership
    action = request.form.get("action", "")
    key = request.form.get("key", "")
    if action == "restore":
        stored.restore_seeds(partnership)
        audit("priorities_restored", f"partnership:{partnership}")
        message = "The priorities are back to the defaults."
    elif action == "remove":
        current = stored.partnership_priorities(partnership)
        if len(current) < 2 or not stored.remove_priority(partnership, key):
            flash("A partnership needs at least one priority: add another before removing this one.", "error")
            return _settings(status=400)
        audit("priority_removed", f"partnership:{partnership}", priority=key)
        message = "Priority removed."
    elif action in ("add", "save"):
        form = _priority_form()
        if not form.validate():
            return _settings(form, key if action == "save" else "new", 400)
        label = form.label.data.strip()
        themes, measures = list(form.themes.data or []), list(form.measures.data or [])
        if action == "add":
            added = stored.add_priority(partnership, label, themes, measures)
            audit("priority_added", f"partnership:{partnership}", priority=added.key)
            message = f"Priority \u201c{label}\u201d added."
        else:
            if not stored.update_priority(partnership, key, label, themes, measures):
                return _settings(status=404)
            audit("priority_changed", f"partnership:{partnership}", priority=key)
            message = f"Priority \u201c{label}\u201d saved."
    else:
        flash("Choose what to do: save, add, remove or restore the defaults.", "error")
        return _settings(status=400)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("staff.priorities_page"))


def register(bp: Blueprint) -> None:
    """Add the results page and the priorities settings to the staff blueprint."""
    bp.add_url_rule("/campaigns/<int:campaign_id>/results", view_func=results, methods=["GET"])
    bp.add_url_rule("/priorities", view_func=priorities_page, methods=["GET"])
    bp.add_url_rule("/priorities", view_func=priorities_change, methods=["POST"])
