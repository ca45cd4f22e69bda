"""The pieces every findings section is made of: a headline figure, an answers table and its chart.

Each copies the engine's protected cells (`Figure.from_cell`) and its sentences; nothing here counts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from analysis import wording
from analysis.findings import ComparisonLine, Finding
from analysis.load import CampaignData
from analysis.report.model import (
    Bar,
    Block,
    Chart,
    Comparison,
    Figure,
    HeadlineFigure,
    Row,
    Table,
)
from questionnaires.model import AUDIENCES

#: Under this base a percentage carries a caution.
SMALL_BASE = 50
TITLES = {
    "headlines": "Headline figures",
    "comparisons": "How audiences compare",
    "reasons": "Top reasons",
    "themes": "What people raised, by audience",
    "quotes": "In their own words",
    "word_clouds": "Word clouds",
    "priorities": "Our priorities and who raised them",
    "methodology": "How the survey was done",
}


def audience_view(data: CampaignData, audiences: Sequence[str]) -> CampaignData:
    """The campaign with only these audiences' questions (the same responses; others simply didn't answer)."""
    wanted = set(audiences)
    columns = {k: c for k, c in data.columns.items() if c.audience in wanted}
    return dataclasses.replace(data, columns=columns, dimensions={})


def campaign_audiences(data: CampaignData) -> list[str]:
    """The audiences that answered, in the standard order."""
    present = {data.questionnaires[q].audience for q in data.questionnaire_ids}
    return [a for a in AUDIENCES if a in present]


def is_weighted(f: Finding) -> bool:
    """Whether the engine weighted this finding's percentages (its weighting lines say so per questionnaire)."""
    return any(": weighted to " in line for line in f.weighting)


def is_small(f: Finding) -> bool:
    """Whether the base is under 50 (the figure carries a caution)."""
    return f.base.value is not None and f.base.value < SMALL_BASE


def comparison_sentence(line: ComparisonLine) -> str:
    """How the engine's headline sentence words one comparison."""
    if line.kind == "benchmark":
        return f"{line.words} {line.label} of {line.theirs:g}%"
    if line.words == "similar to":
        return f"similar to {line.label} ({wording.pct(line.theirs)})"
    return f"{line.words} {line.label} (from {wording.pct(line.theirs)})"


def headline_figure(f: Finding, audience: str = "") -> HeadlineFigure:
    """One finding's headline (its top box) with the base, interval and comparisons."""
    assert f.headline is not None
    comparisons = [
        Comparison(
            c.kind,
            c.label,
            c.theirs,
            c.words,
            comparison_sentence(c),
            c.test.p_value,
            c.test.significant,
            c.citation,
        )
        for c in f.comparisons
    ]
    return HeadlineFigure(
        f.id,
        f.question,
        f.subject,
        f.headline,
        Figure.from_cell(f.table.subtotals[f.headline]),
        Figure.from_cell(f.base),
        f.statement,
        comparisons,
        is_small(f),
        is_weighted(f),
        audience,
        wording.headline_what(f),
    )


def answers_block(f: Finding, block_id: str, title: str) -> Block:
    """A finding's answers as a table and a bar chart (the sentence is the engine's)."""
    rows = [Row(label, [Figure.from_cell(cell)]) for label, cell in f.table.items()]
    rows += [
        Row(f"{label} (together)", [Figure.from_cell(cell)])
        for label, cell in f.table.subtotals.items()
        if label not in f.table.labels
    ]
    rows.append(Row("Total who answered", [Figure.count(f.base)]))
    table = Table(
        f"{block_id}-table",
        f"{wording.sentence(f.question)} Answers from {f.subject}; base: everyone who answered ({f.base.display}).",
        "Answer",
        ["Number (%)"],
        rows,
        footnotes(f),
        base_header="",
    )
    bars = [Bar(label, Figure.from_cell(cell)) for label, cell in f.table.items()]
    return Block(block_id, title, f.statement, table, make_chart(block_id, title, f.statement, bars, table.id))


def make_chart(block_id: str, title: str, finding_text: str, bars: list[Bar], table_id: str) -> Chart:
    """A bar chart whose alt text is its title and the finding, and says what is not drawn."""
    hidden = sum(1 for b in bars if b.figure.suppressed or b.figure.percent is None)
    alt = f"Bar chart: {title.rstrip('.?!:')}. {finding_text}"
    if hidden:
        alt += f" {hidden} {'value is' if hidden == 1 else 'values are'} not drawn, to protect privacy."
    return Chart(f"{block_id}-chart", title, alt, bars, table_id)


def footnotes(f: Finding) -> list[str]:
    """A finding's table notes: weighting, and the caution for a small base."""
    notes = list(f.weighting)
    if is_small(f):
        notes.append(f"Fewer than {SMALL_BASE} people answered: treat these percentages with caution.")
    return notes
