"""The A4 poster and the parents' information letter for a collection point, as HTML and as PDF.

Both say what the survey is about, that it is anonymous, and how to opt out. The HTML uses
static/css/print.css, so printing the page from a browser gives the same A4 sheet; the PDF is made
from the same HTML by WeasyPrint (which needs the system's Pango library).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import render_template

from survey_app.campaigns.codes import display
from survey_app.campaigns.qr import qr_data_uri
from survey_app.campaigns.setup import point_url
from survey_app.config import PACKAGE
from survey_app.models import CollectionPoint

DOCUMENTS = ("poster", "letter")


class PdfUnavailable(RuntimeError):
    """WeasyPrint (or the system libraries it needs) is not installed here."""


def render_document(
    kind: str,
    point: CollectionPoint,
    base_url: str | None = None,
    for_pdf: bool = False,
    today: dt.date | None = None,
    notice: str = "",
) -> str:
    """The poster or letter for this collection point, as an HTML page."""
    if kind not in DOCUMENTS:
        raise ValueError(f"unknown document {kind!r}")
    url = point_url(point, base_url)
    campaign = point.campaign
    code_url = url.rsplit("/p/", 1)[0] + "/code"
    return render_template(
        f"print/{kind}.html",
        point=point,
        campaign=campaign,
        url=url,
        code_url=code_url,
        code=display(point.code),
        qr=qr_data_uri(url),
        for_pdf=for_pdf,
        today=today or dt.date.today(),
        notice=notice,
    )


def laid_out(html: str) -> Any:
    """The page laid out as A4 pages by WeasyPrint (a weasyprint Document), with the browser's stylesheet."""
    try:
        # Imported here, not at the top: WeasyPrint is a heavy optional library (with system Pango),
        # needed only when a PDF is asked for, and its absence must leave the HTML versions working.
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as exc:  # OSError: Pango or its friends are missing
        raise PdfUnavailable(
            "PDFs need WeasyPrint and the Pango library (apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0); the HTML version prints the same page."
        ) from exc
    stylesheet = CSS(filename=str(PACKAGE / "static" / "css" / "print.css"))
    return HTML(string=html, base_url=str(PACKAGE)).render(stylesheets=[stylesheet])


def html_to_pdf(html: str) -> bytes:
    """An A4 PDF of a print page."""
    result: bytes = laid_out(html).write_pdf()
    return result


def render_pdf(kind: str, point: CollectionPoint, base_url: str | None = None) -> bytes:
    """The poster or letter as a PDF."""
    return html_to_pdf(render_document(kind, point, base_url, for_pdf=True))
