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

from sqlalchemy import func, select

from analysis.disclosure import Cell, ProtectedCounts, protect_counts
from questionnaires.model import Questionnaire
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign, CollectionPoint
from survey_app.models.questionnaires import QuestionnaireVersion
from survey_app.models.responses import Answer, Response
from survey_app.models.staff import Partnership, PopulationEstimate

AUDIENCE_LABELS = {
    "children": "Children (8 to 11)",
    "young_people": "Young people (11 to 18)",
    "young_adults": "Young adults (18 to 25)",
    "parents_carers": "Parents and carers",
    "professionals": "Professionals",
}
#: Sample share below this fraction of the population share is flagged as under-represented.
UNDER_REPRESENTED = 0.8
FEMALE = {"girl", "woman"}
MALE = {"boy", "man"}


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
class PopulationRow:
    """One group's share of the sample against its share of the population."""

    label: str
    sample: Cell
    population_percent: float
    #: sample share / population share (None when the sample count is hidden)
    ratio: float | None

    @property
    def under_represented(self) -> bool:
        """Whether the group is noticeably fewer in the sample than in the population."""
        return self.ratio is not None and self.ratio < UNDER_REPRESENTED


@dataclass
class PopulationComparison:
    """For one questionnaire: age bands and sexes in the sample against the population table."""

    audience: str
    title: str
    rows: list[PopulationRow]
    source: str


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


def band_range(band: str) -> tuple[int, int]:
    """Ages in a band label: "11-12" -> (11, 12), "8" -> (8, 8), "65+" -> (65, 200)."""
    if band.endswith("+"):
        return int(band[:-1]), 200
    low, _, high = band.partition("-")
    return int(low), int(high or low)


def build_dashboard(campaign: Campaign) -> Dashboard:
    """Count the campaign's responses every way the dashboard shows them, with disclosure control."""
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
    n = len(responses)
    complete = sum(1 for r in responses if r.completion == "complete")
    totals = protect_counts({"complete": complete, "partial": n - complete})

    audience_counts = Counter(r.audience for r in responses)
    audiences = [a for a in AUDIENCE_LABELS if audience_counts[a] or a in _campaign_audiences(campaign, versions)]
    by_audience = Breakdown(
        "Responses by audience", protect_counts({a: audience_counts[a] for a in audiences}), AUDIENCE_LABELS
    )

    points = list(
        db.session.scalars(
            select(CollectionPoint).where(CollectionPoint.campaign_id == campaign.id).order_by(CollectionPoint.name)
        )
    )
    point_counts = Counter(r.collection_point_id for r in responses)
    point_labels = {str(p.id): p.name for p in points}
    point_values = {str(p.id): point_counts[p.id] for p in points}
    if point_counts[None]:
        point_values["none"], point_labels["none"] = point_counts[None], "No collection point"
    by_point = Breakdown("Responses by collection point", protect_counts(point_values), point_labels)

    day_counts = Counter(r.submitted_on for r in responses)
    days = _days(campaign, day_counts)
    by_day = Breakdown(
        "Responses by day",
        protect_counts({d.isoformat(): day_counts[d] for d in days}),
        {d.isoformat(): f"{d:%a} {d.day} {d:%b}" for d in days},
    )

    questionnaires = _questionnaires(versions.values())
    age_bands, area = _demographics(campaign, questionnaires)
    return Dashboard(
        total=totals.total,
        complete=totals["complete"],
        by_audience=by_audience,
        by_collection_point=by_point,
        by_day=by_day,
        by_age_band=age_bands,
        by_area=area,
        completion=_completion(campaign, responses, versions),
        targets=_targets(campaign, n, audience_counts),
        population=_population(campaign, questionnaires),
    )


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


def _values(campaign: Campaign, version_ids: list[int], key: str) -> Counter[str]:
    rows = db.session.execute(
        select(Answer.value, func.count())
        .join(Response, Answer.response_id == Response.id)
        .where(
            Response.campaign_id == campaign.id,
            Response.questionnaire_version_id.in_(version_ids),
            Answer.question_key == key,
            Answer.value.is_not(None),
        )
        .group_by(Answer.value)
    ).all()
    return Counter({str(value): int(count) for value, count in rows})


def _demographics(
    campaign: Campaign, questionnaires: dict[str, tuple[list[int], Questionnaire]]
) -> tuple[list[Breakdown], Breakdown | None]:
    bands: list[Breakdown] = []
    area_counts: Counter[str] = Counter()
    area_names: dict[str, str] = {}
    for ids, q in questionnaires.values():
        for question in q.questions():
            if question.type == "demographic" and question.demographic == "age_band":
                counts = _values(campaign, ids, question.key)
                bands.append(
                    Breakdown(
                        f"{AUDIENCE_LABELS.get(q.audience, q.title)}: age",
                        protect_counts({o.value: counts[o.value] for o in question.options}),
                        {o.value: o.label for o in question.options},
                    )
                )
            elif question.type == "area":
                area_counts.update(_values(campaign, ids, question.key))
                area_names.update({o.value: o.label for o in question.options})
    area = None
    if area_names:
        area = Breakdown(
            "Responses by area (where people live)", protect_counts({v: area_counts[v] for v in area_names}), area_names
        )
    return bands, area


