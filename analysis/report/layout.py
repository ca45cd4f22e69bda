"""What every renderer prints the same way: a table as a grid of text, the headline lines, the key.

One function per thing, so the HTML, PDF, Word, Excel and slide versions cannot drift apart: a
hidden cell is the engine's "[c]" in all of them, followed by the same footnote.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from analysis.disclosure import NO_PERCENT
from analysis.report.model import FindingsReport, HeadlineFigure, Priority, Quote, Section, Table
from analysis.report.priorities import NOT_RAISED, NOT_YET_KNOWN, RAISED

CI_HEADER = "95% CI"
SMALL_CAUTION = "Fewer than 50 people answered: treat with caution."


def long_date(iso: str) -> str:
    """ "2026-11-01" as "1 November 2026" (anything else as it is)."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%B %Y}"


def table_grid(table: Table) -> tuple[list[str], list[list[str]]]:
    """The table's header and rows as text; the first column is the row label.

    A table with one figure column also gets a 95% interval column.
    """
    with_ci = len(table.columns) == 1 and any(c.ci_display for r in table.rows for c in r.cells)
    has_base = bool(table.base_header) and any(r.base is not None for r in table.rows)
    header = [table.row_header] + ([table.base_header] if has_base else []) + list(table.columns)
    header += [CI_HEADER] if with_ci else []
    rows = []
    for r in table.rows:
        line = [r.label]
        if has_base:
            line.append(r.base.display if r.base is not None else "")
        line += [c.text for c in r.cells] if r.cells else list(r.texts)
        if with_ci:
            line.append(r.cells[0].ci_display if r.cells else "")
        rows.append(line)
    return header, rows


def table_notes(table: Table, report: FindingsReport) -> list[str]:
    """The table's footnotes, with the suppression rule whenever a cell is hidden."""
    notes = list(table.notes)
    if table.has_hidden:
        note = report.suppression_note
        if not any(c.percent_display == NO_PERCENT for r in table.rows for c in r.cells):
            # "— = no percentage" under a table with no "—" had readers looking for one.
            note = re.sub(rf" {re.escape(NO_PERCENT)} = no percentage:[^.]*\.", "", note)
        notes.append(note)
    return notes


def headline_lines(h: HeadlineFigure) -> tuple[str, str]:
    """The big number and the words under it ("of the 184 young people who answered ...")."""
    big = h.figure.percent_display
    words = h.statement
    # A hidden figure's sentence already says how many answered: "Base: the 130 …" would say it twice.
    if not (h.figure.suppressed and f"Of the {h.base.display} {h.who} who answered" in h.statement):
        words += f" Base: the {h.base.display} {h.who} who answered."
    if h.weighted:
        words += " The percentage is weighted to the population; the base is the unweighted number of people."
    if h.small_base:
        words += f" {SMALL_CAUTION}"
    return big, words


def narrative_paragraphs(text: str) -> list[list[str]]:
    """The lead's narrative as paragraphs (split at blank lines), each the list of its lines.

    The text comes from a browser's text box, which sends Windows line endings ("\r\n"), or is pasted
    from other programs; so any line ending counts, and a line of only spaces is a blank line. A single
    line break stays a line break: the text box does not wrap lines into the text, so a break there is
    one the lead typed (an address, a short list, a signature) and joining it into a space would undo it.
    """
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def priority_grid(priorities: list[Priority]) -> tuple[list[str], list[list[str]]]:
    """The "who raised it" key as a table: symbol and word in every cell, never colour alone."""
    groups = list(priorities[0].raised_by) if priorities else []
    header = ["Priority", *groups]
    rows = [[p.label, *(_raised_words(p.raised_by[g]) for g in groups)] for p in priorities]
    return header, rows


def quote_source(q: Quote) -> str:
    """Who said a quote and on what, the same in every format: "Parent/Carer, on family and home life"."""
    return f"{q.attribution}, on {q.theme_label.lower()}" if q.attribution else f"On {q.theme_label.lower()}"


def key_line(key: dict[str, str]) -> str:
    """The priorities key as one sentence: "Key: ● means raised by this group …; — means …"."""
    return "Key: " + "; ".join(f"{symbol} means {meaning}" for symbol, meaning in key.items()) + "."


def _raised_words(raised: bool | None) -> str:
    if raised is None:
        return NOT_YET_KNOWN
    return f"{RAISED} Raised" if raised else f"{NOT_RAISED} Too few or none"


def contents(report: FindingsReport) -> list[Section]:
    """The sections in order (for a contents list)."""
    return list(report.sections)


def set_properties(properties: Any, report: FindingsReport) -> None:
    """Fill a Word or PowerPoint file's properties from the report.

    The libraries' blank documents carry their own author, comments and 2013 dates; left in, they
    would travel with every published copy. The author is the partnership, never the person who
    built the report: staff stay out of what the public downloads."""
    when = dt.datetime.combine(dt.date.fromisoformat(report.data_date), dt.time(), tzinfo=dt.UTC)
    properties.title = report.title
    properties.subject = report.campaign_name
    properties.language = report.language
    properties.author = report.organisation
    properties.last_modified_by = report.organisation
    properties.comments = ""
    properties.keywords = ""
    properties.created = properties.modified = when
    properties.revision = 1


def subtitle(report: FindingsReport) -> str:
    """Who and when, under the title."""
    parts = [f"{report.campaign_name}: answers received by {long_date(report.data_date)}."]
    if report.audiences:
        parts.append(f"Audiences: {', '.join(report.audiences)}.")
    if report.earlier:
        parts.append(f"Compared with {report.earlier}.")
    return " ".join(parts)
