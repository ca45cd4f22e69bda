"""A campaign's live dashboard: who has answered, where, when, how far they got, against targets and
against the population. Every count passes through disclosure control (analysis.disclosure) before
it reaches a template, so small groups are never shown.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import func, select

from analysis.disclosure import Cell, ProtectedCounts, ProtectedTable, protect_counts
from analysis.disclosure.publication import LinkedTable, as_counts, protect_publication
from analysis.wording import join_words
from questionnaires.model import Questionnaire
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign, CollectionPoint
from survey_app.models.questionnaires import QuestionnaireVersion
from survey_app.models.responses import Answer, Response
from survey_app.staff.fieldwork.representation import (
    PopulationComparison,
    population_comparisons,
    questionnaire_label,
)

AUDIENCE_LABELS = {
    "children": "Children (8 to 11)",
    "young_people": "Young people (11 to 18)",
    "young_adults": "Young adults (18 to 25)",
    "parents_carers": "Parents and carers",
    "professionals": "Professionals",
}
#: Sample share below this fraction of the population share is flagged as under-represented.


@dataclass
class Breakdown:
    """One protected list of counts with its heading."""

    title: str
    counts: ProtectedCounts
    #: label -> words shown
    names: dict[str, str] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, Cell]]:
        """(words, cell) pairs."""
        return [(self.names.get(label, label), cell) for label, cell in self.counts.items()]


@dataclass
class QuestionRow:
    """How many answered one question, and how many stopped there."""

    key: str
    text: str
    answered: Cell
    stopped_here: Cell


@dataclass
class TargetRow:
    """Progress towards one target."""

    label: str
    target: int
    count: Cell
    #: per cent of the target reached (None when the count is hidden)
    percent: float | None


@dataclass
class Dashboard:
    """Everything the dashboard page shows, already protected."""

    total: Cell
    complete: Cell
    by_audience: Breakdown
    by_collection_point: Breakdown
    by_day: Breakdown
    by_age_band: list[Breakdown]
    by_area: Breakdown | None
    completion: list[tuple[str, list[QuestionRow]]]
    targets: list[TargetRow]
    population: list[PopulationComparison]
    #: audiences answering that are not a population of their ages (parents and carers, professionals)
    not_compared: list[str] = field(default_factory=list)

    @property
    def not_compared_note(self) -> str:
        """Why some audiences have no population table."""
        if not self.not_compared:
            return ""
        who = join_words(self.not_compared)
        them = "these groups" if len(self.not_compared) > 1 else "this group"
        return (
            f"{who} are not compared with the population: the area's population of the same ages is everyone "
            f"of those ages, not {them}."
        )


def build_dashboard(campaign: Campaign) -> Dashboard:
    """Count the campaign's responses every way the dashboard shows them, with disclosure control.

    Every table on the page counts the same responses, so they are protected together, as one
    publication: no figure hidden in one table can be worked out from the others.
    """
    return _build(campaign)[0]


def dashboard_publication(campaign: Campaign) -> list[tuple[LinkedTable, ProtectedTable]]:
    """Every table the dashboard page publishes together, as sets of responses with what it shows (for audits)."""
    return _build(campaign)[1].published


def _build(campaign: Campaign) -> tuple[Dashboard, _Page]:
    responses = db.session.execute(
        select(
            Response.id,
            Response.audience,
            Response.collection_point_id,
            Response.submitted_on,
            Response.completion,
            Response.questionnaire_version_id,
        ).where(Response.campaign_id == campaign.id)
    ).all()
    versions = {
        v.id: v
        for v in db.session.scalars(
            select(QuestionnaireVersion).where(
                QuestionnaireVersion.id.in_({r.questionnaire_version_id for r in responses})
            )
        )
    }
    page = _Page(responses, versions)
    complete = page.mask(r.completion == "complete" for r in responses)
    page.add("totals", [page.everyone], [complete, ~complete], ["complete", "partial"])

    audience_counts = Counter(r.audience for r in responses)
    audiences = [a for a in AUDIENCE_LABELS if audience_counts[a] or a in _campaign_audiences(campaign, versions)]
    page.add("audience", [page.everyone], [page.mask(r.audience == a for r in responses) for a in audiences], audiences)

    points = list(
        db.session.scalars(
            select(CollectionPoint).where(CollectionPoint.campaign_id == campaign.id).order_by(CollectionPoint.name)
        )
    )
    point_labels = {str(p.id): p.name for p in points}
    point_masks = [page.mask(r.collection_point_id == p.id for r in responses) for p in points]
    if any(r.collection_point_id is None for r in responses):
        point_labels["none"] = "No collection point"
        point_masks.append(page.mask(r.collection_point_id is None for r in responses))
    page.add("points", [page.everyone], point_masks, list(point_labels))

    days = _days(campaign, Counter(r.submitted_on for r in responses))
    page.add(
        "days",
        [page.everyone],
        [page.mask(r.submitted_on == d for r in responses) for d in days],
        [d.isoformat() for d in days],
    )

    questionnaires = _questionnaires(versions.values())
    page.load_answers(campaign, questionnaires)
    age_titles, area_names = _demographics(page, questionnaires)
    population, not_compared = population_comparisons(campaign, page, questionnaires, AUDIENCE_LABELS)
    stopped_keys = _stopped(page, questionnaires)
    tables = page.protect()

    def breakdown(name: str, title: str, names: dict[str, str]) -> Breakdown:
        return Breakdown(title, tables[name], names)

    totals = tables["totals"]
    by_audience = breakdown("audience", "Responses by audience", AUDIENCE_LABELS)
    board = Dashboard(
        total=totals.total,
        complete=totals["complete"],
        by_audience=by_audience,
        by_collection_point=breakdown("points", "Responses by collection point", point_labels),
        by_day=breakdown("days", "Responses by day", {d.isoformat(): f"{d:%a} {d.day} {d:%b}" for d in days}),
        by_age_band=[breakdown(name, title, names) for name, (title, names) in age_titles.items()],
        by_area=breakdown("area", "Responses by area (where people live)", area_names) if area_names else None,
        completion=_completion(campaign, versions, tables, stopped_keys),
        targets=_targets(campaign, by_audience.counts, totals.total),
        population=[comparison(tables) for comparison in population],
        not_compared=not_compared,
    )
    return board, page


class _Page:
    """The dashboard's tables as sets of responses, protected together as one publication."""

    def __init__(self, responses: Sequence[Any], versions: dict[int, QuestionnaireVersion]) -> None:
        self.responses = responses
        self.everyone = np.ones(len(responses), dtype=bool)
        self.position = {r.id: i for i, r in enumerate(responses)}
        self.questionnaire = np.array([versions[r.questionnaire_version_id].questionnaire_id for r in responses])
        self.partial = self.mask(r.completion == "partial" for r in responses)
        #: (questionnaire id, question key) -> each response's answer ("" for none)
        self.answers: dict[tuple[str, str], np.ndarray] = {}
        self.tables: dict[str, LinkedTable] = {}
        self.published: list[tuple[LinkedTable, ProtectedTable]] = []

    def mask(self, flags: Iterable[bool]) -> np.ndarray:
        """A boolean mask over the responses."""
        return np.fromiter(flags, dtype=bool, count=len(self.responses))

    def add(self, name: str, rows: list[np.ndarray], columns: list[np.ndarray], labels: list[str]) -> None:
        """A list of counts (one row) to publish with the rest of the page."""
        self.tables[name] = LinkedTable(rows, columns, ["all"] * len(rows), labels)

    def answer(self, qid: str, key: str) -> np.ndarray:
        """Each response's answer to a question of a questionnaire ("" when none)."""
        return self.answers.get((qid, key), np.full(len(self.responses), "", dtype=object))

    def load_answers(self, campaign: Campaign, questionnaires: dict[str, tuple[list[int], Questionnaire]]) -> None:
        """Each response's answers to the questions the page counts (age band, gender, area)."""
        keys = {
            question.key
            for _, q in questionnaires.values()
            for question in q.questions()
            if question.type == "area" or question.demographic in ("age_band", "gender", "gender_adult")
        }
        if not keys or not self.responses:
            return
        for response_id, key, value in db.session.execute(
            select(Answer.response_id, Answer.question_key, Answer.value)
            .join(Response, Answer.response_id == Response.id)
            .where(Response.campaign_id == campaign.id, Answer.question_key.in_(keys), Answer.value.is_not(None))
        ):
            i = self.position[response_id]
            column = self.answers.setdefault(
                (str(self.questionnaire[i]), key), np.full(len(self.responses), "", dtype=object)
            )
            column[i] = str(value)

    def protect(self) -> dict[str, ProtectedCounts]:
        """Every table, protected together."""
        names = list(self.tables)
        protected = protect_publication([self.tables[name] for name in names])
        self.published = [(self.tables[name], table) for name, table in zip(names, protected, strict=True)]
        return {name: as_counts(table) for name, table in zip(names, protected, strict=True)}


