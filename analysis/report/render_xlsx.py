"""The report's tables as an Excel workbook (openpyxl): a Notes sheet, then one sheet per table.

No merged cells; each sheet starts with the table's caption, then one header row, then the rows, and
its footnotes under it. Every text cell is formula-safe: text starting with = + - @, a tab or a
carriage return is prefixed with an apostrophe, so a spreadsheet never runs it. Counts are written
as they are published: a hidden cell is the text "[c]", never a number.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from analysis.report.layout import key_line, priority_grid, table_grid, table_notes
from analysis.report.model import FindingsReport, Section, Table

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Excel sheet names: at most 31 characters, none of these
BAD_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")


def safe(text: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula."""
    return f"'{text}" if text.startswith(FORMULA_START) else text


def render_xlsx(report: FindingsReport) -> bytes:
    """The report's tables as .xlsx bytes."""
    from openpyxl import Workbook  # on use: openpyxl is 30 MB the web workers never need

    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Notes"
    _notes(notes, report)
    used = {"Notes"}
    for n, table in enumerate(report.tables(), 1):
        sheet = book.create_sheet(_sheet_name(n, table, used))
        _table(sheet, table, report)
    priorities = report.section("priorities")
    if priorities is not None and priorities.priorities:
        _priorities(book.create_sheet("Priorities"), priorities)
    book.properties.title = report.title
    book.properties.language = report.language
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


#: A column of counts whose name says only that: its two columns are headed "Number" and "%".
PLAIN_COLUMNS = ("Number", "People")
#: How a sheet's name starts, by the kind of table its id starts with: a headline figure's and a reason's need
#: none (their question keys tell them apart), and the room goes to the words ("30 Young people what would help").
SHEET_KINDS = {"headline": "", "compare": "Compare", "reasons": "", "themes": "Themes", "cloud": "Words"}
SHEET_AUDIENCES = {
    "children": "Children",
    "young_people": "Young people",
    "young_adults": "Young adults",
    "parents_carers": "Parents",
    "professionals": "Professionals",
}
SHEET_NAMES = {"method-audiences": "Responses by audience", "method-points": "Responses by point"}


def _sheet_name(n: int, table: Table, used: set[str]) -> str:
    """ "12 Young adults carried weapon", not "12 headline-young_adults-carrie": a name people can read,
    cut at a whole word within Excel's 31 characters, numbered in the report's order."""
    words = SHEET_NAMES.get(table.id)
    if words is None:
        parts = [p for p in table.id.split("-") if p not in ("table", "chart")]
        named = [SHEET_KINDS.get(parts[0], parts[0])] + [SHEET_AUDIENCES.get(p, p.replace("_", " ")) for p in parts[1:]]
        words = " ".join(w for w in named if w)
    name = f"{n} {BAD_SHEET_CHARACTERS.sub(' ', words)}"
    if len(name) > 31:
        name = name[:32].rsplit(" ", 1)[0]
    used.add(name)
    return name


def _write(sheet: Worksheet, row: int, values: list[str | int | float | None], bold: bool = False) -> None:
    for column, value in enumerate(values, 1):
        cell = sheet.cell(row=row, column=column, value=safe(value) if isinstance(value, str) else value)
        if bold:
            from openpyxl.styles import Font

            cell.font = Font(bold=True)


