"""The findings report as plain data: what every renderer draws from, and what a published snapshot freezes.

Nothing here computes a number. Every figure is copied from a protected cell of the analysis engine
(`Figure.from_cell`), with the engine's own display text, so the HTML, PDF, Word, Excel and slide
versions all print exactly the same characters, and a hidden cell is "[c]" everywhere. The whole
report round-trips through JSON (`to_json` / `from_json`), so the workspace can store it once and
render it again years later without touching the answers.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass, field
from typing import Any, TypeVar

from analysis.dimensions import AUDIENCE_NAMES
from analysis.disclosure import NO_PERCENT, SUPPRESSED, Cell

#: bumped when a field changes meaning, so an old snapshot is read the way it was written
SCHEMA_VERSION = 1
#: how a bar or a count too small to show is marked (the engine's own mark)
HIDDEN = SUPPRESSED

#: The sections a report can have, in the order they appear.
SECTION_KINDS = (
    "headlines",
    "comparisons",
    "reasons",
    "themes",
    "quotes",
    "word_clouds",
    "priorities",
    "methodology",
)


def audience_label(audience: str) -> str:
    """An audience key as a table heading: "Young people", "Parents and carers"."""
    return AUDIENCE_NAMES.get(audience, audience.replace("_", " ")).capitalize()


@dataclass
class Figure:
    """One published figure: a count (None when hidden) with its percentage and 95% interval as printed."""

    value: int | None
    display: str
    percent: float | None = None
    percent_display: str = NO_PERCENT
    ci: list[float] | None = None
    ci_display: str = ""

    @property
    def suppressed(self) -> bool:
        """Whether the count is hidden to protect privacy."""
        return self.value is None

    @property
    def text(self) -> str:
        """The figure as a table cell: "84 (66%)", "84" when no percentage may be shown, "[c]" when hidden."""
        if self.suppressed:
            return HIDDEN
        if self.percent is None:
            return self.display
        return f"{self.display} ({self.percent_display})"

    @classmethod
    def count(cls, cell: Cell) -> Figure:
        """Only the count of a protected cell (a base: a percentage of itself would say nothing).

        Its percentage is blank, not the "no percentage: too few answered" mark: 375 children are not
        too few."""
        return cls(cell.value, cell.display, percent_display="")

    @classmethod
    def from_cell(cls, cell: Cell, ci_decimals: int | None = None) -> Figure:
        """Copy a protected cell, with the engine's display text (the interval to `ci_decimals` places;
        by default whole per cents, or one decimal where a rounded end would equal the figure itself)."""
        if ci_decimals is None:
            from analysis.wording import ci_decimals as decimals  # wording reads findings; the model is plain data

            ci_decimals = decimals(cell)
        return cls(
            cell.value,
            cell.display,
            cell.percent,
            cell.percent_display(),
            None if cell.ci is None else [cell.ci[0], cell.ci[1]],
            cell.ci_display(ci_decimals),
        )


@dataclass
class Comparison:
    """Our figure against a benchmark or an earlier wave, in the engine's words."""

    kind: str  #: "benchmark" or "earlier"
    against: str
    theirs_percent: float
    words: str  #: "similar to", "lower than", "an increase since" ...
    sentence: str
    p_value: float
    significant: bool
    source: str = ""


@dataclass
class HeadlineFigure:
    """One number, who it is about, the base, the interval and the comparison that gives it meaning."""

    finding_id: str
    question: str
    who: str
    what: str  #: the answers counted, e.g. "Very safe or Fairly safe"
    figure: Figure
    base: Figure
    statement: str
    comparisons: list[Comparison] = field(default_factory=list)
    #: the base is under 50: the text carries a caution
    small_base: bool = False
    #: the percentage is weighted (the counts and the base stay real people)
    weighted: bool = False
    #: the audience whose questionnaire this is ("children"); empty in snapshots saved before it was kept
    audience: str = ""
    #: what the people said, as the statement words it after "78% of <who>": "said they feel safe in
    #: their local area" (empty in older snapshots)
    said: str = ""


@dataclass
class Row:
    """One row of a table: its label, its base (people it is out of) and its cells."""

    label: str
    cells: list[Figure]
    base: Figure | None = None
    #: plain text cells (theme names, "Raised"), used where a row holds words not counts
    texts: list[str] = field(default_factory=list)