def _campaign_audiences(campaign: Campaign, versions: dict[int, QuestionnaireVersion]) -> set[str]:
    audiences = {v.audience for v in versions.values()}
    for qid in campaign.questionnaire_ids or []:
        version = db.session.scalar(
            select(QuestionnaireVersion)
            .where(QuestionnaireVersion.questionnaire_id == qid)
            .order_by(QuestionnaireVersion.version.desc())
            .limit(1)
        )
        if version is not None:
            audiences.add(version.audience)
    return audiences


def _days(campaign: Campaign, counts: Counter[dt.date]) -> list[dt.date]:
    """Every day from opening to the last day with answers (or today, or closing), so gaps show as zero."""
    if not counts:
        return []
    start = min([campaign.opens_on, *counts])
    end = max(counts)
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def _questionnaires(versions: Iterable[QuestionnaireVersion]) -> dict[str, tuple[list[int], Questionnaire]]:
    """Questionnaire id -> (the campaign's version ids of it, its newest definition)."""
    out: dict[str, tuple[list[int], Questionnaire]] = {}
    for v in sorted(versions, key=lambda v: v.version):
        ids = out.get(v.questionnaire_id, ([], v.questionnaire))[0]
        out[v.questionnaire_id] = ([*ids, v.id], v.questionnaire)
    order = list(AUDIENCE_LABELS)  # youngest first, as everywhere on the dashboard
    return dict(
        sorted(
            out.items(),
            key=lambda item: (
                order.index(item[1][1].audience) if item[1][1].audience in order else len(order),
                item[0],
            ),
        )
    )


