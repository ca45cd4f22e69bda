"""The columns of a paper-return template, and the template files themselves."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from questionnaires.model import Question, Questionnaire
from survey_app.survey.answer_types import MultipleChoice, Ranking, input_for, other_field

#: How several ticked answers are written in one cell.
SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    """One template column: the form field it fills and the question it belongs to."""

    name: str
    question: Question
    #: what to write, in words, for the guide
    how: str


def columns(questionnaire: Questionnaire) -> list[Column]:
    """Every column, in the order the questions are asked."""
    found: list[Column] = []
    for q in questionnaire.questions():
        handler = input_for(q)
        for name in handler.fields(q):
            found.append(Column(name, q, _how(q, name)))
    return found


def _how(q: Question, name: str) -> str:
    if name == other_field(q):
        return "The words written beside \u201cOther\u201d (or the self-description), if any."
    handler = input_for(q)
    choices = ", ".join(o.value for o in q.options)
    if isinstance(handler, Ranking):
        place = name.rsplit("-", 1)[1]
        return f"Choice number {place}. Write one of: {choices}."
    if isinstance(handler, MultipleChoice):
        return f"Every ticked answer, separated by \u201c{SEPARATOR}\u201d. Write any of: {choices}."
    if q.options:
        return f"Write one of: {choices}. (The answer's words are accepted too.)"
    if q.type == "number":
        limits = f" from {q.min} to {q.max}" if q.min is not None and q.max is not None else ""
        return f"A whole number{limits}."
    return f"The words written, up to {q.max_length or 1000} characters. Leave out any names."


def template_csv(questionnaire: Questionnaire) -> bytes:
    """A CSV template: one header row of column names (UTF-8 with a byte-order mark, for Excel)."""
    out = io.StringIO()
    csv.writer(out).writerow([c.name for c in columns(questionnaire)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(questionnaire: Questionnaire, version: int | None = None) -> bytes:
    """An XLSX template: an "Answers" sheet to fill in, and a "Guide" sheet saying what goes in each column."""
    from openpyxl import Workbook  # on use: openpyxl is 30 MB no web worker needs
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Answers"
    cols = columns(questionnaire)
    sheet.append([c.name for c in cols])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("Guide")
    guide.append([f"{questionnaire.title} ({questionnaire.id}{f', version {version}' if version else ''})"])
    guide.append(
        [
            "One row per paper questionnaire. Leave a cell empty when a question wasn't answered. "
            "Don't type names, addresses or anything else that could identify someone."
        ]
    )
    guide.append([])
    guide.append(["Column", "Question", "What to write"])
    for cell in guide[4]:
        cell.font = Font(bold=True)
    for c in cols:
        guide.append([c.name, c.question.text, c.how])
    for letter, width in (("A", 24), ("B", 60), ("C", 80)):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
