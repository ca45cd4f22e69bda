"""Staff pages for reaching people (issue 4): new campaigns, collection points with their QR codes,
posters and parents' letters, school sessions with live completion counts, and paper uploads.

The work is done by survey_app.campaigns and survey_app.paper; these views check who may do it
(survey_app.staff.auth), write the audit log, and show the results. Staff requests are committed
once by the staff session interface.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from survey_app.campaigns import printing, qr, school
from survey_app.campaigns.codes import display
from survey_app.campaigns.setup import KIND_LABELS, SetupError, add_collection_point, create_campaign, point_url
from survey_app.extensions import db
from survey_app.models import SchoolSession
from survey_app.models.campaigns import COLLECTION_KINDS, Campaign, CollectionPoint
from survey_app.models.school_sessions import YEAR_GROUPS
from survey_app.paper.importer import import_file
from survey_app.paper.template import template_csv, template_xlsx
from survey_app.questionnaire_store import current_version, current_versions
from survey_app.staff import bp
from survey_app.staff.auth import (
    audit,
    campaign_for_user_or_404,
    collection_point_for_user_or_404,
    role_required,
    staff_user,
)

ADMIN = "administrator"
#: Who may print a collection point's materials.
MATERIALS_ROLES = (ADMIN, "communications_lead", "school_coordinator")
#: Who runs school sessions.
SESSION_ROLES = (ADMIN, "school_coordinator")
#: Who types in paper returns.
PAPER_ROLES = (ADMIN, "analyst")
View = str | WerkzeugResponse | tuple[str, int]


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        return None


@bp.route("/campaigns/new", methods=["GET", "POST"])
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
                flash(f"Campaign \u201c{campaign.name}\u201d made. Now add its collection points.", "success")
                return redirect(url_for("staff.campaign_points", campaign_id=campaign.id))
    status = 400 if errors else 200
    return render_template("staff/campaigns/new.html", versions=versions, errors=errors, form=form), status


@bp.get("/campaigns/<int:campaign_id>/points")
@role_required(ADMIN, "communications_lead")
def campaign_points(campaign_id: int) -> str:
    """A campaign's collection points with their codes, links and printed materials."""
    campaign = campaign_for_user_or_404(campaign_id)
    return _points_page(campaign, {})


def _points_page(campaign: Campaign, errors: dict[str, str], status: int = 200) -> Any:
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


@bp.post("/campaigns/<int:campaign_id>/points/new")
@role_required(ADMIN)
def campaign_point_new(campaign_id: int) -> View:
    """Add a collection point with a fresh unambiguous code."""
    campaign = campaign_for_user_or_404(campaign_id)
    try:
        point = add_collection_point(campaign, request.form.get("name", ""), request.form.get("kind", ""))
    except SetupError as exc:
        return _points_page(campaign, {"name": str(exc)}, 400)  # type: ignore[no-any-return]
    audit("collection_point_added", f"collection_point:{point.id}", campaign=campaign.id, kind=point.kind)
    flash(f"{point.name} added: its code is {display(point.code)}.", "success")
    return redirect(url_for("staff.campaign_points", campaign_id=campaign.id))


# --- printed materials ----------------------------------------------------------------------------


def _download(data: bytes | str, mimetype: str, filename: str, inline: bool = False) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response


@bp.get("/points/<int:point_id>/qr.svg")
@role_required(*MATERIALS_ROLES)
def point_qr_svg(point_id: int) -> Response:
    """The collection point's QR code as SVG."""
    point = collection_point_for_user_or_404(point_id)
    return _download(qr.qr_svg(point_url(point)), "image/svg+xml", f"qr-{point.code}.svg")


@bp.get("/points/<int:point_id>/qr.png")
@role_required(*MATERIALS_ROLES)
def point_qr_png(point_id: int) -> Response:
    """The collection point's QR code as PNG."""
    point = collection_point_for_user_or_404(point_id)
    return _download(qr.qr_png(point_url(point)), "image/png", f"qr-{point.code}.png")


