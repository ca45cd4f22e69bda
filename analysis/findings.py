"""Findings: the counts, percentages, comparisons and breakdowns behind every statement in a report.

A finding is about one question (by key) or one measure (the same question across audiences). It
holds only protected figures: every table in it has been through `analysis.disclosure`, and its
sentences are written from those published cells, so a statement can never quote a hidden count.
Findings shown together (`full_report`, or any list given to `findings_together`) are protected as
one publication (`analysis.disclosure.publication`): a pooled measure's audience rows are the sums
of each questionnaire's own rows, so nothing one table hides may be worked out from the others.

What a finding holds is in `analysis.finding_model`; pooling and counting answers in
`analysis.pooling`; comparisons in `analysis.comparisons`; breakdowns in `analysis.breakdowns`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from analysis import wording
from analysis.adjustment import adjust_report
from analysis.breakdowns import NOT_KNOWN, breakdown
from analysis.comparisons import benchmark_lines, benchmark_notes, earlier_lines, imported_lines
from analysis.config import Benchmark, Phrase
from analysis.dimensions import AUDIENCE_NAMES, dimension
from analysis.disclosure import (
    ProtectedCounts,
    ProtectedTable,
    SharedHidden,
    check_differencing,
    protect_counts,
    protect_linked,
)
from analysis.disclosure.publication import LinkedTable, hidden_positions, joint_hidden
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
    "FindingRequest",
    "finding",
    "findings_together",
    "full_report",
    "pool",
]


#: names of a finding's own tables when a publication tells them what to hide (breakdowns go by dimension)
ANSWERS = "answers"
FIRST_CHOICES = "first choices"


@dataclass(frozen=True)
class FindingRequest:
    """What one finding is about (as for `finding`), so that it can be made again with more hidden."""

    key: str | None = None
    measure: str | None = None
    questionnaire: str | None = None
    by: tuple[str, ...] = ()
    where: np.ndarray | None = None
    where_label: str = ""


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
    request = FindingRequest(key, measure, questionnaire, tuple(by), where, where_label)
    return findings_together(data, [request], settings or Settings())[0]


def full_report(
    data: CampaignData, *, by: Sequence[str] = (), weight: bool = False, settings: Settings | None = None
) -> list[Finding]:
    """A finding for every question that can be counted, per questionnaire, and per shared measure.

    The findings are published together, so they are protected together: a pooled measure's
    audience rows add up the questionnaires' own tables, and nothing one hides may be worked out
    from the others (`analysis.disclosure.publication`).
    """
    settings = settings or Settings()
    if weight and settings.weights is None:
        settings.weights = weight_campaign(data, load_population())
    findings = findings_together(data, report_requests(data, by), settings)
    adjust_report(findings)  # published together, so tested together: "significant" only after adjustment
    return findings


def report_requests(data: CampaignData, by: Sequence[str] = ()) -> list[FindingRequest]:
    """What `full_report` makes findings for, in its order."""
    requests = []
    for (qid, key), column in data.columns.items():
        if column.kind != "number" and column.question.type not in ("demographic", "area"):
            requests.append(FindingRequest(key, None, qid, tuple(by)))
    for measure in sorted({c.measure for c in data.columns.values() if c.measure}):
        if len(data.find(measure=measure)) > 1:
            requests.append(FindingRequest(None, measure, None, ("audience",)))
    return requests


def findings_together(
    data: CampaignData, requests: Sequence[FindingRequest], settings: Settings | None = None
) -> list[Finding]:
    """Findings published together (a report, an export), protected as one publication.

    Each is remade with more hidden until no table of any of them gives away what another hides.
    """
    settings = settings or Settings()
    hide: list[dict[str, set[int]]] = [{} for _ in requests]
    results = [_finding(data, r, settings, {}) for r in requests]
    links = links_of(data, requests)
    todo = set(range(len(requests)))
    while True:
        # Findings that share no answers share no people: only those just remade need solving again.
        changed_links = {links[n] for n in todo}
        placed = [
            (n, name, table, published)
            for n, (request, result) in enumerate(zip(requests, results, strict=True))
            if links[n] in changed_links
            for name, table, published in linked_tables(data, request, result, links[n], settings)
        ]
        now = [hidden_positions(table.grid(), published) for _, _, table, published in placed]
        wanted = joint_hidden([table for _, _, table, _ in placed], now, settings.policy)
        todo = set()
        for (n, name, _, _), want, have in zip(placed, wanted, now, strict=True):
            if not want <= have:
                hide[n][name] = hide[n].get(name, set()) | want
                todo.add(n)
        if not todo:
            return results
        for n in sorted(todo):
            results[n] = _finding(data, requests[n], settings, hide[n])


def _columns(data: CampaignData, request: FindingRequest) -> list[QuestionColumn]:
    return [c for c in data.find(request.key, request.measure) if request.questionnaire in (None, c.questionnaire.id)]


def links_of(data: CampaignData, requests: Sequence[FindingRequest]) -> list[str]:
    """For each finding, a name shared by every finding counting any of the same answers (they share people)."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    names = [[f"{c.questionnaire.id}/{c.key}" for c in _columns(data, r)] for r in requests]
    for found in names:
        for other in found[1:]:
            parent[root(other)] = root(found[0])
    return [root(found[0]) if found else "" for found in names]


