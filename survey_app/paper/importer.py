"""Checking completed paper templates row by row, and adding the valid rows to a campaign in one go."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from flask import current_app, has_app_context
from sqlalchemy import select

from questionnaires.model import Answer, Question
from survey_app.config import Config
from survey_app.extensions import db
from survey_app.models import Campaign, CollectionPoint, PaperImport, QuestionnaireVersion
from survey_app.paper.reader import UnreadableFile, read_rows
from survey_app.paper.template import SEPARATOR, columns
from survey_app.survey.answer_types import MultipleChoice, input_for
from survey_app.survey.submission import record_response

#: What the entry point reports when its commit meets the same file imported by someone else a moment ago.
RACED = "This exact file was imported a moment ago, so it was not imported again."


@dataclass(frozen=True)
class Problem:
    """Something wrong with one cell (or a whole row or file), in plain words."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ImportReport:
    """What an import did: rows imported, rows left out and why, or why the whole file was refused."""

    filename: str
    imported: int = 0
    empty_rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    refused: str | None = None

    @property
    def rejected_rows(self) -> list[int]:
        """Spreadsheet row numbers left out because of problems."""
        return sorted({p.row for p in self.problems if p.row is not None})

    def summary(self) -> str:
        """One paragraph for the screen or the terminal."""
        if self.refused:
            return f"{self.filename}: nothing was imported. {self.refused}"
        text = f"{self.filename}: {self.imported} row(s) imported."
        if self.rejected_rows:
            rows = ", ".join(str(r) for r in self.rejected_rows)
            text += (
                f" {len(self.rejected_rows)} row(s) had problems and were not imported (rows {rows}). "
                "Correct them and import a file with only those rows."
            )
        return text


def file_hash(data: bytes) -> str:
    """SHA-256 of the file's bytes."""
    return hashlib.sha256(data).hexdigest()


def row_key(digest: str, row: int) -> str:
    """The idempotency key of a file's row: deterministic, so even a racing second import of the
    same file makes no duplicates."""
    return hashlib.sha256(f"paper:{digest}:{row}".encode()).hexdigest()


def _letter(header: list[str], name: str) -> str:
    from openpyxl.utils import get_column_letter  # on use: openpyxl is 30 MB no web worker needs

    return f"{get_column_letter(header.index(name) + 1)} ({name})"


def _choice(q: Question, cell: str) -> str | None:
    """The option value a cell means: its value or its words, in any capitals; None if neither."""
    wanted = cell.strip().casefold()
    for o in q.options:
        if wanted in (o.value.casefold(), o.label.casefold()):
            return o.value
    return None


def check_row(
    q_columns: dict[str, list[str]], questions: list[Question], cells: dict[str, str], row: int, header: list[str]
) -> tuple[dict[str, Answer], list[Problem]]:
    """One row's answers, checked by the web's own rules, and its problems."""
    answers: dict[str, Answer] = {}
    problems: list[Problem] = []
    for q in questions:
        handler = input_for(q)
        raw: dict[str, object] = {}
        bad = False
        for name in q_columns[q.key]:
            cell = cells.get(name, "")
            if handler.is_text_field(q, name) or not cell:  # words as written, checked by the handler
                raw[name] = cell
            elif isinstance(handler, MultipleChoice):
                values = []
                for part in (p.strip() for p in cell.split(SEPARATOR)):
                    value = _choice(q, part) if part else None
                    if part and value is None:
                        problems.append(Problem(row, _letter(header, name), _not_an_answer(q, part)))
                        bad = True
                    elif value:
                        values.append(value)
                raw[name] = values
            else:
                value = _choice(q, cell)
                if value is None:
                    problems.append(Problem(row, _letter(header, name), _not_an_answer(q, cell)))
                    bad = True
                raw[name] = value or ""
        if bad:
            continue
        answer, errors = handler.parse(q, raw)
        for name, message in errors.items():
            column = name if name in header else q_columns[q.key][0]
            problems.append(Problem(row, _letter(header, column) if column in header else column, message))
        if answer is not None and not errors:
            answers[q.key] = answer
    return answers, problems


def _not_an_answer(q: Question, cell: str) -> str:
    shown = ", ".join(o.value for o in q.options)
    return f"\u201c{cell}\u201d is not one of the answers to \u201c{q.text}\u201d. Write one of: {shown}."


