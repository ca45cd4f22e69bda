"""The report builder: list, new/edit, preview, duplicate, downloads, publish and unpublish.

The lead and the analyst build; the viewer reads. Every download and every publishing step is
audited, and each view commits once, after its work and its audit entry (docs/transactions.md).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms.fields.choices import SelectChoice

from analysis.report.build import TITLES
from analysis.report.model import SECTION_KINDS, FindingsReport
from analysis.report.render import FORMATS, file_stem, media_type, render
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign
from survey_app.models.reports import PublishedReport, SavedReport
from survey_app.staff.auth import audit, campaign_for_user_or_404, deny, role_required, staff_user
from survey_app.staff.reports import service
from survey_app.staff.reports.forms import ReportForm, report_form
from survey_app.staff.results.priorities import partnership_priorities
from survey_app.staff.web import View, download

#: Who builds, saves and publishes reports.
EDIT_ROLES = ("administrator", "analyst", "communications_lead")
#: Who reads them (the viewer sees saved and published reports, and changes nothing).
READ_ROLES = (*EDIT_ROLES, "viewer")
#: The report's own HTML carries its styles inline and its charts as data: URLs; allow exactly that,
#: and let only the workspace's own pages frame it (the builder's preview).
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'"
)


def report_for_user_or_404(report_id: int) -> SavedReport:
    """The saved report, if it belongs to the signed-in user's partnership; otherwise 404 (audited)."""
    report = db.session.get(SavedReport, report_id)
    if report is None or report.partnership_id != staff_user().partnership_id:
        deny(404, "report of another partnership or none", f"report:{report_id}")
    return report


def snapshot_for_user_or_404(snapshot_id: int) -> PublishedReport:
    """A published snapshot of the user's partnership; otherwise 404 (audited)."""
    snapshot = db.session.get(PublishedReport, snapshot_id)
    if snapshot is None or snapshot.report.partnership_id != staff_user().partnership_id:
        deny(404, "published report of another partnership or none", f"published:{snapshot_id}")
    return snapshot


def report_html_response(report: FindingsReport) -> Response:
    """The report's own HTML page, under a policy that allows its inline styles and nothing else."""
    response = Response(render(report, "html"), mimetype=media_type("html"))
    response.headers["Content-Security-Policy"] = REPORT_CSP
    return response


def _form(campaign: Campaign) -> ReportForm:
    keys = [p.key for p in partnership_priorities(campaign.partnership_id)]
    form = report_form(keys)(request.form if request.method == "POST" else None)
    others = db.session.scalars(
        select(Campaign)
        .where(Campaign.partnership_id == campaign.partnership_id, Campaign.id != campaign.id)
        .order_by(Campaign.opens_on.desc())
    )
    form.earlier.choices = [SelectChoice(0, "None"), *[SelectChoice(c.id, c.name) for c in others]]
    return form


def _fill(form: ReportForm, report: SavedReport) -> None:
    form.title.data = report.title
    form.earlier.data = report.earlier_campaign_id or 0
    form.audiences.data = list(report.audiences)
    form.sections.data = list(report.sections)
    for kind in SECTION_KINDS:
        form[f"narrative_{kind}"].data = report.narrative.get(kind, "")
    for key in form.priority_keys:
        form[f"response_{key}"].data = report.priority_responses.get(key, "")


def _builder(
    campaign: Campaign,
    form: ReportForm,
    report: SavedReport | None,
    status: int = 200,
    gaps: list[str] | None = None,
    public: bool = False,
) -> View:
    page = render_template(
        "staff/reports/builder.html",
        campaign=campaign,
        form=form,
        report=report,
        errors=form.problems(),
        titles=TITLES,
        section_kinds=SECTION_KINDS,
        # the partnership's own priorities, each with its "what we will do" box
        priorities=partnership_priorities(campaign.partnership_id),
        can_edit=staff_user().role in EDIT_ROLES,
        new_since=service.new_since_save(report) if report else 0,
        snapshot=service.live_snapshot(report) if report else None,
        formats=list(FORMATS),
        # what publishing now would put out empty, once the lead has pressed Publish
        gaps=gaps or [],
        public=public,
    )
    return (page, status) if status != 200 else page


