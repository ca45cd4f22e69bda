"""The pieces every findings section is made of: a headline figure, an answers table and its chart.

Each copies the engine's protected cells (`Figure.from_cell`) and its sentences; nothing here counts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from analysis import wording
from analysis.config import measure_questions
from analysis.disclosure import Cell
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
    audience_label,
)
from questionnaires.model import AUDIENCES
from questionnaires.scales import SCALES

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


@dataclass(frozen=True)
class AcrossAudiences:
    """How a headline measure is worded when audiences are compared: only in words every audience shares.

    Each audience was asked in its own words (a child answers "Quite safe" to "How safe do you feel in
    the area where you live?", an adult "Fairly safe" to "How safe or unsafe do you feel in your local
    area?"), so one audience's wording over the others would put a child's question to adults.
    """

    #: the question in the heading: the one every audience was asked, or the measure's neutral wording
    question: str
    #: what was counted, in the heading: the shared answers, or "Top two answers"
    counted: str
    #: each audience's row label, with what that audience answered when the answers' words differ
    rows: list[str]
    #: what each audience was asked, when the questions differ
    notes: list[str]
    #: why the audiences are not compared at all (different scales or answers), or ""
    refused: str = ""
    #: the rows say what each audience answered (their answers' words differ)
    own_answers: bool = False

    @property
    def caption_what(self) -> str:
        """What the share is of, for a caption: "answering very safe or fairly safe"."""
        if self.own_answers:
            return f"giving the {self.counted.lower()} (each audience's own words are in its row)"
        return f"answering {self.counted.lower()}"


def across_audiences(data: CampaignData, measure: str, per: Sequence[tuple[str, Finding]]) -> AcrossAudiences:
    """The words for comparing one headline measure across audiences (`per`: each audience's finding).

    Audiences line up by the questionnaires' `measure:` key; they are compared only when every one
    counted the same answer values on the same scale, since a share of the top two of five answers
    and of the top two of four are not the same figure.
    """
    counted: dict[str, frozenset[tuple[str | None, tuple[str, ...]]]] = {}
    for audience, f in per:
        chosen = f.phrase.answers if f.phrase and f.phrase.answers else ()
        counted[audience] = frozenset(
            (c.question.scale, chosen or c.question.top_box)
            for c in data.find(measure=measure)
            if c.audience == audience
        )
    questions = list(dict.fromkeys(f.question for _, f in per))
    answers = list(dict.fromkeys(f.headline or "" for _, f in per))
    question = questions[0] if len(questions) == 1 else measure_questions().get(measure) or questions[0]
    if len(set(counted.values())) > 1:
        who = wording.join_words([audience_label(a).lower() for a, _ in per])
        return AcrossAudiences(
            question,
            answers[0],
            [audience_label(a) for a, _ in per],
            [],
            f"\u201c{question}\u201d is not compared between {who}: they were asked it with different answers, "
            "so their shares do not measure the same thing.",
        )
    notes = []
    if len(questions) > 1 or any(f.asked for _, f in per):
        who_asked: dict[str, list[str]] = {}
        for a, f in per:
            # a version pooled in neutral words was asked in each questionnaire's own
            said = " or ".join(f"\u201c{q}\u201d" for q in (f.asked or [f.question]))
            who_asked.setdefault(said, []).append(audience_label(a).lower())
        asked = "; ".join(f"{wording.join_words(who)} were asked {said}" for said, who in who_asked.items())
        notes.append(f"Each audience was asked in its own words, so this comparison is indicative: {asked}.")
    if len(answers) == 1:
        return AcrossAudiences(question, answers[0], [audience_label(a) for a, _ in per], notes)
    return AcrossAudiences(
        question,
        _top_answers(next(iter(counted.values()))),
        [f"{audience_label(a)}: {f.headline}" for a, f in per],
        notes,
        own_answers=True,
    )


def _top_answers(counted: frozenset[tuple[str | None, tuple[str, ...]]]) -> str:
    """ "Top two answers" when the counted answers are the top of their scale; "Answers counted" otherwise."""
    for scale, values in counted:
        points = [value for value, _ in SCALES[scale][0]] if scale in SCALES else []
        if points[: len(values)] == list(values) and len(values) in wording.COUNT_WORDS:
            return wording.COUNT_WORDS[len(values)]
    return wording.ANSWERS_COUNTED


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
    # The interval beside a figure compared with a benchmark is printed as the sentence prints it.
    against = [line.theirs for line in f.comparisons]

    def figure(label: str, cell: Cell) -> Figure:
        return Figure.from_cell(cell, wording.ci_decimals(cell, against if label == f.headline else ()))

    rows = [Row(label, [figure(label, cell)]) for label, cell in f.table.items()]
    rows += [
        Row(f"{label} (together)", [figure(label, cell)])
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
    """A finding's table notes: what each version asked (when pooled in neutral words), weighting, and
    the caution for a small base."""
    notes = []
    if f.asked:
        said = " and ".join(f"\u201c{text}\u201d" for text in f.asked)
        end = "" if f.asked[-1].rstrip().endswith((".", "?", "!")) else "."  # not "…my home.”."
        notes.append(
            f"The question is given in neutral words; the versions of the survey for {f.subject} asked {said}{end}"
        )
    notes += f.weighting
    if is_small(f):
        notes.append(f"Fewer than {SMALL_BASE} people answered: treat these percentages with caution.")
    return notes
