"""Coded answers as CSV: one text column and one 0/1 column per theme (any codebook, any spreadsheet)."""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

YES = frozenset({"1", "1.0", "yes", "y", "true", "t", "x"})
NO = frozenset({"", "0", "0.0", "no", "n", "false", "f"})


class DataError(ValueError):
    """A CSV that cannot be used as it is; the message says which column or row and why."""


@dataclass
class CodedAnswers:
    """Answers with their themes: `texts[i]` has the themes where `Y[i, j] == 1`."""

    texts: list[str]
    Y: np.ndarray
    themes: list[str]
    rows: list[dict[str, str]]
    #: rows left out because their text was empty
    dropped: int = 0
    #: the question each answer answered, where the file names it (`load_coded(question_column=...)`)
    questions: list[str] | None = None

    def column(self, name: str) -> list[str]:
        """Another column of the kept rows (for splits such as train on one trust, test on the other)."""
        if self.rows and name not in self.rows[0]:
            raise DataError(f"no column {name!r}")
        return [r.get(name, "") for r in self.rows]

    def subset(self, index: Sequence[int] | np.ndarray) -> CodedAnswers:
        """The chosen rows."""
        idx = list(np.asarray(index, dtype=int))
        return CodedAnswers(
            [self.texts[i] for i in idx],
            self.Y[idx],
            self.themes,
            [self.rows[i] for i in idx],
            questions=None if self.questions is None else [self.questions[i] for i in idx],
        )


def read_rows(path: str | Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a CSV file (UTF-8, a byte-order mark allowed)."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames:
            raise DataError(f"{path}: empty file, or no header row")
        rows = [{k: (v if v is not None else "") for k, v in row.items() if k is not None} for row in reader]
        return list(reader.fieldnames), rows


def _is_flag(values: list[str]) -> bool:
    seen = {v.strip().lower() for v in values}
    return seen <= (YES | NO) and bool(seen & YES)


def theme_columns(
    header: list[str], rows: list[dict[str, str]], text_column: str, exclude: Sequence[str] = ()
) -> list[str]:
    """The columns that look like 0/1 theme codes (only 1/0/blank/yes/no, at least one yes)."""
    return [c for c in header if c != text_column and c not in exclude and _is_flag([r.get(c, "") for r in rows])]


def load_coded(
    path: str | Path,
    text_column: str,
    themes: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    question_column: str | None = None,
) -> CodedAnswers:
    """Read coded answers; `themes` defaults to every column that looks like 0/1 codes, and
    `question_column` names the column saying which question each answer answered."""
    header, rows = read_rows(path)
    for column, what in ((text_column, "text"), (question_column, "question")):
        if column is not None and column not in header:
            raise DataError(f"{path}: no {what} column {column!r} (columns: {', '.join(header)})")
    not_themes = (*exclude, question_column) if question_column else tuple(exclude)
    chosen = list(themes) if themes else theme_columns(header, rows, text_column, not_themes)
    missing = [t for t in chosen if t not in header]
    if missing:
        raise DataError(f"{path}: no theme column(s) {', '.join(map(repr, missing))}")
    if not chosen:
        raise DataError(f"{path}: no theme columns found (columns holding only 1/0/blank, with at least one 1)")
    kept = [r for r in rows if (r.get(text_column) or "").strip()]
    Y = np.zeros((len(kept), len(chosen)), dtype=int)
    for i, row in enumerate(kept):
        for j, col in enumerate(chosen):
            value = (row.get(col) or "").strip().lower()
            if value in YES:
                Y[i, j] = 1
            elif value not in NO:
                raise DataError(f"{path}: row {i + 2}, column {col!r}: {value!r} is not 1, 0 or blank")
    questions = None if question_column is None else [_question(r.get(question_column)) for r in kept]
    return CodedAnswers(
        [r[text_column] for r in kept], Y, chosen, kept, dropped=len(rows) - len(kept), questions=questions
    )


def _question(value: str | None) -> str:
    """A question as written, its spacing made regular: the same question is often typed with a line
    break in one export and a space in the next."""
    return " ".join((value or "").split())


def load_texts(path: str | Path, text_column: str) -> tuple[list[str], list[dict[str, str]], list[str]]:
    """Answers to code: texts (blank for empty rows), the rows and the header."""
    header, rows = read_rows(path)
    if text_column not in header:
        raise DataError(f"{path}: no text column {text_column!r} (columns: {', '.join(header)})")
    return [r.get(text_column) or "" for r in rows], rows, header


def questions_of(rows: list[dict[str, str]], header: list[str], question_column: str | None) -> list[str] | None:
    """The question each row answered, from `question_column` (None without one)."""
    if question_column is None:
        return None
    if question_column not in header:
        raise DataError(f"no question column {question_column!r} (columns: {', '.join(header)})")
    return [_question(r.get(question_column)) for r in rows]
