"""The report as an accessible PDF: the HTML version typeset by WeasyPrint as tagged PDF/UA-1.

Tagged means the PDF carries its structure (headings, tables with header cells, figures with their
alt text) and the document's title and language, so screen readers can use it; the text is real
text, not pictures of it.
"""

from __future__ import annotations

from analysis.report.model import FindingsReport
from analysis.report.render_html import render_html


def render_pdf(report: FindingsReport) -> bytes:
    """The report as PDF/UA-1 bytes."""
    # WeasyPrint pulls in its font and layout machinery (a second or more); only the PDF needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Only data: URLs (the inline charts): a report never fetches anything from anywhere.
    fetcher = URLFetcher(allowed_protocols={"data"})
    # Charts as PNG: the same pictures as the Word and PowerPoint versions (drawn once per build),
    # and far quicker for WeasyPrint to place than SVG it would have to draw itself.
    document = HTML(string=render_html(report, images="png"), base_url=None, url_fetcher=fetcher)
    pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    assert pdf is not None
    return bytes(pdf)
