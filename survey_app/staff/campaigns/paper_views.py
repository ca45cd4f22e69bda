"""Paper questionnaires: templates to download and completed ones to upload (imported by
survey_app.paper).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, render_template, request
from sqlalchemy.exc import IntegrityError

from survey_app.extensions import db
from survey_app.models.campaigns import Campaign
from survey_app.paper.importer import RACED, ImportReport, import_file
from survey_app.paper.template import template_csv, template_xlsx
from survey_app.questionnaire_store import current_version, current_versions
from survey_app.staff.auth import (
    audit,
    campaign_for_user_or_404,
    role_required,
)
from survey_app.staff.campaigns.forms import PaperUploadForm
from survey_app.staff.web import View, download

ADMIN = "administrator"

#: Who types in paper returns.
PAPER_ROLES = (ADMIN, "analyst")


def _paper_page(
    campaign: Campaign, report: Any = None, errors: dict[str, str] | None = None, status: int = 200
) -> tuple[str, int]:
    versions = [v for v in current_versions(campaign.questionnaire_ids or None)]
    points = [p for p in campaign.collection_points if p.kind == "paper"] or list(campaign.collection_points)
    return render_template(
        "staff/campaigns/paper.html",
        campaign=campaign,
        versions=versions,
        points=points,
        report=report,
        errors=errors or {},
    ), status


@role_required(*PAPER_ROLES)
def campaign_paper(campaign_id: int) -> View:
    """Templates for paper questionnaires, and uploading completed ones."""
    return _paper_page(campaign_for_user_or_404(campaign_id))


@role_required(*PAPER_ROLES)
def campaign_paper_template(campaign_id: int) -> View | Response:
    """Download the template for one of the campaign's questionnaires (?questionnaire=...&format=xlsx|csv)."""
    campaign = campaign_for_user_or_404(campaign_id)
    wanted = request.args.get("questionnaire") or (campaign.questionnaire_ids or [""])[0]
    version = current_version(wanted) if wanted in (campaign.questionnaire_ids or [wanted]) else None
    if version is None:
        return _paper_page(
            campaign, errors={"questionnaire": "Choose one of the campaign's questionnaires."}, status=400
        )
    if request.args.get("format") == "csv":
        return download(template_csv(version.questionnaire), "text/csv", f"{wanted}-template.csv")
    return download(
        template_xlsx(version.questionnaire, version.version),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{wanted}-template.xlsx",
    )


@role_required(*PAPER_ROLES)
def campaign_paper_upload(campaign_id: int) -> View:
    """Check a completed template row by row and import its valid rows (each file only once)."""
    campaign = campaign_for_user_or_404(campaign_id)
    form = PaperUploadForm(campaign)
    upload = form.file.data
    if not form.validate_on_submit() or form.version is None or upload is None:
        return _paper_page(campaign, errors=form.problems(), status=400)
    filename = upload.filename or "upload"
    try:
        # Into this campaign, whichever collection point (or none) the forms came through.
        report = import_file(upload.read(), filename, form.version, form.point, campaign=campaign)
        _audit_import(campaign, report)
        db.session.commit()  # the file is one unit of work: all its valid rows and their audit entry, or none
    except IntegrityError:
        db.session.rollback()  # the same file, imported by someone else a moment ago
        report = ImportReport(filename=filename, refused=RACED)
        _audit_import(campaign, report)
        db.session.commit()
    return _paper_page(campaign, report=report, status=200 if not report.refused else 400)


def _audit_import(campaign: Campaign, report: ImportReport) -> None:
    audit(
        "paper_imported",
        f"campaign:{campaign.id}",
        file=report.filename,
        imported=report.imported,
        rejected=len(report.rejected_rows),
        refused=bool(report.refused),
    )


def register(bp: Blueprint) -> None:
    """Add this feature's pages to the staff blueprint."""
    bp.add_url_rule("/campaigns/<int:campaign_id>/paper", view_func=campaign_paper, methods=["GET"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/paper/template", view_func=campaign_paper_template, methods=["GET"])
    bp.add_url_rule("/campaigns/<int:campaign_id>/paper", view_func=campaign_paper_upload, methods=["POST"])