def linked_tables(
    data: CampaignData, request: FindingRequest, result: Finding, link: str, settings: Settings
) -> list[tuple[str, LinkedTable, ProtectedCounts | ProtectedTable]]:
    """A finding's tables as sets of people (with what each shows), for protecting a publication."""
    pooled = pool(_columns(data, request))
    mask = pooled.answered if request.where is None else pooled.answered & request.where
    answers = [np.asarray(pooled.ticked(o)) for o in range(len(pooled.options))]
    labels = option_labels(pooled.options)
    exclusive = pooled.kind == "single"
    phrase = _phrase(settings, _columns(data, request), pooled)
    subtotals = _subtotals(pooled, phrase, settings.benchmarks)[0] if exclusive else {}
    # A questionnaire's own answers are what readers quote; pooled and filtered tables give way first.
    keep = 2 if len(_columns(data, request)) == 1 and request.where is None else 1
    answers_table = LinkedTable([mask], answers, ["all"], labels, exclusive, subtotals, link=link, keep=keep)
    out: list[tuple[str, LinkedTable, ProtectedCounts | ProtectedTable]] = [(ANSWERS, answers_table, result.table)]
    if result.first_choices is not None:
        firsts = [np.asarray(pooled.data[o] == 1) for o in range(len(pooled.options))]
        table = LinkedTable([mask], firsts, ["all"], labels, False, link=link, keep=1)
        out.append((FIRST_CHOICES, table, result.first_choices))
    for b in result.breakdowns:
        dim = dimension(data, b.name)
        rows = [
            mask & (dim.codes < 0 if label == NOT_KNOWN else dim.codes == dim.labels.index(label))
            for label in b.table.row_labels
        ]
        picked = {b.focus: subtotals[b.focus]} if b.focus and b.focus in subtotals else {}
        out.append(
            (b.name, LinkedTable(rows, answers, b.table.row_labels, labels, exclusive, picked, link=link), b.table)
        )
    return out


def _finding(data: CampaignData, request: FindingRequest, settings: Settings, hide: Mapping[str, set[int]]) -> Finding:
    """One finding, with `hide` (table name -> grid positions) forced hidden by its publication."""
    columns = _columns(data, request)
    pooled = pool(columns)
    where = request.where
    mask = pooled.answered if where is None else pooled.answered & where
    if where is not None:
        check_differencing(
            int(mask.sum()),
            int(pooled.answered.sum()),
            policy=settings.policy,
            what=f"\u201c{pooled.question.text}\u201d for {request.where_label or 'this selection'}",
        )
    weights = settings.weights.values if settings.weights is not None else None
    subject = _subject(columns) + (f" ({request.where_label})" if request.where_label else "")

    phrase = _phrase(settings, columns, pooled)
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
            hide_cells=hide.get(ANSWERS, ()),
        )
        picked = subtotals.get(headline or "")
        shared = SharedHidden(hidden.columns, hidden.subtotals, dict(hide))
        parts = [
            breakdown(data, pooled, name, mask, weights, headline, picked, settings, shared) for name in request.by
        ]
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
            hide_cells=hide.get(FIRST_CHOICES, ()),
        )
    result = Finding(
        request.measure or request.key or pooled.question.key,
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
        else:  # no earlier campaign's answers: an earlier wave's imported headline figures, if any
            result.comparisons += imported_lines(pooled, columns, ours, x, n, data.imported, settings)
    if settings.weights is not None:
        used = {c.questionnaire.id for c in columns}
        reports = [r for r in settings.weights.reports if r.questionnaire_id in used]
        values = settings.weights.values
        result.weighting = [r.describe(values[mask & data.questionnaire_mask(r.questionnaire_id)]) for r in reports]
        result.weighted = any(not r.skipped for r in reports)
    result.notes.append(settings.policy.note)
    # Pooled in neutral words, the question quoted is nobody's: keep what each version asked.
    asked = list(dict.fromkeys(c.question.text for c in columns))
    if asked != [pooled.question.text]:
        result.asked = asked
    result.notes += benchmark_notes(pooled, result.comparisons, settings, compared=headline is not None)
    # Whether the true top answer is published: if not, the sentence must not name a shown one as top.
    ranking = weighted.counts[0] if weighted is not None else counts[0]
    result.top_shown = not table.cells[int(np.argmax(ranking))].suppressed if len(ranking) else None
    result.statement = wording.headline(result)
    return result


def _phrase(settings: Settings, columns: list[QuestionColumn], pooled: Pooled) -> Phrase | None:
    """How the sentence says what the answers mean, in the words these people were asked and given.

    One questionnaire's own phrase comes first ("children/places_to_go": children were asked about places
    "to play and have fun", not "to spend their free time"), then the measure's; its scale words are the
    answers they were given ("very or quite safe").
    """
    question = pooled.question
    keys = [question.measure or "", question.key]
    if len({c.questionnaire.id for c in columns}) == 1:
        keys = [f"{columns[0].questionnaire.id}/{k}" for k in keys if k] + keys
    phrase = next((settings.phrases[k] for k in keys if k in settings.phrases), None)
    if phrase is None:
        return None
    return replace(phrase, text=wording.in_own_words(phrase.text, question, pooled.options))


def _subject(columns: list[QuestionColumn]) -> str:
    audiences = list(dict.fromkeys(c.audience for c in columns))
    ranges = {c.questionnaire.age_range for c in columns}
    only = next(iter(ranges))
    # One audience of one age range, in one version or several pooled (standard and easy read): named with
    # its ages every time, or "young people" and "young people aged 11 to 18" sit side by side in a list.
    if len(audiences) == 1 and len(ranges) == 1 and only is not None:
        low, high = only
        named = f"{AUDIENCE_NAMES.get(audiences[0], audiences[0])} aged {low} to {high}"
        # Another version for the same audience (easy read) is other people: name it, or two figures clash.
        presentation = columns[0].questionnaire.presentation
        return named if len(columns) > 1 or presentation == "standard" else f"{named} ({presentation} version)"
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