@role_required(*READ_ROLES)
def reports_list(campaign_id: int) -> str:
    """The campaign's saved reports, and which are published."""
    campaign = campaign_for_user_or_404(campaign_id)
    reports = db.session.scalars(
        select(SavedReport).where(SavedReport.campaign_id == campaign.id).order_by(SavedReport.id.desc())
    ).all()
    return render_template(
        "staff/reports/list.html",
        campaign=campaign,
        reports=reports,
        live={r.id: service.live_snapshot(r) for r in reports},
        can_edit=staff_user().role in EDIT_ROLES,
    )


@role_required(*EDIT_ROLES)
def report_new(campaign_id: int) -> View:
    """Start a report: choose what it covers and write beside each section."""
    campaign = campaign_for_user_or_404(campaign_id)
    form = _form(campaign)
    if request.method == "GET":
        form.title.data = f"What our communities tell us: {campaign.name}"[:200]
        form.sections.data = list(service.DEFAULT_SECTIONS)
        return _builder(campaign, form, None)
    if not form.validate():
        return _builder(campaign, form, None, 400)
    report = SavedReport(partnership_id=campaign.partnership_id, campaign_id=campaign.id)
    service.apply_choices(report, form.choices(), staff_user().id)
    audit("report_saved", f"report:{report.id}", campaign=campaign.id, sections=len(report.sections))
    db.session.commit()
    flash("Report saved.", "success")
    return redirect(url_for("staff.report_edit", report_id=report.id))


@role_required(*READ_ROLES)
def report_edit(report_id: int) -> View:
    """Reopen a saved report (read-only for the viewer)."""
    report = report_for_user_or_404(report_id)
    campaign = campaign_for_user_or_404(report.campaign_id)
    form = _form(campaign)
    _fill(form, report)
    return _builder(campaign, form, report)


@role_required(*EDIT_ROLES)
def report_save(report_id: int) -> View:
    """Keep the builder's new choices and words for a saved report."""
    report = report_for_user_or_404(report_id)
    campaign = campaign_for_user_or_404(report.campaign_id)
    form = _form(campaign)
    if not form.validate():
        return _builder(campaign, form, report, 400)
    service.apply_choices(report, form.choices(), staff_user().id)
    audit("report_saved", f"report:{report.id}", campaign=campaign.id, sections=len(report.sections))
    db.session.commit()
    flash("Report saved.", "success")
    return redirect(url_for("staff.report_edit", report_id=report.id))


@role_required(*READ_ROLES)
def report_preview(report_id: int) -> Response:
    """The report built from the answers as they are now, as its own HTML (framed by the builder)."""
    report = report_for_user_or_404(report_id)
    built = service.build(report)
    audit("report_previewed", f"report:{report.id}")
    db.session.commit()
    return report_html_response(built)


@role_required(*EDIT_ROLES)
def report_duplicate(report_id: int) -> WerkzeugResponse:
    """A copy of the report's choices and words, to adapt for another audience."""
    report = report_for_user_or_404(report_id)
    copy = service.duplicate(report, staff_user().id)
    audit("report_duplicated", f"report:{copy.id}", source=report.id)
    db.session.commit()
    flash("Report copied: this is the copy.", "success")
    return redirect(url_for("staff.report_edit", report_id=copy.id))


@role_required(*READ_ROLES)
def report_download(report_id: int, report_format: str) -> Response:
    """The report built now, in one format, for saving."""
    if report_format not in FORMATS:
        abort(404)
    report = report_for_user_or_404(report_id)
    built = service.build(report)
    audit("report_downloaded", f"report:{report.id}", format=report_format)
    db.session.commit()
    return download(render(built, report_format), media_type(report_format), f"{file_stem(built)}.{report_format}")