def import_file(
    data: bytes,
    filename: str,
    version: QuestionnaireVersion,
    point: CollectionPoint | None = None,
    today: dt.date | None = None,
    *,
    campaign: Campaign | None = None,
    max_rows: int | None = None,
) -> ImportReport:
    """Check every row; add the valid ones as responses to the campaign (flushes; the caller commits once).

    Every response belongs to `campaign` (the collection point's, when only a point is given), so it
    reaches the campaign's dashboard, exports, coding, retention and safeguarding reviewers; with
    neither, the file is refused rather than stored where nobody would see it.
    """
    report = ImportReport(filename=filename)
    campaign = campaign or (point.campaign if point is not None else None)
    refusal = wrong_campaign(version, campaign, point)
    if refusal:
        report.refused = refusal
        return report
    assert campaign is not None
    digest = file_hash(data)
    earlier = db.session.scalar(select(PaperImport).filter_by(content_hash=digest))
    if earlier is not None:
        report.refused = (
            f"This exact file was already imported on {earlier.imported_on:%-d %B %Y} "
            f"(as \u201c{earlier.filename}\u201d), so it was not imported again."
        )
        return report
    questionnaire = version.questionnaire
    expected = columns(questionnaire)
    known = {c.name for c in expected}

    def wrong_header(header: list[str]) -> str:
        """Why the header isn't this questionnaire's template, checked before any row is read."""
        unknown = [h for h in header if h and h not in known]
        if not unknown and any(h in known for h in header):
            return ""
        return (
            f"The columns don't match the template for \u201c{questionnaire.title}\u201d"
            + (f" (not in it: {', '.join(unknown[:5])})" if unknown else "")
            + f". Please use the template from `flask responses template {questionnaire.id}`."
        )

    try:
        header, rows = read_rows(data, filename, max_rows or _max_rows(), check_header=wrong_header)
    except UnreadableFile as exc:
        report.refused = str(exc)
        return report
    q_columns: dict[str, list[str]] = {}
    for c in expected:
        q_columns.setdefault(c.question.key, []).append(c.name)
    questions = list(questionnaire.questions())
    today = today or dt.date.today()
    valid: list[tuple[int, dict[str, Answer]]] = []
    for index, values in enumerate(rows, start=2):  # row 1 is the header, as a spreadsheet counts
        cells = {h: values[i] if i < len(values) else "" for i, h in enumerate(header) if h}
        if not any(cells.values()):
            report.empty_rows += 1
            continue
        answers, problems = check_row(q_columns, questions, cells, index, header)
        if problems:
            report.problems.extend(problems)
        else:
            valid.append((index, answers))
    for index, answers in valid:
        record_response(
            version,
            answers,
            language="en",
            campaign_id=campaign.id,
            collection_point_id=point.id if point else None,
            submitted_on=today,
            idempotency_key=row_key(digest, index),
        )
    if valid:
        db.session.add(
            PaperImport(
                content_hash=digest,
                filename=filename[:255],
                questionnaire_version_id=version.id,
                collection_point_id=point.id if point else None,
                imported_rows=len(valid),
                rejected_rows=len(report.rejected_rows),
                imported_on=today,
            )
        )
        db.session.flush()
    report.imported = len(valid)
    return report


def _max_rows() -> int:
    """The most rows one import reads (PAPER_MAX_ROWS), or the default outside an app."""
    if has_app_context():
        config: Config = current_app.config["COMMUNITY_VOICE"]
        return config.paper_max_rows
    return Config.paper_max_rows


def wrong_campaign(version: QuestionnaireVersion, campaign: Campaign | None, point: CollectionPoint | None) -> str:
    """Why these forms can't go into this campaign (in plain words), or '' when they can."""
    if campaign is None:
        return "Say which campaign these questionnaires belong to, so their answers reach its results and reviewers."
    if point is not None and point.campaign_id != campaign.id:
        return (
            f"The collection point \u201c{point.name}\u201d is not one of the campaign \u201c{campaign.name}\u201d's."
        )
    if campaign.questionnaire_ids and version.questionnaire_id not in campaign.questionnaire_ids:
        return (
            f"\u201c{version.questionnaire_id}\u201d is not one of the campaign \u201c{campaign.name}\u201d's "
            f"questionnaires ({', '.join(campaign.questionnaire_ids)})."
        )
    return ""
