"""A collection point's printed materials: QR codes, the poster and the parents' letter."""

from __future__ import annotations

from flask import Blueprint, Response

from survey_app.campaigns import printing, qr
from survey_app.campaigns.setup import point_url
from survey_app.extensions import db
from survey_app.staff.auth import (
    audit,
    collection_point_for_user_or_404,
    role_required,
)
from survey_app.staff.web import download

ADMIN = "administrator"

#: Who may print a collection point's materials.
MATERIALS_ROLES = (ADMIN, "communications_lead", "school_coordinator")


@role_required(*MATERIALS_ROLES)
def point_qr_svg(point_id: int) -> Response:
    """The collection point's QR code as SVG."""
    point = collection_point_for_user_or_404(point_id)
    return download(qr.qr_svg(point_url(point)), "image/svg+xml", f"qr-{point.code}.svg")


@role_required(*MATERIALS_ROLES)
def point_qr_png(point_id: int) -> Response:
    """The collection point's QR code as PNG."""
    point = collection_point_for_user_or_404(point_id)
    return download(qr.qr_png(point_url(point)), "image/png", f"qr-{point.code}.png")


def _document(point_id: int, kind: str, pdf: bool) -> Response | str:
    point = collection_point_for_user_or_404(point_id)
    audit("materials_downloaded", f"collection_point:{point.id}", document=kind, format="pdf" if pdf else "html")
    db.session.commit()
    if not pdf:
        return printing.render_document(kind, point)
    try:
        data = printing.render_pdf(kind, point)
    except printing.PdfUnavailable as exc:  # the printable page instead, saying why
        return printing.render_document(kind, point, notice=str(exc))
    return download(data, "application/pdf", f"{kind}-{point.code}.pdf")


@role_required(*MATERIALS_ROLES)
def point_poster(point_id: int) -> Response | str:
    """The A4 poster, to print from the browser."""
    return _document(point_id, "poster", pdf=False)


@role_required(*MATERIALS_ROLES)
def point_poster_pdf(point_id: int) -> Response | str:
    """The A4 poster as a PDF."""
    return _document(point_id, "poster", pdf=True)


@role_required(*MATERIALS_ROLES)
def point_letter(point_id: int) -> Response | str:
    """The parents' information letter, to print from the browser."""
    return _document(point_id, "letter", pdf=False)


@role_required(*MATERIALS_ROLES)
def point_letter_pdf(point_id: int) -> Response | str:
    """The parents' information letter as a PDF."""
    return _document(point_id, "letter", pdf=True)


def register(bp: Blueprint) -> None:
    """Add this feature's pages to the staff blueprint."""
    bp.add_url_rule("/points/<int:point_id>/qr.svg", view_func=point_qr_svg, methods=["GET"])
    bp.add_url_rule("/points/<int:point_id>/qr.png", view_func=point_qr_png, methods=["GET"])
    bp.add_url_rule("/points/<int:point_id>/poster", view_func=point_poster, methods=["GET"])
    bp.add_url_rule("/points/<int:point_id>/poster.pdf", view_func=point_poster_pdf, methods=["GET"])
    bp.add_url_rule("/points/<int:point_id>/letter", view_func=point_letter, methods=["GET"])
    bp.add_url_rule("/points/<int:point_id>/letter.pdf", view_func=point_letter_pdf, methods=["GET"])