@role_required(*EDIT_ROLES)
def report_publish(report_id: int) -> View:
    """Freeze the report as it is built now; optionally show it on the public pages."""
    report = report_for_user_or_404(report_id)
    public = request.form.get("public") == "yes"
    built = service.build(report)
    gaps = service.gaps(built)
    if gaps and request.form.get("anyway") != "yes":
        # Say what would go out empty, and publish only when asked again.
        campaign = campaign_for_user_or_404(report.campaign_id)
        form = _form(campaign)
        _fill(form, report)
        return _builder(campaign, form, report, gaps=gaps, public=public)
    snapshot = service.publish(report, public, staff_user().id, built)
    audit("report_published", f"published:{snapshot.id}", report=report.id, public=public)
    db.session.commit()
    flash("Report published. Its numbers are now fixed." + (" It is on the public pages." if public else ""), "success")
    return redirect(url_for("staff.report_edit", report_id=report.id))


@role_required(*READ_ROLES)
def published_view(snapshot_id: int) -> Response:
    """A published report exactly as it was frozen."""
    snapshot = snapshot_for_user_or_404(snapshot_id)
    audit("published_report_viewed", f"published:{snapshot.id}")
    db.session.commit()
    return report_html_response(service.frozen(snapshot))


@role_required(*READ_ROLES)
def published_download(snapshot_id: int, report_format: str) -> Response:
    """A published report, as frozen, in one format."""
    if report_format not in FORMATS:
        abort(404)
    snapshot = snapshot_for_user_or_404(snapshot_id)
    frozen = service.frozen(snapshot)
    audit("published_report_downloaded", f"published:{snapshot.id}", format=report_format)
    db.session.commit()
    return download(render(frozen, report_format), media_type(report_format), f"{file_stem(frozen)}.{report_format}")


@role_required(*EDIT_ROLES)
def published_withdraw(snapshot_id: int) -> WerkzeugResponse:
    """Unpublish: the report leaves the viewer's and the public pages (the record of it stays)."""
    snapshot = snapshot_for_user_or_404(snapshot_id)
    if snapshot.live:
        service.unpublish(snapshot)
        audit("report_unpublished", f"published:{snapshot.id}", report=snapshot.report_id)
        db.session.commit()
        flash("Report unpublished.", "success")
    return redirect(url_for("staff.report_edit", report_id=snapshot.report_id))


def published_reports() -> list[tuple[PublishedReport, SavedReport]]:
    """The signed-in user's partnership's published reports (for the home page)."""
    return service.published_for_partnership(staff_user().partnership_id)


def register(bp: Blueprint) -> None:
    """Add the report builder and published reports to the staff blueprint."""
    bp.add_url_rule("/campaigns/<int:campaign_id>/reports", view_func=reports_list, methods=["GET"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/reports/new", view_func=report_new, methods=["GET", "POST"])
    bp.add_url_rule("/reports/<int:report_id>", view_func=report_edit, methods=["GET"])
    bp.add_url_rule("/reports/<int:report_id>", view_func=report_save, methods=["POST"])
    bp.add_url_rule("/reports/<int:report_id>/preview", view_func=report_preview, methods=["GET"])
    bp.add_url_rule("/reports/<int:report_id>/duplicate", view_func=report_duplicate, methods=["POST"])
    bp.add_url_rule("/reports/<int:report_id>/download/<report_format>", view_func=report_download, methods=["GET"])
    bp.add_url_rule("/reports/<int:report_id>/publish", view_func=report_publish, methods=["POST"])
    bp.add_url_rule("/published/<int:snapshot_id>", view_func=published_view, methods=["GET"])
    bp.add_url_rule(
        "/published/<int:snapshot_id>/download/<report_format>", view_func=published_download, methods=["GET"]
    )
    bp.add_url_rule("/published/<int:snapshot_id>/unpublish", view_func=published_withdraw, methods=["POST"])
    bp.add_app_template_global(published_reports)
