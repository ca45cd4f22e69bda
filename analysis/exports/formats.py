"""An export table written as CSV, an Excel workbook (data, codebook and notes sheets) or SPSS .sav.

Every text cell of the CSV and the workbook is formula-safe: one that a spreadsheet would run as a
formula (starting =, +, -, @, tab or carriage return) gets a leading apostrophe, so an answer such
as "=HYPERLINK(...)" stays words. The .sav keeps the codes with their value labels and the question
wording as variable labels, which SPSS, R (haven) and pandas (pyreadstat) read back.
"""

from __future__ import annotations

import csv
import io
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from analysis.exports.model import ExportTable, Variable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: format -> (file extension, mimetype)
FORMATS = {"csv": ("csv", "text/csv"), "xlsx": ("xlsx", XLSX_MIMETYPE), "sav": ("sav", "application/x-spss-sav")}


def formula_safe(value: Any) -> Any:
    """A value a spreadsheet shows as text rather than runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write(table: ExportTable, fmt: str) -> bytes:
    """The table in one of FORMATS."""
    if fmt == "csv":
        return to_csv(table).encode("utf-8-sig")  # the BOM makes Excel read UTF-8 (Polish, Urdu, Arabic)
    if fmt == "xlsx":
        return to_xlsx(table)
    if fmt == "sav":
        return to_sav(table)
    raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")


def _shown(variable: Variable) -> list[Any]:
    """What each cell of a column shows: the label of a labelled code, a whole number, or the text
    (None for empty). Worked out a column at a time, so half a million rows cost a list per column."""
    if variable.kind == "text":
        return [formula_safe(value) if value else None for value in variable.values]
    values = np.asarray(variable.values, dtype=float)
    missing = np.isnan(values)
    if variable.show_labels:
        labels = {code: formula_safe(label) for code, label in variable.value_labels.items()}
        codes = np.where(missing, -1, values).astype(np.int64).tolist()
        return [None if code == -1 else labels.get(code, code) for code in codes]
    whole = np.where(missing, 0, values)
    if np.all(whole == np.round(whole)):
        return [
            None if gap else number
            for gap, number in zip(missing.tolist(), whole.astype(np.int64).tolist(), strict=True)
        ]
    return [None if gap else round(number, 6) for gap, number in zip(missing.tolist(), values.tolist(), strict=True)]


def _rows(table: ExportTable) -> Iterator[tuple[Any, ...]]:
    columns = [_shown(v) for v in table.variables]
    return zip(*columns, strict=True) if columns else iter(())


def to_csv(table: ExportTable) -> str:
    """One header row of variable names, then a row per response (labels for labelled answers)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([v.name for v in table.variables])
    writer.writerows(("" if cell is None else cell for cell in row) for row in _rows(table))
    return buffer.getvalue()


def codebook_rows(table: ExportTable) -> list[list[str]]:
    """Variable, label, type and values with their labels: the codebook sheet."""
    rows = [["Variable", "Label", "Type", "Values and labels"]]
    for v in table.variables:
        kind = "text" if v.kind == "text" else ("category" if v.show_labels else "number")
        values = "; ".join(f"{code} = {label}" for code, label in v.value_labels.items())
        rows.append([v.name, v.label, kind, values])
    return rows


def to_xlsx(table: ExportTable) -> bytes:
    """A workbook with the data, the codebook and the notes on what is and is not protected."""
    from openpyxl import Workbook  # heavy: loaded only when a workbook is asked for

    book = Workbook(write_only=True)
    data = book.create_sheet("Data")
    data.append([v.name for v in table.variables])
    for cells in _rows(table):
        data.append(list(cells))
    codebook = book.create_sheet("Codebook")
    for row in codebook_rows(table):
        codebook.append([formula_safe(cell) for cell in row])
    notes = book.create_sheet("Notes")
    notes.append([formula_safe(f"{table.campaign}: export for analysts")])
    notes.append([formula_safe("Free text: " + ("original, as typed" if table.original_text else "redacted"))])
    for line in table.notes:
        notes.append([formula_safe(line)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cut(text: str, limit: int) -> str:
    """Text within an SPSS limit counted in UTF-8 bytes (value labels 120, variable labels 255)."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def _note_lines(notes: list[str], width: int = 80) -> list[str]:
    """The notes as SPSS document lines (at most 80 characters each)."""
    return [line for note in notes for line in textwrap.wrap(note, width)]


def to_sav(table: ExportTable) -> bytes:
    """An SPSS file: codes with value labels, questions as variable labels, notes as the file label."""
    import pandas as pd  # heavy: loaded only when an SPSS file is asked for
    import pyreadstat

    frame = pd.DataFrame(
        {
            v.name: (
                pd.Series([x or "" for x in v.values], dtype=object)
                if v.kind == "text"
                else pd.Series(v.values, dtype="float64")
            )
            for v in table.variables
        }
    )
    labels = {
        v.name: {float(code): _cut(label, 120) for code, label in v.value_labels.items()}
        for v in table.variables
        if v.value_labels
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.sav"
        pyreadstat.write_sav(
            frame,
            str(path),
            file_label=_cut(f"{table.campaign}: export for analysts", 64),
            column_labels=[_cut(v.label, 255) for v in table.variables],
            variable_value_labels=labels,
            note=_note_lines(table.notes),
        )
        return path.read_bytes()
