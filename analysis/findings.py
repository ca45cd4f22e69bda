"""Findings: the counts, percentages, comparisons and breakdowns behind every statement in a report.

A finding is about one question (by key) or one measure (the same question across audiences). It
holds only protected figures: every table in it has been through `analysis.disclosure`, and its
sentences are written from those published cells, so a statement can never quote a hidden count.

Percentages are of everyone who answered the question (Don't know and Prefer not to say
included); for tick-all questions each option is out of the people who ticked anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from analysis import wording
from analysis.config import Benchmark, Phrase, load_benchmarks, load_phrases
from analysis.dimensions import AUDIENCE_NAMES, dimension
from analysis.disclosure import (
    DEFAULT_POLICY,
    Cell,
    DisclosurePolicy,
    ProtectedCounts,
    ProtectedTable,
    Weighted,
    check_differencing,
    protect_counts,
    protect_table,
)
from analysis.load import CampaignData, QuestionColumn
from analysis.stats import ChiSquare, Comparison, chi2_sf, chi_square_test, one_proportion_test, two_proportion_test
from analysis.weighting import Weights, design_effect, effective_n
from questionnaires.model import Option, Question

NOT_KNOWN = "Not known"


@dataclass
class Settings:
    """What to compare with, how to weight, and the disclosure rules."""

    policy: DisclosurePolicy = DEFAULT_POLICY
    weights: Weights | None = None
    benchmarks: list[Benchmark] = field(default_factory=load_benchmarks)
    phrases: dict[str, Phrase] = field(default_factory=load_phrases)
    #: an earlier campaign to compare with on the same measure (or question key)
    earlier: CampaignData | None = None
    earlier_weights: Weights | None = None


@dataclass
class Pooled:
    """A question (or measure) pooled over the questionnaires that ask it, as arrays over all responses."""

    question: Question
    columns: list[QuestionColumn]
    kind: str
    options: list[Option]
    #: single: option code (−1 none); multiple: bit mask; ranking: (options × responses) ranks
    data: np.ndarray
    answered: np.ndarray

    def ticked(self, option: int) -> np.ndarray:
        """Boolean mask: chose this option (at any rank, for rankings)."""
        if self.kind == "single":
            return self.data == option
        if self.kind == "multiple":
            return ((self.data >> np.uint64(option)) & np.uint64(1)).astype(bool)
        return self.data[option] > 0

    def indices(self, values: Sequence[str]) -> tuple[int, ...]:
        """Option positions of some answer values (those the question has)."""
        return tuple(i for i, o in enumerate(self.options) if o.value in values)


def pool(columns: list[QuestionColumn]) -> Pooled:
    """Put the columns of one question or measure on one list of options (matched by value)."""
    if not columns:
        raise LookupError("no such question in this campaign")
    kinds = {c.kind for c in columns}
    if kinds == {"multiple", "ranking"}:
        # One audience ticks, another ranks: compare what was chosen at all.
        columns = [c if c.kind == "multiple" else _chosen(c) for c in columns]
        kinds = {"multiple"}
    if len(kinds) > 1 or kinds & {"number"}:
        raise ValueError(f"'{columns[0].key}' can't be summarised as answer counts ({', '.join(sorted(kinds))})")
    kind = kinds.pop()
    options: list[Option] = []
    position: dict[str, int] = {}
    for c in columns:
        for o in c.options:
            if o.value not in position:
                position[o.value] = len(options)
                options.append(o)
    n = columns[0].data.shape[-1]
    if kind == "single":
        data = np.full(n, -1, dtype=np.int16)
    elif kind == "multiple":
        data = np.zeros(n, dtype=np.uint64)
    else:
        data = np.zeros((len(options), n), dtype=np.int8)
    for c in columns:
        lut = np.array([position[o.value] for o in c.options] or [0])
        if kind == "single":
            answered = c.data >= 0
            data[answered] = lut[c.data[answered]]
        elif kind == "multiple" and np.array_equal(lut, np.arange(lut.size)):
            data |= c.data
        elif kind == "multiple":
            for j, target in enumerate(lut.tolist()):
                data |= ((c.data >> np.uint64(j)) & np.uint64(1)) << np.uint64(target)
        else:
            data[lut] = np.maximum(data[lut], c.data)
    answered = np.asarray(
        data >= 0 if kind == "single" else data != 0 if kind == "multiple" else (data > 0).any(axis=0)
    )
    return Pooled(columns[0].question, columns, kind, options, data, answered)


def _chosen(column: QuestionColumn) -> QuestionColumn:
    """A ranking question as tick boxes: which options were ranked at all."""
    bits = np.zeros(column.data.shape[1], dtype=np.uint64)
    for j in range(column.data.shape[0]):
        bits |= (column.data[j] > 0).astype(np.uint64) << np.uint64(j)
    return QuestionColumn(column.questionnaire, column.question, column.options, "multiple", bits, column.code_of)


@dataclass
class ComparisonLine:
    """Our figure against a benchmark or an earlier campaign, with the test and the words it allows."""

    kind: str  #: "benchmark" or "earlier"
    label: str  #: "the Greater Manchester average", "Youth Safety Survey 2024"
    ours: Cell
    theirs: float  #: per cent
    test: Comparison
    words: str  #: "lower than", "higher than", "similar to", "a reduction since", ...
    citation: str = ""


@dataclass
class Breakdown:
    """A finding split by a dimension (age band, area ...), protected as one table."""

    name: str
    title: str
    table: ProtectedTable
    #: the column whose percentages the sentence compares (a top box, or an option)
    focus: str | None
    test: ChiSquare | None
    statement: str


@dataclass
class Finding:
    """Everything published about one question or measure."""

    id: str
    question: str
    subject: str
    kind: str
    audiences: list[str]
    table: ProtectedCounts
    #: for rankings: how often each option was the first choice
    first_choices: ProtectedCounts | None
    #: the subtotal the headline is about (a top box), if any
    headline: str | None
    phrase: Phrase | None
    comparisons: list[ComparisonLine]
    breakdowns: list[Breakdown]
    statement: str = ""
    notes: list[str] = field(default_factory=list)
    weighting: list[str] = field(default_factory=list)

    @property
    def base(self) -> Cell:
        """How many answered (published)."""
        return self.table.total


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
    counts, weighted = _counts(pooled, mask, weights)
    # The answers table and every breakdown share their column totals (the same people), so a
    # figure hidden in one is hidden in all: repeat until no table hides anything new.
    hide_columns: set[int] = set()
    hide_subtotals: set[str] = set()
    while True:
        table = protect_counts(
            dict(zip(_labels(pooled.options), counts[0], strict=True)),
            total=int(mask.sum()),
            exclusive=pooled.kind == "single",
            policy=settings.policy,
            subtotals=subtotals if pooled.kind == "single" else None,
            weighted=weighted,
            hide=hide_columns,
            hide_subtotals=hide_subtotals,
        )
        breakdowns = [
            _breakdown(
                data,
                pooled,
                name,
                mask,
                weights,
                headline,
                subtotals.get(headline or ""),
                settings,
                hide_columns,
                hide_subtotals,
            )
            for name in by
        ]
        columns_now = {c for c, cell in enumerate(table.cells) if cell.suppressed}
        columns_now |= {c for b in breakdowns for c, cell in enumerate(b.table.col_totals) if cell.suppressed}
        subtotals_now = {name for name, cell in table.subtotals.items() if cell.suppressed}
        subtotals_now |= {name for b in breakdowns for name, (_, cell) in b.table.subtotals.items() if cell.suppressed}
        if columns_now <= hide_columns and subtotals_now <= hide_subtotals:
            break
        hide_columns |= columns_now
        hide_subtotals |= subtotals_now
    first = None
    if pooled.kind == "ranking":
        firsts = [int((pooled.data[j][mask] == 1).sum()) for j in range(len(pooled.options))]
        first = protect_counts(
            dict(zip(_labels(pooled.options), firsts, strict=True)),
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
        x, n = _share(pooled, subtotals[headline], mask, weights)
        result.comparisons += _benchmark_lines(pooled, subtotals[headline], ours, x, n, settings)
        if settings.earlier is not None:
            result.comparisons += _earlier_lines(pooled, columns, subtotals[headline], headline, ours, x, n, settings)
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
        from analysis.weighting import load_population, weight_campaign

        settings.weights = weight_campaign(data, load_population())
    out = []
    for (qid, key), column in data.columns.items():
        if column.kind != "number" and column.question.type not in ("demographic", "area"):
            out.append(finding(data, key=key, questionnaire=qid, by=by, settings=settings))
    for measure in sorted({c.measure for c in data.columns.values() if c.measure}):
        if len(data.find(measure=measure)) > 1:
            out.append(finding(data, measure=measure, by=("audience",), settings=settings))
    return out


# --- helpers -------------------------------------------------------------------------------------


def _labels(options: list[Option]) -> list[str]:
    seen: dict[str, int] = {}
    labels = []
    for o in options:  # two options can share a label across versions; keep them apart
        seen[o.label] = seen.get(o.label, 0) + 1
        labels.append(o.label if seen[o.label] == 1 else f"{o.label} ({o.value})")
    return labels


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


def _counts(
    pooled: Pooled, mask: np.ndarray, weights: np.ndarray | None, groups: np.ndarray | None = None, n_groups: int = 1
) -> tuple[list[list[int]], Weighted | None]:
    """Counts per group × option, and weighted figures if weighted.

    `groups` gives the group of each selected person (in `mask` order); None means one group.
    """
    g = np.zeros(int(mask.sum()), dtype=np.int64) if groups is None else groups
    k = len(pooled.options)
    w = None if weights is None else weights[mask]
    if pooled.kind == "single":
        flat = g * k + pooled.data[mask].astype(np.int64)
        raw = np.bincount(flat, minlength=n_groups * k).reshape(n_groups, k)
        heavy: np.ndarray | None = None
        if w is not None:
            heavy = np.bincount(flat, weights=w, minlength=n_groups * k).reshape(n_groups, k)
    else:
        # Who ticked what, for the selected people only, then one bincount over (group, option) pairs.
        if pooled.kind == "multiple":
            bits = pooled.data[mask]
            ticks = ((bits[:, None] >> np.arange(k, dtype=np.uint64)) & np.uint64(1)).astype(bool)
        else:
            ticks = (pooled.data[:, mask] > 0).T
        people, options = np.nonzero(ticks)
        flat = g[people] * k + options
        raw = np.bincount(flat, minlength=n_groups * k).reshape(n_groups, k)
        if w is not None:
            heavy = np.bincount(flat, weights=w[people], minlength=n_groups * k).reshape(n_groups, k)
    if w is None or heavy is None:
        return raw.tolist(), None
    bases = np.bincount(g, weights=w, minlength=n_groups)
    squares = np.bincount(g, weights=w * w, minlength=n_groups)
    effective = np.divide(bases * bases, squares, out=np.zeros(n_groups), where=squares > 0).tolist()
    return raw.tolist(), Weighted(heavy.tolist(), bases.tolist(), effective, effective_n(w))


def _share(
    pooled: Pooled, picked: tuple[int, ...], mask: np.ndarray, weights: np.ndarray | None
) -> tuple[float, float]:
    """(successes, n) for tests: raw counts, or weighted share × effective sample size."""
    hit = np.isin(pooled.data[mask], picked)
    if weights is None:
        return float(hit.sum()), float(hit.size)
    w = weights[mask]
    n_eff = effective_n(w)
    return float(w[hit].sum() / w.sum() * n_eff) if w.size else 0.0, n_eff


def _benchmark_lines(
    pooled: Pooled, picked: tuple[int, ...], ours: Cell, x: float, n: float, settings: Settings
) -> list[ComparisonLine]:
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


def _earlier_lines(
    pooled: Pooled,
    columns: list[QuestionColumn],
    picked: tuple[int, ...],
    headline: str,
    ours: Cell,
    x: float,
    n: float,
    settings: Settings,
) -> list[ComparisonLine]:
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
    counts, weighted = _counts(then, then.answered, weights)
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
    x2, n2 = _share(then, then_picked, then.answered, weights)
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


def _breakdown(
    data: CampaignData,
    pooled: Pooled,
    name: str,
    mask: np.ndarray,
    weights: np.ndarray | None,
    headline: str | None,
    picked: tuple[int, ...] | None,
    settings: Settings,
    hide_columns: set[int],
    hide_subtotals: set[str],
) -> Breakdown:
    dim = dimension(data, name)
    codes = dim.codes[mask]
    codes = np.where(codes >= 0, codes, len(dim.labels))  # the last group: not known
    sizes = np.bincount(codes, minlength=len(dim.labels) + 1)
    present = np.flatnonzero(sizes)
    labels = [dim.labels[i] if i < len(dim.labels) else NOT_KNOWN for i in present.tolist()]
    remap = np.full(len(dim.labels) + 1, -1)
    remap[present] = np.arange(present.size)
    counts, weighted = _counts(pooled, mask, weights, remap[codes], len(labels))
    bases = sizes[present].tolist()
    table = protect_table(
        counts,
        row_labels=labels,
        col_labels=_labels(pooled.options),
        exclusive=pooled.kind == "single",
        row_bases=bases,
        policy=settings.policy,
        subtotals={headline: picked} if headline and picked else None,
        weighted=weighted,
        hide_columns=hide_columns,
        hide_subtotals=hide_subtotals,
    )
    test = None
    if pooled.kind == "single":
        rows = [
            r
            for r, label in enumerate(labels)
            if label != NOT_KNOWN and not table.row_totals[r].suppressed and bases[r] >= settings.policy.threshold
        ]
        grid = (
            [[sum(counts[r][c] for c in picked), bases[r] - sum(counts[r][c] for c in picked)] for r in rows]
            if picked
            else [counts[r] for r in rows]
        )
        if len(rows) > 1:
            test = chi_square_test(grid)
            if weights is not None:  # Rao-Scott first-order correction by the design effect
                deff = design_effect(weights[mask])
                test = ChiSquare(
                    test.statistic / deff, test.dof, chi2_sf(test.statistic / deff, test.dof), test.min_expected
                )
    focus = headline if headline else None
    return Breakdown(
        name, dim.title, table, focus, test, wording.breakdown_sentence(pooled.question, dim.title, table, focus, test)
    )