def _grid(table: Table) -> tuple[list[str], list[list[str | int | float | None]]]:
    """Numbers as numbers: a count column and a % column per figure column; hidden counts are "[c]"."""
    if all(not r.cells for r in table.rows):
        header, texts = table_grid(table)
        return header, [list[str | int | float | None](r) for r in texts]
    # A column of counts alone (responses by audience) has no percentage to give: no % column for it.
    counts_only = [
        all(len(r.cells) <= j or r.cells[j].percent_display == "" for r in table.rows)
        for j in range(len(table.columns))
    ]
    with_ci = len(table.columns) == 1 and not counts_only[0]
    has_base = bool(table.base_header) and any(r.base is not None for r in table.rows)
    header = [table.row_header] + ([table.base_header] if has_base else [])
    for column, bare in zip(table.columns, counts_only, strict=True):
        # "Number (%)" splits into "Number" and "%", not "Number (%): number" and "Number (%): %".
        name = column.removesuffix(" (%)")
        if bare:
            header.append(column)
        elif name in PLAIN_COLUMNS:
            header += [name, "%"]
        else:
            header += [f"{name}: number", f"{name}: %"]
    header += ["95% CI low (%)", "95% CI high (%)"] if with_ci else []
    rows: list[list[str | int | float | None]] = []
    for r in table.rows:
        line: list[str | int | float | None] = [r.label]
        if has_base:
            line.append(None if r.base is None else r.base.value if r.base.value is not None else r.base.display)
        for c, bare in zip(r.cells, counts_only, strict=False):
            line.append(c.display if c.value is None else c.value)
            if not bare:
                # a count in a table of shares (the total who answered) leaves its % cell empty
                line.append(round(c.percent, 1) if c.percent is not None else c.percent_display or None)
        if with_ci:
            ci = r.cells[0].ci if r.cells else None
            line += [round(ci[0], 1), round(ci[1], 1)] if ci else [None, None]
        rows.append(line)
    return header, rows


def _notes(sheet: Worksheet, report: FindingsReport) -> None:
    lines: list[list[str | int | float | None]] = [
        [report.title],
        ["Source", f"{report.campaign_name} (campaign \u201c{report.campaign_slug}\u201d), Community Voice survey"],
        ["Answers received by", report.data_date],
        ["Audiences", ", ".join(report.audiences)],
    ]
    if report.earlier:
        lines.append(["Compared with", report.earlier])
    lines += [
        ["Bases", "Each table says who its percentages are out of: the Base column, or a row of people who answered."],
        ["Suppression rule", report.suppression_note],
    ]
    method = report.section("methodology")
    for paragraph in method.paragraphs if method else []:
        lines.append(["Method", paragraph])
    lines += [["Note", n] for n in report.notes]
    lines.append(["Tables", "One sheet per table, in the order of the report, each headed by its caption."])
    if report.section("priorities") is not None:
        lines.append(
            ["Priorities", "The last sheet: which groups raised each priority, and what the partnership will do."]
        )
    for i, line in enumerate(lines, 1):
        _write(sheet, i, line, bold=i == 1)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 120


def _table(sheet: Worksheet, table: Table, report: FindingsReport) -> None:
    header, rows = _grid(table)
    _write(sheet, 1, [table.caption], bold=True)
    _write(sheet, 2, list(header), bold=True)
    for i, line in enumerate(rows, 3):
        _write(sheet, i, line)
    for j, note in enumerate(table_notes(table, report), len(rows) + 4):
        _write(sheet, j, [note])
    sheet.column_dimensions["A"].width = 40
    for letter in "BCDEFGHIJKL":
        sheet.column_dimensions[letter].width = 16


def _priorities(sheet: Worksheet, section: Section) -> None:
    """Who raised each priority (symbol and word, as in every format) and what the partnership will do."""
    header, rows = priority_grid(section.priorities)
    responses = [p.response.strip() for p in section.priorities]
    with_response = any(responses)
    _write(sheet, 1, [section.title], bold=True)
    _write(sheet, 2, [*header, *(["What we will do"] if with_response else [])], bold=True)
    for i, (line, response) in enumerate(zip(rows, responses, strict=True), 3):
        _write(sheet, i, [*line, *([response] if with_response else [])])
    notes = [*section.paragraphs, key_line(section.key)]
    for j, note in enumerate(notes, len(rows) + 4):
        _write(sheet, j, [note])
    sheet.column_dimensions["A"].width = 40
    for letter in "BCDEFGH":
        sheet.column_dimensions[letter].width = 20
