"""The results page's parts, made from the engine's protected findings with the report model's pieces.

Nothing here counts answers: every figure is a published cell of `analysis.findings` (or of the
report's themes table) copied with `Figure.from_cell`. What this module adds is the page's one
family of significance tests: every comparison the page words (benchmarks, earlier waves, audiences
against each other, themes between audiences) is adjusted together with the method of
`analysis.adjustment`, so "higher", "lower" and "significantly" appear only where the adjusted
p-value allows them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from analysis import wording
from analysis.adjustment import DEFAULT_METHOD, methodology_note
from analysis.disclosure import Cell, ProtectedTable
from analysis.findings import Finding
from analysis.report.blocks import AcrossAudiences, comparison_sentence, footnotes, make_chart
from analysis.report.model import Bar, Block, Figure, Row, Table, audience_label
from analysis.stats import ChiSquare, Comparison, adjust_p_values, chi_square_test, two_proportion_test


@dataclass
class Family:
    """The page's significance tests, adjusted together once every one is known."""

    p_values: list[float] = field(default_factory=list)
    then: list[Callable[[float], None]] = field(default_factory=list)
    #: what to write once every test has its adjusted result (sentences made of several)
    after: list[Callable[[], None]] = field(default_factory=list)

    def add(self, p_value: float, apply: Callable[[float], None]) -> None:
        """A test and what to do with its adjusted p-value."""
        self.p_values.append(p_value)
        self.then.append(apply)

    def adjust(self) -> str | None:
        """Adjust every test together and apply the results; the methodology sentence, if any test ran."""
        if self.p_values:
            for apply, p in zip(self.then, adjust_p_values(self.p_values, DEFAULT_METHOD), strict=True):
                apply(p)
        for write in self.after:
            write()
        return methodology_note(DEFAULT_METHOD) if self.p_values else None


def add_findings(family: Family, findings: list[Finding]) -> None:
    """Each finding's comparisons (benchmarks, earlier waves), reworded from their adjusted tests."""
    for f in findings:
        for i, line in enumerate(f.comparisons):

            def apply(p: float, f: Finding = f, i: int = i) -> None:
                old = f.comparisons[i]
                test = replace(old.test, adjusted_p=p)
                f.comparisons[i] = replace(old, test=test, words=wording.compare_words(test, old.kind))
                f.statement = wording.headline(f)

            family.add(line.test.p_value, apply)


def measure_block(
    family: Family, measure: str, per: list[tuple[str, Finding]], threshold: int, words: AcrossAudiences
) -> Block:
    """A headline measure by audience: shares with intervals, a chart, and the audiences compared (adjusted).

    `words` (`across_audiences`) says how to head it in words every audience shares. The sentence
    comparing the audiences is written once the family has been adjusted. Audiences asked with
    different answers are shown side by side but not compared.
    """
    labels = [audience_label(a) for a, _ in per]
    cells = [f.table.subtotals[f.headline or ""] for _, f in per]
    bases = [f.base for _, f in per]
    block_id = f"measure-{measure}"
    title = f"{words.counted}: {words.question}"
    rows = [
        Row(label, [Figure.from_cell(c)], Figure.from_cell(b))
        for label, c, b in zip(words.rows, cells, bases, strict=True)
    ]
    notes = list(dict.fromkeys([*words.notes, *(n for _, f in per for n in footnotes(f))]))
    table = Table(
        f"{block_id}-table",
        f"{wording.sentence(words.question)} Share {words.caption_what}, by audience, with 95% intervals; base: "
        "everyone in the audience who answered.",
        "Audience",
        [words.counted],
        rows,
        notes,
    )
    bars = [Bar(x.label, x.cells[0]) for x in rows]
    block = Block(block_id, title, "", table, make_chart(block_id, title, "", bars, table.id))

    across: list[str] = []

    def write() -> None:
        block.statement = " ".join([*across, *(f.statement for _, f in per)])
        block.chart = make_chart(block_id, title, block.statement, bars, table.id)

    shown = [
        r
        for r, (c, b) in enumerate(zip(cells, bases, strict=True))
        if c.value is not None and (b.value or 0) >= threshold
    ]
    test = None
    if len(shown) > 1:
        test = chi_square_test([[cells[r].value or 0, (bases[r].value or 0) - (cells[r].value or 0)] for r in shown])
    if words.refused:
        across.append(words.refused)
    elif test is not None and test.p_value == test.p_value:  # NaN: every answer the same, nothing to test
        family.add(
            test.p_value,
            lambda p: across.append(_across(words.counted, labels, cells, bases, replace(test, adjusted_p=p))),
        )
    family.after.append(write)  # the findings' own sentences change when they are adjusted too
    return block