def _document(point_id: int, kind: str, pdf: bool) -> Response | str:
    point = collection_point_for_user_or_404(point_id)
    audit("materials_downloaded", f"collection_point:{point.id}", document=kind, format="pdf" if pdf else "html")
    if not pdf:
        return printing.render_document(kind, point)
    try:
        data = printing.render_pdf(kind, point)
    except printing.PdfUnavailable as exc:  # the printable page instead, saying why
        return printing.render_document(kind, point, notice=str(exc))
    return _download(data, "application/pdf", f"{kind}-{point.code}.pdf")


@bp.get("/points/<int:point_id>/poster")
@role_required(*MATERIALS_ROLES)
def point_poster(point_id: int) -> Response | str:
    """The A4 poster, to print from the browser."""
    return _document(point_id, "poster", pdf=False)


@bp.get("/points/<int:point_id>/poster.pdf")
@role_required(*MATERIALS_ROLES)
def point_poster_pdf(point_id: int) -> Response | str:
    """The A4 poster as a PDF."""
    return _document(point_id, "poster", pdf=True)


@bp.get("/points/<int:point_id>/letter")
@role_required(*MATERIALS_ROLES)
def point_letter(point_id: int) -> Response | str:
    """The parents' information letter, to print from the browser."""
    return _document(point_id, "letter", pdf=False)


@bp.get("/points/<int:point_id>/letter.pdf")
@role_required(*MATERIALS_ROLES)
def point_letter_pdf(point_id: int) -> Response | str:
    """The parents' information letter as a PDF."""
    return _document(point_id, "letter", pdf=True)


# --- school sessions ------------------------------------------------------------------------------


def _sessions_page(point: CollectionPoint, errors: dict[str, str], form: Any, status: int = 200) -> Any:
    sessions = list(
        db.session.scalars(
            select(SchoolSession)
            .filter_by(collection_point_id=point.id)
            .order_by(SchoolSession.closed_on.is_not(None), SchoolSession.id.desc())
        )
    )
    return render_template(
        "staff/campaigns/sessions.html",
        point=point,
        sessions=sessions,
        errors=errors,
        form=form,
        years=YEAR_GROUPS,
        display=display,
        any_open=any(s.is_open for s in sessions),
    ), status


@bp.get("/points/<int:point_id>/sessions")
@role_required(*SESSION_ROLES)
def point_sessions(point_id: int) -> str:
    """A school's class sessions: codes, and live counts of pupils finished against those expected."""
    return _sessions_page(collection_point_for_user_or_404(point_id), {}, {})  # type: ignore[no-any-return]


@bp.post("/points/<int:point_id>/sessions")
@role_required(*SESSION_ROLES)
def point_session_new(point_id: int) -> View:
    """Set up a session for a class and show its code."""
    point = collection_point_for_user_or_404(point_id)
    form = request.form
    errors: dict[str, str] = {}
    year, pupils = form.get("year_group", ""), form.get("expected_pupils", "").strip()
    if not year.isdigit() or int(year) not in YEAR_GROUPS:
        errors["year_group"] = "Choose the class's year group."
    if not pupils.isdigit() or int(pupils) < 1:
        errors["expected_pupils"] = "Enter how many pupils you expect, as a number."
    if not errors:
        try:
            created = school.create_session(
                point, int(year), int(pupils), form.get("label", ""), easy_read=form.get("easy_read") == "yes"
            )
        except SetupError as exc:
            errors["year_group"] = str(exc)
        else:
            audit(
                "school_session_created",
                f"collection_point:{point.id}",
                session=created.id,
                year_group=created.year_group,
                expected=created.expected_pupils,
                questionnaire=created.questionnaire_id,
            )
            flash(
                f"Session made. Pupils type the code {display(created.code)} at {url_for('respond.enter_code', _external=True)}.",
                "success",
            )
            return redirect(url_for("staff.point_sessions", point_id=point.id))
    return _sessions_page(point, errors, form, 400)  # type: ignore[no-any-return]