@dataclass
class Table:
    """A table with a caption saying what, who and when; bases in every row; footnotes."""

    id: str
    caption: str
    row_header: str
    columns: list[str]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)
    #: column heading for the base, or "" when rows carry no base
    base_header: str = "Base"

    @property
    def has_hidden(self) -> bool:
        """Whether any figure in the table is hidden."""
        return any(c.suppressed for r in self.rows for c in [*r.cells, *([r.base] if r.base else [])])


@dataclass
class Bar:
    """One bar: a share with its interval, or a hidden value that is never drawn."""

    label: str
    figure: Figure


@dataclass
class Chart:
    """A horizontal bar chart of shares, its alt text (the main finding) and the table with its numbers."""

    id: str
    title: str
    alt: str
    bars: list[Bar]
    table_id: str
    axis_label: str = "Per cent"


@dataclass
class Block:
    """One finding in a section: the sentence, the table behind it and its chart."""

    id: str
    title: str
    statement: str
    table: Table
    chart: Chart | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Quote:
    """A short quote, already redacted, attributed only coarsely."""

    theme: str
    theme_label: str
    text: str
    attribution: str  #: "Female, 15–16", "Parent/Carer", or "" when even that would be too narrow
    audience: str


@dataclass
class WordCloud:
    """A word cloud image (from redacted text) with its alt text and the table of its words."""

    group: str
    label: str
    alt: str
    svg: str
    png_base64: str
    table: Table


@dataclass
class Priority:
    """One of the partnership's priorities, who raised it, and what shows it."""

    key: str
    label: str
    #: group label -> raised (by a published answer of that group); None while no free-text answer
    #: has been coded with themes, when nobody can yet say
    raised_by: dict[str, bool | None]
    evidence: list[str] = field(default_factory=list)
    #: what the partnership will do (the lead's words)
    response: str = ""


@dataclass
class Section:
    """A section of the report: generated sentences, blocks, and the lead's own narrative beside them."""

    id: str
    kind: str
    title: str
    narrative: str = ""
    paragraphs: list[str] = field(default_factory=list)
    headlines: list[HeadlineFigure] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    clouds: list[WordCloud] = field(default_factory=list)
    priorities: list[Priority] = field(default_factory=list)
    #: the key of the "who raised it" symbols, e.g. {"●": "raised by this group"}
    key: dict[str, str] = field(default_factory=dict)
    #: tables outside blocks (methodology's numbers by audience and by collection point)
    tables: list[Table] = field(default_factory=list)


@dataclass
class FindingsReport:
    """A "What our communities tell us" report, ready to render to any format."""

    title: str
    campaign_slug: str
    campaign_name: str
    #: the day the answers were read (ISO date): figures describe answers received by then
    data_date: str
    audiences: list[str]
    earlier: str | None
    sections: list[Section]
    #: the footnote for every hidden cell
    suppression_note: str
    language: str = "en-GB"
    #: the partnership publishing it, named as the documents' author; empty when not known
    organisation: str = ""
    #: sources of benchmarks and other notes under the whole report
    notes: list[str] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION

    def section(self, kind: str) -> Section | None:
        """The first section of a kind, if the report has it."""
        return next((s for s in self.sections if s.kind == kind), None)

    def tables(self) -> list[Table]:
        """Every table in reading order (blocks, word-cloud tables and methodology tables)."""
        out: list[Table] = []
        for s in self.sections:
            out += [b.table for b in s.blocks] + [c.table for c in s.clouds] + s.tables
        return out

    def charts(self) -> list[Chart]:
        """Every chart in reading order."""
        return [b.chart for s in self.sections for b in s.blocks if b.chart is not None]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        """The report as JSON (a snapshot that can be rendered again later)."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FindingsReport:
        """A report from `to_dict` data."""
        if data.get("schema_version", SCHEMA_VERSION) > SCHEMA_VERSION:
            raise ValueError("this report was saved by a newer version of the software")
        return _decode(cls, data)

    @classmethod
    def from_json(cls, text: str) -> FindingsReport:
        """A report from `to_json` text."""
        return cls.from_dict(json.loads(text))


T = TypeVar("T")


def _decode(kind: Any, value: Any) -> Any:
    """Rebuild typed data from JSON values, guided by the dataclasses' annotations."""
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return _decode(options[0], value)
    if origin is list:
        (item,) = typing.get_args(kind)
        return [_decode(item, v) for v in value]
    if origin is dict:
        _, item = typing.get_args(kind)
        return {k: _decode(item, v) for k, v in value.items()}
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = typing.get_type_hints(kind)
        names = {f.name for f in dataclasses.fields(kind)}
        return kind(**{k: _decode(hints[k], v) for k, v in value.items() if k in names})
    return value
