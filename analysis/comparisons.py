"""A finding's comparisons: its headline figure against published benchmarks and an earlier campaign."""

from __future__ import annotations

from analysis import wording
from analysis.disclosure import Cell, protect_counts
from analysis.finding_model import ComparisonLine, Settings
from analysis.load import QuestionColumn
from analysis.pooling import Pooled, count_answers, pool, share
from analysis.stats import one_proportion_test, two_proportion_test


def benchmark_lines(
    pooled: Pooled, picked: tuple[int, ...], ours: Cell, x: float, n: float, settings: Settings
) -> list[ComparisonLine]:
    """The headline share (`x` of `n`) against each benchmark for this measure that counts the same answers."""
    lines = []
    for b in settings.benchmarks:
        if b.measure not in (pooled.question.measure, pooled.question.key) or ours.percent is None:
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
                "benchmark", b.label, ours, b.value, test, wording.compare_words(test, "benchmark"), b.citation()
            )
        )
    return lines


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
    audiences = {c.audience for c in columns}
    measure = pooled.question.measure
    found = [
        c
        for c in (earlier.find(measure=measure) if measure else earlier.find(pooled.question.key))
        if c.audience in audiences
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
