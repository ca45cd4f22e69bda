"""The dashboard's sample against the population: age bands and sexes in each young audience's
answers beside the partnership's population estimates, to show who is under-represented."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from sqlalchemy import select

from analysis.disclosure import Cell, ProtectedCounts
from questionnaires.model import Questionnaire
from survey_app.extensions import db
from survey_app.models.campaigns import Campaign
from survey_app.models.staff import Partnership, PopulationEstimate

#: a group whose share of the sample is under this fraction of its share of the population
UNDER_REPRESENTED = 0.8
#: Audiences that are everyone of their ages, so the area's population of those ages is theirs. Parents
#: and carers, or professionals, are not a share of all adults: set beside every 65-year-old in the
#: area, they read as "under-represented" for being who they are.
BY_AGE = ("children", "young_people", "young_adults")
FEMALE = {"girl", "woman"}
MALE = {"boy", "man"}


class SamplePage(Protocol):
    """The dashboard page the sample's tables are added to (and protected with)."""

    def answer(self, qid: str, key: str) -> np.ndarray:
        """Each response's answer to a question of a questionnaire ("" when none)."""
        ...

    def add(self, name: str, rows: list[np.ndarray], columns: list[np.ndarray], labels: list[str]) -> None:
        """A list of counts to publish with the rest of the page."""
        ...


@dataclass
class PopulationRow:
    """One group's share of the sample against its share of the population."""

    label: str
    sample: Cell
    population_percent: float
    #: sample share / population share (None when the sample share is hidden or there is no population share)
    ratio: float | None

    @property
    def under_represented(self) -> bool:
        """Whether the group is noticeably fewer in the sample than in the population."""
        return self.ratio is not None and self.ratio < UNDER_REPRESENTED

    @property
    def no_ratio_reason(self) -> str:
        """Why there is no ratio: a hundred answers whose share is hidden to protect a neighbouring cell
        are not "not enough answers yet"."""
        if self.sample.value is None:
            return "too few answers to show yet"
        if self.sample.percent is None:
            return "share hidden to protect a small group"
        return "no population figure to compare with"


@dataclass
class PopulationComparison:
    """For one questionnaire: age bands and sexes in the sample against the population table."""

    audience: str
    title: str
    rows: list[PopulationRow]
    source: str


def band_range(band: str) -> tuple[int, int]:
    """Ages in a band label: "11-12" -> (11, 12), "8" -> (8, 8), "65+" -> (65, 200)."""
    if band.endswith("+"):
        return int(band[:-1]), 200
    low, _, high = band.partition("-")
    return int(low), int(high or low)


def population_comparisons(
    campaign: Campaign,
    page: SamplePage,
    questionnaires: dict[str, tuple[list[int], Questionnaire]],
    audience_labels: dict[str, str],
) -> tuple[list[Callable[[dict[str, ProtectedCounts]], PopulationComparison]], list[str]]:
    """Age bands and sexes in each audience defined by its ages against the partnership's population table.

    Adds the sample's tables to the page and returns, per questionnaire, how to make its comparison
    once the page is protected; and the audiences answering that are not compared because they are not
    defined by their ages (both empty when no population is loaded: the page says so instead).
    """
    partnership = db.session.get(Partnership, campaign.partnership_id) if campaign.partnership_id else None
    if partnership is None or not partnership.area_code:
        return [], []
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
        return [], []
    source = f"{cells[0].area_name}, population estimates for {cells[0].period}"
    people: dict[tuple[str, int], int] = defaultdict(int)
    for sex, age, count, _, _ in cells:
        people[(sex, age)] += count
    out = []
    for qid, (_, q) in questionnaires.items():
        if q.audience not in BY_AGE:
            continue
        band_question = next((x for x in q.questions() if x.demographic == "age_band"), None)
        if band_question is None:
            continue
        bands = [(o.value, o.label, band_range(o.value)) for o in band_question.options if o.value[0].isdigit()]
        pop = {value: sum(c for (_, age), c in people.items() if lo <= age <= hi) for value, _, (lo, hi) in bands}
        pop_total = sum(pop.values()) or 1
        said = page.answer(qid, band_question.key)
        values = [value for value, _, _ in bands]
        page.add(f"sample {qid}", [np.isin(said, values)], [said == v for v in values], values)
        band_rows = [(f"Aged {label}", value, 100 * pop[value] / pop_total) for value, label, _ in bands]
        sex_rows: list[tuple[str, str, float]] = []
        gender = next((x for x in q.questions() if x.demographic in ("gender", "gender_adult")), None)
        if gender is not None:
            lo, hi = bands[0][2][0], bands[-1][2][1]
            females = sum(c for (sex, age), c in people.items() if sex == "females" and lo <= age <= hi)
            males = sum(c for (sex, age), c in people.items() if sex == "males" and lo <= age <= hi)
            told = page.answer(qid, gender.key)
            female, male = np.isin(told, sorted(FEMALE)), np.isin(told, sorted(MALE))
            page.add(f"sexes {qid}", [female | male], [female, male], ["female", "male"])
            both = (females + males) or 1
            sex_rows = [
                ("Girls and women", "female", 100 * females / both),
                ("Boys and men", "male", 100 * males / both),
            ]
        out.append(_comparison(qid, q, band_rows, sex_rows, source, audience_labels))
    others = {audience_labels.get(q.audience, q.title) for _, q in questionnaires.values() if q.audience not in BY_AGE}
    return out, sorted(others)


def _comparison(
    qid: str,
    q: Questionnaire,
    band_rows: list[tuple[str, str, float]],
    sex_rows: list[tuple[str, str, float]],
    source: str,
    audience_labels: dict[str, str],
) -> Callable[[dict[str, ProtectedCounts]], PopulationComparison]:
    def make(tables: dict[str, ProtectedCounts]) -> PopulationComparison:
        rows = [_row(label, tables[f"sample {qid}"][value], share) for label, value, share in band_rows]
        rows += [_row(label, tables[f"sexes {qid}"][value], share) for label, value, share in sex_rows]
        return PopulationComparison(q.audience, questionnaire_label(q, audience_labels), rows, source)

    return make


def questionnaire_label(q: Questionnaire, audience_labels: dict[str, str]) -> str:
    """The audience's label, naming a version made for part of it: "Young people (11 to 18), easy read".

    The easy-read version is kept apart on the dashboard (its own people, its own reach), so a table of
    it titled like the standard version's would read as the same table twice.
    """
    label = audience_labels.get(q.audience, q.title)
    return label if q.presentation == "standard" else f"{label}, {q.presentation.replace('-', ' ')}"


def _row(label: str, cell: Cell, population_percent: float) -> PopulationRow:
    ratio = None if cell.percent is None or not population_percent else cell.percent / population_percent
    return PopulationRow(label, cell, population_percent, ratio)
