"""Findings: the counts, percentages, comparisons and breakdowns behind every statement in a report.

A finding is about one question (by key) or one measure (the same question across audiences). It
holds only protected figures: every table in it has been through `analysis.disclosure`, and its
sentences are written from those published cells, so a statement can never quote a hidden count.

What a finding holds is in `analysis.finding_model`; pooling and counting answers in
`analysis.pooling`; comparisons in `analysis.comparisons`; breakdowns in `analysis.breakdowns`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analysis import wording
from analysis.breakdowns import NOT_KNOWN, breakdown
from analysis.comparisons import benchmark_lines, earlier_lines
from analysis.config import Benchmark, Phrase
from analysis.dimensions import AUDIENCE_NAMES
from analysis.disclosure import (
    ProtectedCounts,
    ProtectedTable,
    SharedHidden,
    check_differencing,
    protect_counts,
    protect_linked,
)
from analysis.finding_model import Breakdown, ComparisonLine, Finding, Settings
from analysis.load import CampaignData, QuestionColumn
from analysis.pooling import Pooled, count_answers, option_labels, pool, share
from analysis.weighting import load_population, weight_campaign

__all__ = [
    "NOT_KNOWN",
    "Breakdown",
    "ComparisonLine",
    "Finding",
    "Pooled",
    "Settings",
    "finding",
    "full_report",
    "pool",
]


def finding(
    data: CampaignData,
    *,
    key: str | None = None,
    measure: str | None = None,
    questionnaire: str | None = None,
    by: Sequence[str] = (),
    where: np.ndarray | None = None,
    where_label: str = "",
    settings: Settings | None = None,
) -> Finding:
    """The finding for a question key or a measure (all audiences that ask it, or one questionnaire)."""
    settings = settings or Settings()
    columns = [c for c in data.find(key, measure) if questionnaire in (None, c.questionnaire.id)]
    pooled = pool(columns)
    mask = pooled.answered if where is None else pooled.answered & where
    if where is not None:
        check_differencing(
            int(mask.sum()),
            int(pooled.answered.sum()),
            policy=settings.policy,
            what=f"\u201c{pooled.question.text}\u201d for {where_label or 'this selection'}",
        )
    weights = settings.weights.values if settings.weights is not None else None
    subject = _subject(columns) + (f" ({where_label})" if where_label else "")

    phrase = settings.phrases.get(pooled.question.measure or "") or settings.phrases.get(pooled.question.key)
    subtotals, headline = _subtotals(pooled, phrase, settings.benchmarks)
    counts, weighted = count_answers(pooled, mask, weights)

    # The answers table and every breakdown share their column totals (the same people), so they
    # are protected together: a figure hidden in one is hidden in all.
    def protect(hidden: SharedHidden) -> tuple[ProtectedCounts, list[Breakdown]]:
        table = protect_counts(
            dict(zip(option_labels(pooled.options), counts[0], strict=True)),
            total=int(mask.sum()),
            exclusive=pooled.kind == "single",
            policy=settings.policy,
            subtotals=subtotals if pooled.kind == "single" else None,
            weighted=weighted,
            hide=hidden.columns,
            hide_subtotals=hidden.subtotals,
        )
        picked = subtotals.get(headline or "")
        parts = [breakdown(data, pooled, name, mask, weights, headline, picked, settings, hidden) for name in by]
        return table, parts

    def tables_of(built: tuple[ProtectedCounts, list[Breakdown]]) -> list[ProtectedCounts | ProtectedTable]:
        return [built[0], *(b.table for b in built[1])]

    table, breakdowns = protect_linked(protect, tables_of)
    first = None
    if pooled.kind == "ranking":
        firsts = [int((pooled.data[j][mask] == 1).sum()) for j in range(len(pooled.options))]
        first = protect_counts(
            dict(zip(option_labels(pooled.options), firsts, strict=True)),
            total=int(mask.sum()),
            exclusive=False,
            policy=settings.policy,
        )
    result = Finding(
        measure or key or pooled.question.key,
        pooled.question.text,
        subject,
        pooled.kind,
        sorted({c.audience for c in columns}),
        table,
        first,
        headline,
        phrase,
        [],
        breakdowns,
    )
    if headline is not None:
        ours = table.subtotals[headline]
        x, n = share(pooled, subtotals[headline], mask, weights)
        result.comparisons += benchmark_lines(pooled, subtotals[headline], ours, x, n, settings)
        if settings.earlier is not None:
            result.comparisons += earlier_lines(pooled, columns, subtotals[headline], headline, ours, x, n, settings)
    if settings.weights is not None:
        used = {c.questionnaire.id for c in columns}
        result.weighting = [r.describe() for r in settings.weights.reports if r.questionnaire_id in used]
    result.notes.append(settings.policy.note)
    result.notes += [
        f"{b.label[0].upper()}{b.label[1:]}: {b.citation()}. {b.note}".strip()
        for b in settings.benchmarks
        if any(line.label == b.label for line in result.comparisons)
    ]
    result.statement = wording.headline(result)
    return result


def full_report(
    data: CampaignData, *, by: Sequence[str] = (), weight: bool = False, settings: Settings | None = None
) -> list[Finding]:
    """A finding for every question that can be counted, per questionnaire, and per shared measure."""
    settings = settings or Settings()
    if weight and settings.weights is None:
        settings.weights = weight_campaign(data, load_population())
    out = []
    for (qid, key), column in data.columns.items():
        if column.kind != "number" and column.question.type not in ("demographic", "area"):
            out.append(finding(data, key=key, questionnaire=qid, by=by, settings=settings))
    for measure in sorted({c.measure for c in data.columns.values() if c.measure}):
        if len(data.find(measure=measure)) > 1:
            out.append(finding(data, measure=measure, by=("audience",), settings=settings))
    return out


def _subject(columns: list[QuestionColumn]) -> str:
    audiences = list(dict.fromkeys(c.audience for c in columns))
    if len(columns) == 1 and columns[0].questionnaire.age_range:
        low, high = columns[0].questionnaire.age_range
        return f"{AUDIENCE_NAMES.get(audiences[0], audiences[0])} aged {low} to {high}"
    return wording.join_words([AUDIENCE_NAMES.get(a, a) for a in audiences])


def _subtotals(
    pooled: Pooled, phrase: Phrase | None, benchmarks: list[Benchmark]
) -> tuple[dict[str, tuple[int, ...]], str | None]:
    """Named sums of options to protect with the table, and which one the headline is about."""
    if pooled.kind != "single":
        return {}, None
    wanted: list[tuple[str, ...]] = []
    if phrase and phrase.answers:
        wanted.append(phrase.answers)
    if pooled.question.top_box:
        wanted.append(pooled.question.top_box)
    wanted += [b.top_box for b in benchmarks if b.measure in (pooled.question.measure, pooled.question.key)]
    subtotals: dict[str, tuple[int, ...]] = {}
    for values in wanted:
        picked = pooled.indices(values)
        if picked and picked not in subtotals.values():
            subtotals[wording.join_words([pooled.options[i].label for i in picked], "or")] = picked
    return subtotals, next(iter(subtotals), None)
