"""The sections made from the engine's findings: headline figures, comparisons between audiences, top reasons.

Headline figures and the comparison between audiences come from the *same* findings (one per
audience and measure): audiences are different people, so no total links the tables, and a cell
hidden in one cannot be worked out from another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from analysis import wording
from analysis.disclosure import Cell, ProtectedTable
from analysis.findings import Finding, Settings
from analysis.load import CampaignData
from analysis.report.blocks import (
    TITLES,
    AcrossAudiences,
    across_audiences,
    answers_block,
    footnotes,
    headline_figure,
    make_chart,
)
from analysis.report.model import (
    Bar,
    Block,
    Figure,
    Row,
    Section,
    Table,
    audience_label,
)
from analysis.stats import ChiSquare, chi_square_test
from questionnaires.model import Question

if TYPE_CHECKING:
    from analysis.report.build import ReportSpec

#: Question keys that ask "why": tick-all or ranking questions whose key says so.
REASON_WORDS = ("reason", "why", "what_would_help")


def headlines(found: dict[str, list[Finding]]) -> Section:
    """A headline figure and its answers table per audience and headline measure."""
    section = Section("headlines", "headlines", TITLES["headlines"])
    for audience, findings in found.items():
        for f in findings:
            section.headlines.append(headline_figure(f, audience))
            block = answers_block(f, f"headline-{audience}-{f.id}", f"{f.question} ({f.subject})")
            # The big number and its table carry a headline; the charts are in the comparisons, so a
            # report has a chart per idea rather than one per audience and question.
            block.chart = None
            section.blocks.append(block)
    if not section.headlines:
        section.paragraphs.append("None of the headline questions was asked of the audiences in this report.")
    return section


@dataclass
class AudienceComparison:
    """One headline measure across the audiences asked it: the figures, and the test on them.

    Made before the report's p-values are adjusted, so that the test joins that family (a report's
    "differed significantly" earns the same adjusted 5% as every other difference it states)."""

    measure: str
    words: AcrossAudiences
    question: Question | None = None
    labels: tuple[str, ...] = ()
    cells: tuple[Cell, ...] = ()
    bases: tuple[Cell, ...] = ()
    test: ChiSquare | None = None
    #: per audience, the figures its headline is compared with (benchmarks, an earlier wave)
    against: tuple[tuple[float, ...], ...] = ()


def audience_comparisons(
    campaign: CampaignData, found: dict[str, list[Finding]], spec: ReportSpec, settings: Settings
) -> list[AudienceComparison]:
    """Each headline measure asked of two or more audiences, with a chi-square test on the published counts."""
    out = []
    for measure in spec.headline_measures:
        per = [(a, f) for a, fs in found.items() for f in fs if f.id == measure]
        if len(per) < 2:
            continue
        words = across_audiences(campaign, measure, per)
        if words.refused:
            out.append(AudienceComparison(measure, words))
            continue
        cells = tuple(f.table.subtotals[f.headline or ""] for _, f in per)
        bases = tuple(f.base for _, f in per)
        question = campaign.find(measure=measure)[0].question
        test = _audience_test(cells, bases, settings.policy.threshold)
        labels = tuple(audience_label(a) for a, _ in per)
        against = tuple(tuple(line.theirs for line in f.comparisons) for _, f in per)
        out.append(AudienceComparison(measure, words, question, labels, cells, bases, test, against))
    return out


def comparisons(found: dict[str, list[Finding]], compared: list[AudienceComparison]) -> Section:
    """Each headline measure across the audiences asked it, from the same findings as the headlines,
    with its test as the report's adjustment left it."""
    section = Section("comparisons", "comparisons", TITLES["comparisons"])
    for c in compared:
        words = c.words
        if words.refused:
            section.paragraphs.append(words.refused)
            continue
        assert c.question is not None
        sentence = _across_audiences(c.question, words.counted, c.labels, c.cells, c.bases, c.test)
        # Each audience's interval as its headline prints it (one decimal beside a benchmark it rounds to).
        rows = [
            Row(label, [Figure.from_cell(cell, wording.ci_decimals(cell, against))], Figure.from_cell(base))
            for label, cell, base, against in zip(words.rows, c.cells, c.bases, c.against, strict=True)
        ]
        block_id = f"compare-{c.measure}"
        title = f"{words.counted}: {words.question}"
        table = Table(
            f"{block_id}-table",
            f"{wording.sentence(words.question)} Share {words.caption_what}, by audience; base: everyone in "
            "the audience who answered.",
            "Audience",
            [words.counted],
            rows,
            list(words.notes),
        )
        bars = [Bar(label, Figure.from_cell(cell)) for label, cell in zip(words.rows, c.cells, strict=True)]
        section.blocks.append(
            Block(block_id, title, sentence, table, make_chart(block_id, title, sentence, bars, table.id))
        )
    if not section.blocks and not section.paragraphs:
        section.paragraphs.append("No headline question was asked of more than one audience in this report.")
    # The row says what was measured, not just the answer counted: two "Yes: young people" rows
    # (carried a knife, has a trusted adult) read as the same figure.
    rows = [
        Row(
            _measured(f),
            [],
            texts=[
                f.table.subtotals[f.headline or ""].percent_display(),
                c.label,
                f"{c.theirs:g}%",
                c.words,
                c.citation,
            ],
        )
        for findings in found.values()
        for f in findings
        for c in f.comparisons
    ]
    kinds = {c.kind for findings in found.values() for f in findings for c in f.comparisons}
    # named only when there is one: a caption naming "the earlier survey" when none was chosen misleads
    against = [w for k, w in (("benchmark", "published benchmarks"), ("earlier", "the earlier survey")) if k in kinds]
    if rows:
        section.tables.append(
            Table(
                "compare-benchmarks",
                f"Headline figures compared with {wording.join_words(against)}: ours, theirs, and what a "
                "significance test allows us to say (5% level).",
                "Figure",
                ["Ours", "Compared with", "Theirs", "Difference", "Source"],
                rows,
                base_header="",
            )
        )
    return section


