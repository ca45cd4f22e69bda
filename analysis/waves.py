"""Earlier waves known only by their published headline figures, imported from a CSV.

Most partnerships ran surveys before this one, elsewhere, and kept only the headline figures (so
many of so many young people felt safe in 2024). An analyst imports them into a campaign as rows of
measure, audience, numerator, base and year; a finding then compares its headline share with the
figure for the same measure and the same audience, tested as two proportions, and says the figure
was imported (`analysis.comparisons.imported_lines`).

This module reads and checks such a CSV without Flask: every problem is reported against its row in
plain words, and nothing is imported while any row is wrong. The numerator counts the people who
gave the measure's headline answers (e.g. "Very safe" or "Quite safe"); the base, everyone who
answered the question.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import Column, Connection, Date, Integer, MetaData, String, Table, inspect, select

from analysis.config import load_phrases
from questionnaires.model import AUDIENCES, Questionnaire

#: A file larger than this is refused before it is read (a few hundred figures fit in a few kB).
MAX_BYTES = 1_000_000
#: Rows read at most; a headline-figures file has tens.
MAX_ROWS = 2_000
#: Problems listed at most (the rest are counted).
MAX_PROBLEMS = 50
REQUIRED = ("measure", "audience", "numerator", "base", "year")
OPTIONAL = ("label", "source")
#: Text a spreadsheet would run as a formula when the file is opened again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EARLIEST_YEAR = 1990
#: Words an analyst may write for an audience, besides its id.
AUDIENCE_WORDS = {
    "children": "children",
    "young people": "young_people",
    "young adults": "young_adults",
    "parents and carers": "parents_carers",
    "parents/carers": "parents_carers",
    "parents": "parents_carers",
    "professionals": "professionals",
}

# The imported figures table, mirroring survey_app/models/earlier_figures.py (analysis imports no Flask).
_metadata = MetaData()
imported_figure = Table(
    "imported_figure",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("campaign_id", Integer),
    Column("measure", String(80)),
    Column("audience", String(20)),
    Column("numerator", Integer),
    Column("base", Integer),
    Column("year", Integer),
    Column("label", String(200)),
    Column("source", String(300)),
    Column("imported_on", Date),
)


@dataclass(frozen=True)
class EarlierFigure:
    """One published headline figure of an earlier wave: `numerator` of `base` in `year`."""

    measure: str
    audience: str
    numerator: int
    base: int
    year: int
    label: str = ""
    source: str = ""

    @property
    def percent(self) -> float:
        """The figure as a percentage."""
        return 100 * self.numerator / self.base


@dataclass
class ParsedFigures:
    """What a CSV held: the figures when every row is right, else the problems (each naming its row)."""

    figures: list[EarlierFigure] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: problems found beyond the ones listed
    more_problems: int = 0

    @property
    def ok(self) -> bool:
        """Whether the file can be imported (it has figures and no problems)."""
        return bool(self.figures) and not self.problems

    def add(self, problem: str) -> None:
        """Note a problem (listing at most MAX_PROBLEMS of them)."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more_problems += 1


def measures_asked(questionnaires: Iterable[Questionnaire]) -> dict[str, dict[str, str]]:
    """Measure id (or question key) -> audience -> the headline answers a numerator counts ("Very safe or
    Quite safe"), for every one-answer question with a headline in the standard questionnaires."""
    phrases = load_phrases()
    out: dict[str, dict[str, str]] = {}
    for questionnaire in questionnaires:
        if questionnaire.presentation != "standard":  # a version for part of an audience: not its figure
            continue
        for q in questionnaire.questions():
            if q.is_text or q.type in ("number", "multiple_choice", "ranking"):
                continue
            phrase = phrases.get(q.measure or "") or phrases.get(q.key)
            values = (phrase.answers if phrase and phrase.answers else ()) or q.top_box
            if not values:
                continue
            words = " or ".join(q.label(v) for v in values)
            for name in {q.measure or q.key, q.key}:
                out.setdefault(name, {}).setdefault(questionnaire.audience, words)
    return out


def load_figures(conn: Connection, campaign_id: int) -> list[EarlierFigure]:
    """The figures imported into a campaign (none when the database has no table for them yet)."""
    if not inspect(conn).has_table(imported_figure.name):
        return []
    c = imported_figure.c
    rows = conn.execute(
        select(c.measure, c.audience, c.numerator, c.base, c.year, c.label, c.source)
        .where(c.campaign_id == campaign_id)
        .order_by(c.year, c.measure, c.audience)
    )
    return [EarlierFigure(r[0], r[1], int(r[2]), int(r[3]), int(r[4]), r[5] or "", r[6] or "") for r in rows]


def latest_figure(figures: Iterable[EarlierFigure], measures: set[str], audience: str) -> EarlierFigure | None:
    """The most recent figure for one of these measure ids and exactly this audience (like with like)."""
    found = [f for f in figures if f.audience == audience and f.measure in measures]
    return max(found, key=lambda f: f.year) if found else None


