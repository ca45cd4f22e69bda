"""A finding's comparisons: its headline figure against published benchmarks and an earlier wave.

The earlier wave is another campaign's raw answers when one is given (`earlier_lines`), or else the
headline figures imported for this campaign from an earlier survey (`imported_lines`, see
`analysis.waves`), which say they were imported.
"""

from __future__ import annotations

from analysis import wording
from analysis.config import ADULTS, Benchmark
from analysis.disclosure import Cell, protect_counts
from analysis.finding_model import ComparisonLine, Settings
from analysis.load import QuestionColumn
from analysis.pooling import Pooled, count_answers, pool, share
from analysis.stats import one_proportion_test, two_proportion_test
from analysis.waves import EarlierFigure, latest_figure


def benchmark_lines(
    pooled: Pooled, picked: tuple[int, ...], ours: Cell, x: float, n: float, settings: Settings
) -> list[ComparisonLine]:
    """The headline share (`x` of `n`) against each benchmark for this measure that counts the same answers."""
    lines = []
    ages = finding_ages(pooled.columns)
    for b in _for_measure(pooled, settings):
        if ours.percent is None or not b.describes(ages):  # another population's figure says nothing about ours
            continue
        if set(pooled.indices(b.top_box)) != set(picked):  # a benchmark counting other answers isn't comparable
            continue
        p0 = b.value / 100
        test = (
            two_proportion_test(x, n, p0 * b.sample_size, b.sample_size)
            if b.sample_size
            else one_proportion_test(x, n, p0)
        )
        lines.append(
            ComparisonLine(
                "benchmark",
                b.label,
                ours,
                b.value,
                test,
                wording.compare_words(test, "benchmark"),
                b.citation(),
                benchmark_id=b.id,
            )
        )
    return lines


def finding_ages(columns: list[QuestionColumn]) -> tuple[int, int | None]:
    """The ages a finding's answers come from: its questionnaires' age ranges (adults when none is given)."""
    ranges = [c.questionnaire.age_range or ADULTS for c in columns]
    highs = [high for _, high in ranges]
    return min(low for low, _ in ranges), None if None in highs else max(h for h in highs if h is not None)


#: How a note on a benchmark left out begins.
NOT_COMPARED = "Not compared with"


def benchmark_notes(pooled: Pooled, lines: list[ComparisonLine], settings: Settings, *, compared: bool) -> list[str]:
    """A note for each benchmark the sentence used, and for each one it left out because it describes other ages."""
    used = {line.benchmark_id for line in lines if line.kind == "benchmark"}
    ages = finding_ages(pooled.columns)
    notes: list[str] = []
    for b in _for_measure(pooled, settings):
        if b.id in used:
            note = f"{b.label[0].upper()}{b.label[1:]}: {b.citation()}. {b.note}".strip()
        elif compared and not b.describes(ages):
            note = f"{NOT_COMPARED} {b.label} ({b.population}, {b.year}): {_why_other_ages(b.ages, ages)}."
        else:
            continue
        if note not in notes:
            notes.append(note)
    return notes


def _for_measure(pooled: Pooled, settings: Settings) -> list[Benchmark]:
    return [b for b in settings.benchmarks if b.measure in (pooled.question.measure, pooled.question.key)]


def _why_other_ages(theirs: tuple[int, int | None], ours: tuple[int, int | None]) -> str:
    """Why a benchmark of other ages is left out, in words that hold when one range sits inside the other
    ("it describes people aged 16 and over, and these answers come from people aged 18 to 25" gave no reason)."""
    if theirs[1] is None and ours[1] is not None and ours[0] >= theirs[0]:
        return (
            f"it describes everyone aged {theirs[0]} and over, and these answers come only from "
            f"{_ages_words(ours)}, a narrow band of that population"
        )
    if theirs[1] is not None and ours[1] is not None:
        overlap = min(theirs[1], ours[1]) - max(theirs[0], ours[0]) + 1
        share = "none" if overlap <= 0 else "no more than half"
        return (
            f"it describes {_ages_words(theirs)}, and {share} of the ages these answers come from "
            f"({ours[0]} to {ours[1]}) fall in that range"
        )
    return f"it describes {_ages_words(theirs)}, and these answers come from {_ages_words(ours)}"


def _ages_words(ages: tuple[int, int | None]) -> str:
    low, high = ages
    return f"people aged {low} and over" if high is None else f"people aged {low} to {high}"


def earlier_lines(
    pooled: Pooled,
    columns: list[QuestionColumn],
    picked: tuple[int, ...],
    headline: str,
    ours: Cell,
    x: float,
    n: float,
    settings: Settings,
) -> list[ComparisonLine]:
    """The headline share against the same measure, for the same audiences, in the earlier campaign."""
    earlier = settings.earlier
    assert earlier is not None
    # The same questionnaires on both sides: another version for the audience (easy read) asks other people
    # in other words, so mixing it in would measure a change in who answered, not in what they said.
    questionnaires = {c.questionnaire.id for c in columns}
    measure = pooled.question.measure
    found = [
        c
        for c in (earlier.find(measure=measure) if measure else earlier.find(pooled.question.key))
        if c.questionnaire.id in questionnaires
    ]
    if not found or ours.percent is None:
        return []
    then = pool(found)
    if then.kind != "single":
        return []
    then_picked = then.indices([pooled.options[i].value for i in picked])
    weights = settings.earlier_weights.values if settings.earlier_weights is not None else None
    counts, weighted = count_answers(then, then.answered, weights)
    table = protect_counts(
        counts[0],
        total=int(then.answered.sum()),
        policy=settings.policy,
        subtotals={headline: then_picked},
        weighted=weighted,
    )
    theirs = table.subtotals[headline]
    if theirs.percent is None:
        return []
    x2, n2 = share(then, then_picked, then.answered, weights)
    test = two_proportion_test(x, n, x2, n2)
    year = earlier.campaign.opens_on.year if earlier.campaign.opens_on else earlier.campaign.name
    return [
        ComparisonLine(
            "earlier",
            f"{year}",
            ours,
            theirs.percent,
            test,
            wording.compare_words(test, "earlier"),
            earlier.campaign.name,
        )
    ]


def imported_lines(
    pooled: Pooled,
    columns: list[QuestionColumn],
    ours: Cell,
    x: float,
    n: float,
    figures: list[EarlierFigure],
    settings: Settings,
) -> list[ComparisonLine]:
    """The headline share against the latest imported figure for the same measure and the same audience.

    Like with like: a finding pooling several audiences, or about only the version of a questionnaire
    for part of an audience (easy read), describes other people than an audience's figure does; the
    audience's questionnaires together (standard and easy read) are the audience. A figure from fewer
    people than the smallest count we publish is not compared either.
    """
    audiences = {c.audience for c in columns}
    if not figures or ours.percent is None or len(audiences) != 1:
        return []
    if all(c.questionnaire.presentation != "standard" for c in columns):
        return []
    measures = {m for m in (pooled.question.measure, pooled.question.key) if m}
    figure = latest_figure(figures, measures, audiences.pop())
    if figure is None or figure.base < settings.policy.threshold:
        return []
    test = two_proportion_test(x, n, figure.numerator, figure.base)
    named = figure.label or "Earlier survey"
    if str(figure.year) not in named:
        named += f", {figure.year}"
    citation = f"{named}: {figure.numerator:,} of {figure.base:,} (imported figures)"
    return [
        ComparisonLine(
            "earlier",
            f"the imported {figure.year} figure",
            ours,
            figure.percent,
            test,
            wording.compare_words(test, "earlier"),
            citation + (f"; {figure.source}" if figure.source else ""),
        )
    ]
