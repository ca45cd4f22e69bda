"""The report as an editable Word document (python-docx).

Built-in heading styles (so the navigation pane and a screen reader see the structure), real tables
with a header row that repeats across pages, a caption above each table, and alt text on every
picture (python-docx has no API for it: the picture's `wp:docPr` gets a `descr` attribute). The
lead can edit it and it stays accessible.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from analysis.report import charts
from analysis.report.layout import (
    headline_lines,
    key_line,
    narrative_paragraphs,
    priority_grid,
    quote_source,
    set_properties,
    subtitle,
    table_grid,
    table_notes,
)
from analysis.report.model import Block, FindingsReport, Section, Table


def _docx() -> Any:
    # python-docx loads lxml and its templates; only Word output needs it.
    import docx

    return docx


def render_docx(report: FindingsReport) -> bytes:
    """The report as .docx bytes."""
    docx = _docx()
    document = docx.Document()
    set_properties(document.core_properties, report)
    _set_language(document, report.language)
    # A4, as the PDF and every council document: python-docx's blank document is US Letter.
    for part in document.sections:
        part.page_width, part.page_height = docx.shared.Mm(210), docx.shared.Mm(297)
        part.left_margin = part.right_margin = docx.shared.Mm(22)  # 166 mm of text: the 6.3-inch pictures fit
    document.add_heading(report.title, level=0)
    document.add_paragraph(subtitle(report))
    for section in report.sections:
        _section(document, section, report)
    if report.notes:
        document.add_heading("Sources and notes", level=1)
        for note in report.notes:
            document.add_paragraph(note, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_language(document: Any, language: str) -> None:
    """The default text language, so spelling and screen readers use British English."""
    from docx.oxml.ns import qn

    rpr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), language)


def _section(document: Any, section: Section, report: FindingsReport) -> None:
    document.add_heading(section.title, level=1)
    for lines in narrative_paragraphs(section.narrative):
        # python-docx writes each "\n" as a line break inside the paragraph.
        document.add_paragraph("\n".join(lines), style="Intense Quote")
    for h in section.headlines:
        big, words = headline_lines(h)
        paragraph = document.add_paragraph()
        run = paragraph.add_run(big)
        run.bold = True
        run.font.size = _docx().shared.Pt(20)
        # The figure stands above its sentence, as on a card: run on, it read "78% 78% of children …".
        run.add_break()
        paragraph.add_run(words)
    for text in section.paragraphs:
        document.add_paragraph(text)
    for block in section.blocks:
        _block(document, block, report)
    for q in section.quotes:
        document.add_paragraph(f"\u201c{q.text}\u201d", style="Quote")
        who = quote_source(q)
        document.add_paragraph(who, style="Caption")
    for cloud in section.clouds:
        document.add_heading(cloud.label, level=2)
        _picture(document, base64.b64decode(cloud.png_base64), cloud.alt, cloud.label)
        _table(document, cloud.table, report)
    if section.priorities:
        header, rows = priority_grid(section.priorities)
        _grid(document, "Our priorities and which groups raised them", header, rows)
        document.add_paragraph(key_line(section.key), style="Caption")
        for p in section.priorities:
            if p.response or p.evidence:
                document.add_heading(p.label, level=2)
                if p.response:
                    paragraph = document.add_paragraph()
                    paragraph.add_run("What we will do: ").bold = True
                    paragraph.add_run(p.response)
                for line in p.evidence:
                    document.add_paragraph(line, style="List Bullet")
    for table in section.tables:
        _table(document, table, report)


def _block(document: Any, block: Block, report: FindingsReport) -> None:
    document.add_heading(block.title, level=2)
    if block.statement:
        document.add_paragraph(block.statement)
    if block.chart is not None:
        _picture(document, charts.png(block.chart), block.chart.alt, block.chart.title)
    _table(document, block.table, report)


def _picture(document: Any, image: bytes, alt: str, title: str) -> None:
    docx = _docx()
    document.add_picture(io.BytesIO(image), width=docx.shared.Inches(6.3))
    inline = document.inline_shapes[-1]._inline
    inline.docPr.set("descr", alt)
    inline.docPr.set("title", title)


def _table(document: Any, table: Table, report: FindingsReport) -> None:
    header, rows = table_grid(table)
    _grid(document, table.caption, header, rows)
    for note in table_notes(table, report):
        document.add_paragraph(note, style="Caption")


def _grid(document: Any, caption: str, header: list[str], rows: list[list[str]]) -> None:
    from docx.oxml.ns import qn

    document.add_paragraph(caption, style="Caption")
    grid = document.add_table(rows=1 + len(rows), cols=len(header))
    grid.style = "Table Grid"
    for j, text in enumerate(header):
        cell = grid.rows[0].cells[j]
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    # The header row repeats on every page and is announced as the header by screen readers.
    row_pr = grid.rows[0]._tr.get_or_add_trPr()
    row_pr.append(row_pr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))
    for i, line in enumerate(rows, 1):
        cells = grid.rows[i].cells
        for j, text in enumerate(line):
            cells[j].text = text