def _measured(f: Finding) -> str:
    """ "Young people aged 11 to 18 who said they have carried a knife": who, and what was counted."""
    said = f"{f.subject} who {wording.headline_what(f)}"
    return said[:1].upper() + said[1:]


def _audience_test(cells: tuple[Cell, ...], bases: tuple[Cell, ...], threshold: int) -> ChiSquare | None:
    """A chi-square test on the published counts of the audiences whose figures are shown."""
    shown = [
        r
        for r, (c, b) in enumerate(zip(cells, bases, strict=True))
        if c.value is not None and b.value is not None and b.value >= threshold
    ]
    if len(shown) < 2:
        return None
    return chi_square_test([[cells[r].value or 0, (bases[r].value or 0) - (cells[r].value or 0)] for r in shown])


def _across_audiences(
    question: Question,
    counted: str,
    labels: tuple[str, ...],
    cells: tuple[Cell, ...],
    bases: tuple[Cell, ...],
    test: ChiSquare | None,
) -> str:
    """The engine's breakdown sentence, with the (adjusted) chi-square test on the published counts."""
    hidden = Cell(None)
    table = ProtectedTable(
        labels,
        (counted,),
        tuple((c,) for c in cells),
        bases,
        (hidden,),
        hidden,
        subtotals={counted: (cells, hidden)},
    )
    return wording.breakdown_sentence(question, "audience", table, counted, test)


def reason_keys(view: CampaignData, spec: ReportSpec) -> list[str]:
    """The why-questions an audience's view asks that the reasons section reports on."""
    keys = spec.reason_questions or sorted(
        {
            c.key
            for c in view.columns.values()
            if c.kind in ("multiple", "ranking") and any(w in c.key for w in REASON_WORDS)
        }
    )
    return [k for k in keys if view.find(k)]


def reasons(found: dict[str, list[Finding]], spec: ReportSpec) -> Section:
    """The most common answers to each why-question, per audience, with overlaps called similar.

    `found` holds each audience's why-question findings, made with the rest of the report (one publication).
    """
    section = Section("reasons", "reasons", TITLES["reasons"])
    for audience, findings in found.items():
        for f in findings:
            key = f.id
            ranked = sorted(
                ((label, cell) for label, cell in f.table.items() if cell.percent is not None and cell.value),
                key=lambda item: -(item[1].percent or 0),
            )[: spec.top_reasons]
            if not ranked:
                # Every answer is hidden: an empty chart, "the 0 most common answers" and a caution
                # about percentages nobody can see would say nothing, so say that plainly instead.
                section.paragraphs.append(
                    f"The answers {f.subject} gave to \u201c{f.question}\u201d are too few to show without "
                    "risking that someone could be recognised."
                )
                continue
            block_id = f"reasons-{audience}-{key}"
            # "(e.g., parks) (young adults aged 18 to 25)" read as one aside inside another
            title = f"{f.question} \u2014 {f.subject}" if f.question.endswith(")") else f"{f.question} ({f.subject})"
            # with answers hidden, one of them may be more common than those listed
            shown = " that can be shown" if any(cell.suppressed for _, cell in f.table.items()) else ""
            listed = "The most common answer" if len(ranked) == 1 else f"The {len(ranked)} most common answers"
            # A ranking's sentence names the most common first choice: the table shows what it rests on.
            firsts = f.first_choices
            rows = [
                Row(label, [Figure.from_cell(cell)] + ([Figure.from_cell(firsts[label])] if firsts else []))
                for label, cell in ranked
            ]
            rows.append(Row("Total who answered", [Figure.count(f.base)] * (2 if firsts else 1)))
            table = Table(
                f"{block_id}-table",
                f"{wording.sentence(f.question)} {listed}{shown} from {f.subject}; each is out of everyone "
                f"who answered ({f.base.display}), and people could "
                + (
                    "put several in order; the First choice column counts those who put it first."
                    if firsts
                    else "give more than one."
                ),
                "Answer",
                ["Number (%)", "First choice (%)"] if firsts else ["Number (%)"],
                rows,
                footnotes(f) + _overlap(ranked),
                base_header="",
            )
            bars = [Bar(label, Figure.from_cell(cell)) for label, cell in ranked]
            section.blocks.append(
                Block(block_id, title, f.statement, table, make_chart(block_id, title, f.statement, bars, table.id))
            )
    if not section.blocks and not section.paragraphs:
        section.paragraphs.append("No question asking why was answered by enough people to report.")
    return section


def _overlap(ranked: list[tuple[str, Cell]]) -> list[str]:
    """Say when neighbouring answers' intervals overlap (similar), or their shares are equal (joint)."""
    notes = []
    for (a, x), (b, y) in zip(ranked, ranked[1:], strict=False):
        if x.percent is not None and x.percent == y.percent:
            notes.append(f"\u201c{a}\u201d and \u201c{b}\u201d are tied: the same share gave each.")
        elif x.ci and y.ci and x.ci[0] <= y.ci[1]:
            notes.append(f"\u201c{a}\u201d and \u201c{b}\u201d are similar: their 95% intervals overlap.")
    return notes