@bp.post("/points/<int:point_id>/sessions/close")
@role_required(*SESSION_ROLES)
def point_session_close(point_id: int) -> View:
    """Stop new pupils joining a session (anyone part-way through can still send their answers)."""
    point = collection_point_for_user_or_404(point_id)
    raw = request.form.get("session_id", "")
    found = db.session.get(SchoolSession, int(raw)) if raw.isdigit() else None
    if found is None or found.collection_point_id != point.id:
        return _sessions_page(point, {"session_id": "Choose a session to close."}, {}, 400)  # type: ignore[no-any-return]
    school.close_session(found)
    audit("school_session_closed", f"collection_point:{point.id}", session=found.id, completed=found.completed)
    flash(f"Session {display(found.code)} closed: {found.completed} of {found.expected_pupils} finished.", "success")
    return redirect(url_for("staff.point_sessions", point_id=point.id))


# --- paper ----------------------------------------------------------------------------------------


def _paper_page(campaign: Campaign, report: Any = None, errors: dict[str, str] | None = None, status: int = 200) -> Any:
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


@bp.get("/campaigns/<int:campaign_id>/paper")
@role_required(*PAPER_ROLES)
def campaign_paper(campaign_id: int) -> str:
    """Templates for paper questionnaires, and uploading completed ones."""
    return _paper_page(campaign_for_user_or_404(campaign_id))  # type: ignore[no-any-return]


@bp.get("/campaigns/<int:campaign_id>/paper/template")
@role_required(*PAPER_ROLES)
def campaign_paper_template(campaign_id: int) -> View | Response:
    """Download the template for one of the campaign's questionnaires (?questionnaire=...&format=xlsx|csv)."""
    campaign = campaign_for_user_or_404(campaign_id)
    wanted = request.args.get("questionnaire") or (campaign.questionnaire_ids or [""])[0]
    version = current_version(wanted) if wanted in (campaign.questionnaire_ids or [wanted]) else None
    if version is None:
        return _paper_page(
            campaign, errors={"questionnaire": "Choose one of the campaign's questionnaires."}, status=400
        )  # type: ignore[no-any-return]
    if request.args.get("format") == "csv":
        return _download(template_csv(version.questionnaire), "text/csv", f"{wanted}-template.csv")
    return _download(
        template_xlsx(version.questionnaire, version.version),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{wanted}-template.xlsx",
    )


@bp.post("/campaigns/<int:campaign_id>/paper")
@role_required(*PAPER_ROLES)
def campaign_paper_upload(campaign_id: int) -> View:
    """Check a completed template row by row and import its valid rows (each file only once)."""
    campaign = campaign_for_user_or_404(campaign_id)
    upload = request.files.get("file")
    wanted = request.form.get("questionnaire", "")
    version = current_version(wanted) if wanted in (campaign.questionnaire_ids or [wanted]) else None
    point = db.session.get(CollectionPoint, int(request.form.get("collection_point") or 0))
    errors: dict[str, str] = {}
    if version is None:
        errors["questionnaire"] = "Choose which questionnaire the forms are."
    if upload is None or not upload.filename:
        errors["file"] = "Choose the completed template to upload (.xlsx or .csv)."
    if point is not None and point.campaign_id != campaign.id:
        errors["collection_point"] = "Choose one of this campaign's collection points."
    if errors or version is None or upload is None:
        return _paper_page(campaign, errors=errors, status=400)  # type: ignore[no-any-return]
    report = import_file(upload.read(), upload.filename or "upload", version, point)
    audit(
        "paper_imported",
        f"campaign:{campaign.id}",
        file=report.filename,
        imported=report.imported,
        rejected=len(report.rejected_rows),
        refused=bool(report.refused),
    )
    return _paper_page(campaign, report=report, status=200 if not report.refused else 400)  # type: ignore[no-any-return]
