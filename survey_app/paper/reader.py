"""Reading a completed template (CSV or XLSX) into a header and rows of text."""

from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import load_workbook


class UnreadableFile(ValueError):
    """A file that isn't a CSV or XLSX we can read, explained in plain words."""


def read_rows(data: bytes, filename: str) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows, every cell as stripped text ('' when empty)."""
    if filename.lower().endswith(".xlsx"):
        return _xlsx(data)
    if filename.lower().endswith(".csv"):
        return _csv(data)
    raise UnreadableFile(
        f"\u201c{filename}\u201d is not a .csv or .xlsx file. Please save the template as one of those."
    )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv(data: bytes) -> tuple[list[str], list[list[str]]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise UnreadableFile("The file's text couldn't be read. Please save it as CSV UTF-8.")
    rows = [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text))]
    if not rows:
        raise UnreadableFile("The file is empty: it has no header row.")
    return rows[0], rows[1:]


def _xlsx(data: bytes) -> tuple[list[str], list[list[str]]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile("The file couldn't be opened as an Excel (.xlsx) workbook.") from exc
    sheet = book["Answers"] if "Answers" in book.sheetnames else book.worksheets[0]
    rows = [[_cell(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    if not rows:
        raise UnreadableFile("The \u201cAnswers\u201d sheet is empty: it has no header row.")
    return rows[0], rows[1:]