def _completion(
    campaign: Campaign, responses: Sequence[Any], versions: dict[int, QuestionnaireVersion]
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
    partial_ids = {r.id for r in responses if r.completion == "partial"}
    last: dict[str, set[str]] = defaultdict(set)
    if partial_ids:
        for response_id, key in db.session.execute(
            select(Answer.response_id, Answer.question_key).where(Answer.response_id.in_(partial_ids))
        ):
            last[response_id].add(key)
    version_of = {r.id: versions[r.questionnaire_version_id] for r in responses}
    out = []
    for qid, (_, q) in _questionnaires(versions.values()).items():
        order = [question.key for question in q.questions()]
        stopped: Counter[str] = Counter()
        for response_id, keys in last.items():
            if version_of[response_id].questionnaire_id == qid:
                seen = [k for k in order if k in keys]
                if seen:
                    stopped[seen[-1]] += 1
        answered_counts = protect_counts({k: answered[qid][k] for k in order})
        stopped_counts = protect_counts({k: stopped[k] for k in order})
        rows = [
            QuestionRow(
                question.key, question.text or question.key, answered_counts[question.key], stopped_counts[question.key]
            )
            for question in q.questions()
        ]
        out.append((f"{q.title} ({AUDIENCE_LABELS.get(q.audience, q.audience)})", rows))
    return out


def _targets(campaign: Campaign, total: int, audience_counts: Counter[str]) -> list[TargetRow]:
    targets = {k: int(v) for k, v in (campaign.targets or {}).items() if int(v) > 0}
    if not targets:
        return []
    keys = [k for k in ("total", *AUDIENCE_LABELS) if k in targets]
    counts = {k: total if k == "total" else audience_counts[k] for k in keys}
    protected = protect_counts({k: counts[k] for k in keys if k != "total"}, total=total)
    rows = []
    for k in keys:
        cell = protected.total if k == "total" else protected[k]
        percent = None if cell.value is None else 100 * cell.value / targets[k]
        rows.append(TargetRow("All responses" if k == "total" else AUDIENCE_LABELS[k], targets[k], cell, percent))
    return rows


def _population(
    campaign: Campaign, questionnaires: dict[str, tuple[list[int], Questionnaire]]
) -> list[PopulationComparison]:
    """Age bands and sexes in each young audience's sample against the partnership's population table."""
    partnership = db.session.get(Partnership, campaign.partnership_id) if campaign.partnership_id else None
    if partnership is None or not partnership.area_code:
        return []
    cells = db.session.execute(
        select(
            PopulationEstimate.sex,
            PopulationEstimate.age,
            PopulationEstimate.people,
            PopulationEstimate.area_name,
            PopulationEstimate.period,
        ).where(PopulationEstimate.area_code == partnership.area_code)
    ).all()
    if not cells:
        return []
    source = f"{cells[0].area_name}, population estimates for {cells[0].period}"
    people: dict[tuple[str, int], int] = defaultdict(int)
    for sex, age, count, _, _ in cells:
        people[(sex, age)] += count
    out = []
    for ids, q in questionnaires.values():
        band_question = next((x for x in q.questions() if x.demographic == "age_band"), None)
        if band_question is None:
            continue
        bands = [(o.value, o.label, band_range(o.value)) for o in band_question.options if o.value[0].isdigit()]
        pop = {value: sum(c for (_, age), c in people.items() if lo <= age <= hi) for value, _, (lo, hi) in bands}
        pop_total = sum(pop.values()) or 1
        sample = _values(campaign, ids, band_question.key)
        protected = protect_counts({value: sample[value] for value, _, _ in bands})
        rows = [_row(f"Aged {label}", protected[value], 100 * pop[value] / pop_total) for value, label, _ in bands]
        gender = next((x for x in q.questions() if x.demographic in ("gender", "gender_adult")), None)
        if gender is not None:
            lo, hi = bands[0][2][0], bands[-1][2][1]
            females = sum(c for (sex, age), c in people.items() if sex == "females" and lo <= age <= hi)
            males = sum(c for (sex, age), c in people.items() if sex == "males" and lo <= age <= hi)
            said = _values(campaign, ids, gender.key)
            sexes = protect_counts({"female": sum(said[v] for v in FEMALE), "male": sum(said[v] for v in MALE)})
            both = (females + males) or 1
            rows.append(_row("Girls and women", sexes["female"], 100 * females / both))
            rows.append(_row("Boys and men", sexes["male"], 100 * males / both))
        out.append(PopulationComparison(q.audience, AUDIENCE_LABELS.get(q.audience, q.title), rows, source))
    return out


def _row(label: str, cell: Cell, population_percent: float) -> PopulationRow:
    ratio = None if cell.percent is None or not population_percent else cell.percent / population_percent
    return PopulationRow(label, cell, population_percent, ratio)
