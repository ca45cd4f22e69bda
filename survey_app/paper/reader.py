"""Reading a completed template (CSV or XLSX) into a header and rows of text, one row at a time."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator

#: Excel's own limit on a cell's length: a longer cell was never typed into a spreadsheet.
MAX_CELL_CHARS = 32_767
#: Control characters nobody types (tab and line breaks are kept); PostgreSQL refuses NUL in text.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class UnreadableFile(ValueError):
    """A file that isn't a CSV or XLSX we can read, explained in plain words."""


class TooManyRows(UnreadableFile):
    """A file with more rows than one import takes; `rows_read` says how far reading got before it stopped."""

    def __init__(self, message: str, rows_read: int) -> None:
        super().__init__(message)
        self.rows_read = rows_read


def read_rows(
    data: bytes,
    filename: str,
    max_rows: int = 5000,
    check_header: Callable[[list[str]], str] | None = None,
) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows, every cell as stripped text ('' when empty).

    The header is checked (check_header returns why it is wrong, or '') before any data row is read,
    and reading stops at the first row past max_rows, so a huge sheet costs little to refuse.
    """
    stream = stream_rows(data, filename)
    header = next(stream, None)
    if header is None:
        raise UnreadableFile("The file is empty: it has no header row.")
    refusal = check_header(header) if check_header else ""
    if refusal:
        raise UnreadableFile(refusal)
    rows: list[list[str]] = []
    for row in stream:
        if len(rows) == max_rows:
            raise TooManyRows(
                f"The file has more than {max_rows:,} rows of answers below the header (empty rows with "
                "formatting count too), which is more than one import takes. Please split it into files of "
                f"up to {max_rows:,} rows, or delete the empty rows below the answers, and import each.",
                rows_read=len(rows) + 1,
            )
        rows.append(row)
    return header, rows


def stream_rows(data: bytes, filename: str) -> Iterator[list[str]]:
    """The header, then each data row, read lazily from the file."""
    if filename.lower().endswith(".xlsx"):
        return _xlsx(data)
    if filename.lower().endswith(".csv"):
        return _csv(data)
    raise UnreadableFile(
        f"\u201c{filename}\u201d is not a .csv or .xlsx file. Please save the template as one of those."
    )


def _cells(values: Iterable[object], row: int) -> list[str]:
    """One row's cells as clean text; a cell longer than a spreadsheet can hold refuses the file."""
    cells = [_cell(v) for v in values]
    if any(len(c) > MAX_CELL_CHARS for c in cells):
        raise UnreadableFile(
            f"Row {row} has a cell longer than {MAX_CELL_CHARS:,} characters, more than a spreadsheet cell "
            "can hold. Please check the file is a completed template."
        )
    return cells


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return CONTROL_CHARACTERS.sub("", str(value)).strip()


def _csv(data: bytes) -> Iterator[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise UnreadableFile("The file's text couldn't be read. Please save it as CSV UTF-8.")
    reader = csv.reader(io.StringIO(text))
    try:
        for number, row in enumerate(reader, start=1):
            yield _cells(row, number)
    except csv.Error as exc:  # an unclosed quote, or a field past the csv module's own size limit
        raise UnreadableFile(
            f"Row {reader.line_num} of the file couldn't be read as CSV ({exc}). Please save it again as CSV UTF-8."
        ) from exc


def _xlsx(data: bytes) -> Iterator[list[str]]:
    try:
        # Read-only mode streams the sheet's XML instead of building every cell in memory first.
        from openpyxl import load_workbook  # on use: openpyxl is 30 MB no web worker needs

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:  # SyntaxError: broken XML
        raise UnreadableFile("The file couldn't be opened as an Excel (.xlsx) workbook.") from exc
    try:
        sheet = book["Answers"] if "Answers" in book.sheetnames else book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield _cells(row, number)
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as exc:  # SyntaxError: the sheet's XML is broken
        raise UnreadableFile(
            "The workbook's \u201cAnswers\u201d sheet couldn't be read. Please save it again."
        ) from exc
    finally:
        book.close()
