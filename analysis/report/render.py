"""One entry point for every format: `render(report, "pdf")`, `write_files(report, folder, formats)`.

The command line (`python -m analysis report`) and the staff workspace both call these.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from analysis.report.model import FindingsReport
from analysis.report.render_docx import render_docx
from analysis.report.render_html import render_html
from analysis.report.render_pdf import render_pdf
from analysis.report.render_pptx import render_pptx
from analysis.report.render_xlsx import render_xlsx

FORMATS: dict[str, tuple[Callable[[FindingsReport], bytes], str]] = {
    "html": (lambda report: render_html(report).encode("utf-8"), "text/html"),  # the web response adds its charset
    "pdf": (render_pdf, "application/pdf"),
    "docx": (render_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (render_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": (render_pptx, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}


def render(report: FindingsReport, fmt: str) -> bytes:
    """The report in one format (html, pdf, docx, xlsx or pptx) as bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
    return FORMATS[fmt][0](report)


def media_type(fmt: str) -> str:
    """The MIME type of a format, for downloads."""
    return FORMATS[fmt][1]


def file_stem(report: FindingsReport) -> str:
    """A safe file name stem: the campaign slug and the data date."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", f"{report.campaign_slug}-report-{report.data_date}").strip("-")


def write_files(
    report: FindingsReport,
    folder: Path,
    formats: Iterable[str],
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write one file per format into `folder`; `progress` is told each format as it starts."""
    formats = list(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format {', '.join(unknown)}: choose from {', '.join(FORMATS)}")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        if progress is not None:
            progress(fmt)
        path = folder / f"{file_stem(report)}.{fmt}"
        path.write_bytes(render(report, fmt))
        written.append(path)
    return written