def comparisons_table(question: str, measure: str, per: list[tuple[str, Finding]]) -> Table | None:
    """A headline measure's comparisons with benchmarks and earlier waves, per audience (after adjustment).

    `question` is the measure block's heading question (shared by every audience, or neutral).
    """
    lines = [(audience_label(a), f, c) for a, f in per for c in f.comparisons]
    if not lines:
        return None
    return Table(
        f"measure-{measure}-compared",
        f"{wording.sentence(question)} Our figure for each audience compared with published benchmarks and earlier waves; "
        "the words are what a significance test allows after adjusting for every comparison on this page.",
        "Audience",
        ["Ours", "Compared with", "Theirs", "What we can say", "Source"],
        [
            Row(
                who,
                [],
                texts=[
                    f.table.subtotals[f.headline or ""].percent_display(),
                    c.label,
                    f"{c.theirs:g}%",
                    comparison_sentence(c),
                    c.citation,
                ],
            )
            for who, f, c in lines
        ],
        base_header="",
    )


def _across(counted: str, labels: list[str], cells: list[Cell], bases: list[Cell], test: ChiSquare) -> str:
    """The engine's breakdown sentence for the audiences, from the adjusted test."""
    hidden = Cell(None)
    table = ProtectedTable(
        tuple(labels),
        (counted,),
        tuple((c,) for c in cells),
        tuple(bases),
        (hidden,),
        hidden,
        subtotals={counted: (tuple(cells), hidden)},
    )
    return wording.breakdown_sentence(None, "audience", table, counted, test)


def theme_differences(family: Family, table: Table, out: list[str]) -> None:
    """For each theme, the audiences with the highest and lowest published shares, tested (adjusted) in `out`.

    Only published figures are used: the first row of the themes table holds each audience's people
    who wrote an answer, the others the people raising each theme.
    """
    if len(table.columns) < 2 or not table.rows:
        return
    bases = table.rows[0].cells
    for row in table.rows[1:]:
        shown = [
            (cell.percent, j)
            for j, cell in enumerate(row.cells)
            if cell.percent and cell.value is not None and bases[j].value
        ]
        if len(shown) < 2:
            continue
        (low, lo), (high, hi) = min(shown), max(shown)
        test = two_proportion_test(
            row.cells[hi].value or 0, bases[hi].value or 0, row.cells[lo].value or 0, bases[lo].value or 0
        )
        place = len(out)
        out.append("")
        who_hi, who_lo = table.columns[hi].lower(), table.columns[lo].lower()

        def apply(
            p: float,
            place: int = place,
            label: str = row.label,
            hi: tuple = (who_hi, high),
            lo: tuple = (who_lo, low),
            test: Comparison = test,
        ) -> None:
            if replace(test, adjusted_p=p).significant:
                out[place] = (
                    f"\u201c{label}\u201d was raised significantly more often by {hi[0]} ({wording.pct(hi[1])}) "
                    f"than by {lo[0]} ({wording.pct(lo[1])})."
                )
            else:
                out[place] = (
                    f"\u201c{label}\u201d was raised by similar shares of each audience "
                    f"(from {wording.pct(lo[1])} of {lo[0]} to {wording.pct(hi[1])} of {hi[0]})."
                )

        family.add(test.p_value, apply)