def _demographics(
    page: _Page, questionnaires: dict[str, tuple[list[int], Questionnaire]]
) -> tuple[dict[str, tuple[str, dict[str, str]]], dict[str, str]]:
    """Add the age-band tables (one per questionnaire) and the area table; their titles and option names."""
    ages: dict[str, tuple[str, dict[str, str]]] = {}
    area = np.full(len(page.responses), "", dtype=object)
    area_names: dict[str, str] = {}
    for qid, (_, q) in questionnaires.items():
        for question in q.questions():
            if question.type == "demographic" and question.demographic == "age_band":
                values = [o.value for o in question.options]
                said = page.answer(qid, question.key)
                name = f"age {qid} {question.key}"
                page.add(name, [np.isin(said, values)], [said == v for v in values], values)
                ages[name] = (
                    f"{questionnaire_label(q, AUDIENCE_LABELS)}: age",
                    {o.value: o.label for o in question.options},
                )
            elif question.type == "area":
                said = page.answer(qid, question.key)
                area = np.where(said != "", said, area)
                area_names.update({o.value: o.label for o in question.options})
    if area_names:
        values = list(area_names)
        page.add("area", [np.isin(area, values)], [area == v for v in values], values)
    return ages, area_names


def _stopped(page: _Page, questionnaires: dict[str, tuple[list[int], Questionnaire]]) -> dict[str, list[str]]:
    """Add, per questionnaire, how many unfinished responses stopped after each question; the keys in order."""
    last: dict[str, set[str]] = defaultdict(set)
    partial_ids = [r.id for r, unfinished in zip(page.responses, page.partial, strict=True) if unfinished]
    if partial_ids:
        for response_id, key in db.session.execute(
            select(Answer.response_id, Answer.question_key).where(Answer.response_id.in_(partial_ids))
        ):
            last[response_id].add(key)
    out = {}
    for qid, (_, q) in questionnaires.items():
        order = [question.key for question in q.questions()]
        stopped_at = np.full(len(page.responses), "", dtype=object)
        for response_id, keys in last.items():
            i = page.position[response_id]
            seen = [k for k in order if k in keys]
            if page.questionnaire[i] == qid and seen:
                stopped_at[i] = seen[-1]
        page.add(f"stopped {qid}", [stopped_at != ""], [stopped_at == k for k in order], order)
        out[qid] = order
    return out


def _completion(
    campaign: Campaign,
    versions: dict[int, QuestionnaireVersion],
    tables: dict[str, ProtectedCounts],
    stopped_keys: dict[str, list[str]],
) -> list[tuple[str, list[QuestionRow]]]:
    """Per questionnaire, per question: how many answered it, and how many unfinished responses stopped there."""
    answered: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for version_id, key, count in db.session.execute(
        select(Response.questionnaire_version_id, Answer.question_key, func.count(func.distinct(Answer.response_id)))
        .join(Response, Answer.response_id == Response.id)
        .where(Response.campaign_id == campaign.id)
        .group_by(Response.questionnaire_version_id, Answer.question_key)
    ):
        answered[versions[version_id].questionnaire_id][key] += count
    out = []
    for qid, (_, q) in _questionnaires(versions.values()).items():
        order = stopped_keys[qid]
        answered_counts = protect_counts({k: answered[qid][k] for k in order})
        stopped_counts = tables[f"stopped {qid}"]
        rows = [
            QuestionRow(
                question.key, question.text or question.key, answered_counts[question.key], stopped_counts[question.key]
            )
            for question in q.questions()
        ]
        out.append((f"{q.title} ({AUDIENCE_LABELS.get(q.audience, q.audience)})", rows))
    return out


def _targets(campaign: Campaign, by_audience: ProtectedCounts, total_cell: Cell) -> list[TargetRow]:
    """Progress towards each target, from the page's own protected counts (so they agree with it)."""
    targets = {k: int(v) for k, v in (campaign.targets or {}).items() if int(v) > 0}
    if not targets:
        return []
    keys = [k for k in ("total", *AUDIENCE_LABELS) if k in targets]
    rows = []
    for k in keys:
        cell = total_cell if k == "total" else by_audience[k] if k in by_audience.labels else Cell(0)
        percent = None if cell.value is None else 100 * cell.value / targets[k]
        rows.append(TargetRow("All responses" if k == "total" else AUDIENCE_LABELS[k], targets[k], cell, percent))
    return rows