def parse_figures(raw: bytes, known: Mapping[str, set[str]], latest_year: int) -> ParsedFigures:
    """Check a CSV of earlier figures against the measures each audience is asked (`known`: measure
    -> audiences). Never raises on bad input: every problem comes back as a sentence."""
    out = ParsedFigures()
    if len(raw) > MAX_BYTES:
        out.add(
            f"The file is {len(raw) // 1000:,} kB; a file of headline figures should be under {MAX_BYTES // 1000:,} kB."
        )
        return out
    if b"\x00" in raw:
        out.add("The file contains NUL bytes, so it is not a CSV file. Save it from your spreadsheet as CSV (UTF-8).")
        return out
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        out.add("The file is not in UTF-8. Save it from your spreadsheet as CSV (UTF-8).")
        return out
    try:
        rows = list(_rows(text))
    except (csv.Error, _TooMany) as exc:
        out.add(str(exc) if isinstance(exc, _TooMany) else f"The file could not be read as CSV ({exc}).")
        return out
    if not rows or not any(cell.strip() for cell in rows[0]):
        out.add(f"The file is empty. The first row should name the columns: {', '.join(REQUIRED)}.")
        return out
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name and name not in REQUIRED + OPTIONAL]
    if missing:
        out.add(f"The first row should name the columns {', '.join(REQUIRED)}; missing: {', '.join(missing)}.")
    if unknown:
        out.add(f"Columns not understood: {', '.join(unknown)} (allowed: {', '.join(REQUIRED + OPTIONAL)}).")
    if out.problems:
        return out
    seen: dict[tuple[str, str, int], int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header) if name}
        figure = _figure(values, number, known, latest_year, out)
        if figure is None:
            continue
        key = (figure.measure, figure.audience, figure.year)
        if key in seen:
            out.add(f"Row {number}: the same measure, audience and year as row {seen[key]}; keep one of them.")
            continue
        seen[key] = number
        out.figures.append(figure)
    if not out.figures and not out.problems:
        out.add("The file has a header row but no figures under it.")
    return out


class _TooMany(ValueError):
    pass


def _rows(text: str) -> Iterable[list[str]]:
    for count, row in enumerate(csv.reader(io.StringIO(text, newline=""))):
        if count > MAX_ROWS:
            raise _TooMany(f"The file has more than {MAX_ROWS:,} rows; import headline figures only.")
        yield row


def _figure(
    values: dict[str, str], row: int, known: Mapping[str, set[str]], latest_year: int, out: ParsedFigures
) -> EarlierFigure | None:
    """One row as a figure, or None after noting each thing wrong with it."""
    before = len(out.problems) + out.more_problems
    for name, value in values.items():
        if value.startswith(FORMULA_STARTS) and not (name in ("numerator", "base", "year") and value[1:].isdigit()):
            out.add(
                f"Row {row}: the {name} \u201c{value[:40]}\u201d starts like a spreadsheet formula; type it as plain text."
            )
    measure = values.get("measure", "")
    audience_text = values.get("audience", "")
    audience = audience_text if audience_text in AUDIENCES else AUDIENCE_WORDS.get(audience_text.lower(), "")
    if not measure:
        out.add(f"Row {row}: the measure is empty.")
    elif measure not in known:
        out.add(f"Row {row}: no questionnaire in this campaign asks the measure \u201c{measure[:80]}\u201d.")
    if not audience:
        out.add(f"Row {row}: the audience \u201c{audience_text[:40]}\u201d is not one of {', '.join(AUDIENCES)}.")
    elif measure in known and audience not in known[measure]:
        asked = ", ".join(sorted(known[measure])) or "nobody"
        out.add(f"Row {row}: {audience} are not asked \u201c{measure}\u201d in this campaign (it is asked of {asked}).")
    numbers: dict[str, int] = {}
    for name in ("numerator", "base", "year"):
        value = values.get(name, "").replace(",", "")
        if not value.isdigit():
            out.add(f"Row {row}: the {name} should be a whole number, not \u201c{values.get(name, '')[:20]}\u201d.")
        else:
            numbers[name] = int(value)
    if "numerator" in numbers and "base" in numbers:
        if numbers["base"] == 0:
            out.add(f"Row {row}: the base is 0; it should be how many people answered.")
        elif numbers["numerator"] > numbers["base"]:
            out.add(f"Row {row}: the numerator ({numbers['numerator']}) is larger than the base ({numbers['base']}).")
    if "year" in numbers and not EARLIEST_YEAR <= numbers["year"] <= latest_year:
        out.add(f"Row {row}: the year should be between {EARLIEST_YEAR} and {latest_year} (an earlier wave).")
    label, source = values.get("label", ""), values.get("source", "")
    if len(label) > 200 or len(source) > 300:
        out.add(f"Row {row}: the label should be under 200 characters and the source under 300.")
    if len(out.problems) + out.more_problems > before:
        return None
    return EarlierFigure(measure, audience, numbers["numerator"], numbers["base"], numbers["year"], label, source)
