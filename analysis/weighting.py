"""Weighting: rake the sample to population totals so a few schools don't speak for the whole area.

Raking (iterative proportional fitting) adjusts each response's weight in turn to match each
margin, age band × sex (joint, from the population table) and area (only when an area population
is configured), until all margins hold. Each questionnaire is weighted separately, to the
population of its own age bands: audiences are different populations and are never weighted
against each other. Mean weight is 1 within each questionnaire, so weighted counts stay on the
scale of the sample.

The cost of weighting is reported: Kish's design effect (n·Σw² / (Σw)²) and the effective sample
size (n / deff), which the confidence intervals and tests then use.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analysis.load import CampaignData, QuestionColumn

DATA = Path(__file__).resolve().parent / "data"
DEFAULT_POPULATION = DATA / "population" / "trafford-mid-2024-by-single-year-of-age.csv"
#: Gender answers that map to the population table's sexes; other answers are not adjusted for sex.
SEX_OF = {"girl": "female", "woman": "female", "boy": "male", "man": "male"}
SEXES = ("female", "male")


@dataclass(frozen=True)
class Population:
    """Population counts by sex and single year of age (the last age is "and over"), and optionally by area."""

    name: str
    #: sex -> counts for ages 0, 1, ..., top (top = top and over)
    by_sex_age: dict[str, np.ndarray]
    #: area value (as in the area list) -> population, when area margins are configured
    areas: dict[str, float] = field(default_factory=dict)

    def band(self, sex: str, band: str) -> float:
        """People of one sex in an age band such as "11-12", "65+" or "8"."""
        counts = self.by_sex_age[sex]
        top = counts.size - 1
        match = re.fullmatch(r"(\d+)(?:-(\d+)|(\+))?", band)
        if not match:
            raise ValueError(f'age band \'{band}\' should look like "11-12", "16" or "65+"')
        low = int(match.group(1))
        high = top if match.group(3) else int(match.group(2) or low)
        return float(counts[min(low, top) : min(high, top) + 1].sum())


def load_population(path: Path | str | None = None, areas: Path | str | None = None) -> Population:
    """Read an ONS mid-year estimate CSV (rows Females and Males, columns 0 … 90+), and an optional area CSV.

    The area CSV has two columns, `area` (values from the questionnaire's area list) and
    `population`.
    """
    path = Path(path or DEFAULT_POPULATION)
    by_sex: dict[str, np.ndarray] = {}
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            sex = row.get("sex", "").strip().lower()
            sex = {"females": "female", "males": "male"}.get(sex, sex)
            if sex in SEXES:
                ages = [k for k in row if k and re.fullmatch(r"\d+\+?", k)]
                ages.sort(key=lambda k: int(k.rstrip("+")))
                by_sex[sex] = np.array([float(row[k]) for k in ages])
    if set(by_sex) != set(SEXES):
        raise ValueError(f"{path.name}: expected rows for Females and Males with single years of age")
    area_counts: dict[str, float] = {}
    if areas:
        with Path(areas).open(newline="", encoding="utf-8") as f:
            area_counts = {r["area"].strip(): float(r["population"]) for r in csv.DictReader(f)}
    return Population(path.stem, by_sex, area_counts)


@dataclass(frozen=True)
class RakeResult:
    """Weights from raking, and whether they matched every margin."""

    weights: np.ndarray
    iterations: int
    converged: bool
    #: largest gap between a weighted margin share and its target, at the end
    max_gap: float


def rake(
    margins: list[tuple[np.ndarray, np.ndarray]], *, max_iterations: int = 200, tolerance: float = 1e-6
) -> RakeResult:
    """Rake unit weights to several margins.

    Each margin is (codes, target shares): codes[i] is unit i's category (−1 = not known: that unit
    is left alone for this margin), and shares sum to 1 over the categories. Every category with a
    target share must have at least one unit. Returns weights with mean 1.
    """
    n = margins[0][0].size if margins else 0
    weights = np.ones(n)
    gap = 0.0
    for iteration in range(1, max_iterations + 1):
        gap = 0.0
        for codes, targets in margins:
            known = codes >= 0
            totals = np.bincount(codes[known], weights=weights[known], minlength=targets.size)
            total = totals.sum()
            gap = max(gap, float(np.abs(totals / total - targets).max()))
            factors = np.divide(targets * total, totals, out=np.ones_like(totals), where=totals > 0)
            weights[known] *= factors[codes[known]]
        if gap < tolerance:
            return RakeResult(weights / weights.mean(), iteration, True, gap)
    return RakeResult(weights / weights.mean() if n else weights, max_iterations, False, gap)


def design_effect(weights: np.ndarray) -> float:
    """Kish's design effect from unequal weights: n·Σw² / (Σw)² (1 = no loss)."""
    if weights.size == 0:
        return 1.0
    return float(weights.size * np.square(weights).sum() / np.square(weights.sum()))


def effective_n(weights: np.ndarray) -> float:
    """Effective sample size: (Σw)² / Σw²."""
    total = float(np.square(weights).sum())
    return float(np.square(weights.sum()) / total) if total else 0.0


@dataclass(frozen=True)
class WeightingReport:
    """How one questionnaire's responses were weighted."""

    questionnaire_id: str
    responses: int
    margins: tuple[str, ...]
    converged: bool
    iterations: int
    design_effect: float
    effective_n: float
    max_weight: float
    #: population cells with no respondents (they could not be weighted up)
    empty_cells: tuple[str, ...] = ()
    #: why it was not weighted, when it wasn't
    skipped: str = ""

    def describe(self, answered: np.ndarray | None = None) -> str:
        """One line for a report; with `answered` (the weights of those who answered a question), that question's own
        effective sample size, which can be far below the questionnaire's when few answered it."""
        if self.skipped:
            return f"{self.questionnaire_id}: not weighted ({self.skipped})."
        text = f"{self.questionnaire_id}: weighted to {' and '.join(self.margins)}"
        if answered is None:
            text += (
                f"; design effect {self.design_effect:.2f}, effective sample size {self.effective_n:,.0f} of "
                f"{self.responses:,}, largest weight {self.max_weight:.1f}"
            )
        else:
            text += (
                f"; for this question, design effect {design_effect(answered):.2f}, effective sample size "
                f"{effective_n(answered):,.0f} of the {answered.size:,} who answered (the questionnaire: "
                f"{self.effective_n:,.0f} of {self.responses:,}), largest weight {self.max_weight:.1f}. "
                f"Percentages and intervals are weighted; counts and bases are people (unweighted)"
            )
        if not self.converged:
            text += " (raking did not fully converge)"
        if self.empty_cells:
            text += f"; nobody answered from {', '.join(self.empty_cells)}"
        return text + "."


@dataclass(frozen=True)
class Weights:
    """A weight for every response of a campaign (1 where a questionnaire could not be weighted)."""

    values: np.ndarray
    reports: tuple[WeightingReport, ...]
    population: str


def weight_campaign(data: CampaignData, population: Population) -> Weights:
    """Rake each questionnaire's responses to the population's age band × sex (and area) margins."""
    weights = np.ones(data.n)
    reports = []
    for qid in data.questionnaire_ids:
        mask = data.questionnaire_mask(qid)
        columns = [c for c in data.columns.values() if c.questionnaire.id == qid]
        age = next((c for c in columns if c.question.demographic == "age_band"), None)
        gender = next((c for c in columns if c.question.demographic in ("gender", "gender_adult")), None)
        area = next((c for c in columns if c.question.type == "area"), None)
        count = int(mask.sum())
        if age is None or gender is None:
            reports.append(
                WeightingReport(qid, count, (), True, 0, 1.0, float(count), 1.0, skipped="it asks no age band and sex")
            )
            continue
        margins, names, empty = [], [], []
        codes, targets, cell_names = _age_sex_margin(age, gender, population, mask)
        margins.append((codes, targets))
        names.append("age band × sex")
        empty += cell_names
        if population.areas and area is not None:
            codes, targets, area_empty = _area_margin(area, population, mask)
            if targets.size:
                margins.append((codes, targets))
                names.append("area")
                empty += area_empty
        result = rake(margins)
        weights[mask] = result.weights
        reports.append(
            WeightingReport(
                qid,
                count,
                tuple(names),
                result.converged,
                result.iterations,
                design_effect(result.weights),
                effective_n(result.weights),
                float(result.weights.max(initial=1.0)),
                tuple(empty),
            )
        )
    return Weights(weights, tuple(reports), population.name)


def _age_sex_margin(
    age: QuestionColumn, gender: QuestionColumn, population: Population, mask: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Joint age band × sex categories for this questionnaire's respondents, with population shares."""
    bands = [o.value for o in age.options if re.fullmatch(r"\d+(-\d+|\+)?", o.value)]
    sex_index = np.array([SEXES.index(SEX_OF[o.value]) if o.value in SEX_OF else -1 for o in gender.options] or [-1])
    band_codes = age.data[mask].astype(np.int64)
    sex_codes = np.where(gender.data[mask] >= 0, sex_index[np.clip(gender.data[mask], 0, None)], -1)
    valid = (band_codes >= 0) & (band_codes < len(bands)) & (sex_codes >= 0)
    joint = np.where(valid, band_codes * 2 + sex_codes, -1)
    present = np.bincount(joint[joint >= 0], minlength=2 * len(bands))
    totals = np.array([population.band(sex, band) for band in bands for sex in SEXES])
    empty = [
        f"{sex}s aged {band}"
        for b, band in enumerate(bands)
        for s, sex in enumerate(SEXES)
        if present[2 * b + s] == 0 and totals[2 * b + s] > 0
    ]
    keep = np.flatnonzero((present > 0) & (totals > 0))
    remap = np.full(2 * len(bands), -1)
    remap[keep] = np.arange(keep.size)
    codes = np.where(joint >= 0, remap[np.clip(joint, 0, None)], -1)
    return codes, totals[keep] / totals[keep].sum(), empty


def _area_margin(
    area: QuestionColumn, population: Population, mask: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    values = [o.value for o in area.options]
    known = [v for v in values if v in population.areas]
    remap = np.array([known.index(v) if v in population.areas else -1 for v in values] or [-1])
    raw = area.data[mask]
    codes = np.where(raw >= 0, remap[np.clip(raw, 0, None)], -1)
    present = np.bincount(codes[codes >= 0], minlength=len(known))
    totals = np.array([population.areas[v] for v in known])
    keep = np.flatnonzero((present > 0) & (totals > 0))
    empty = [known[i] for i in range(len(known)) if present[i] == 0]
    remap2 = np.full(len(known), -1)
    remap2[keep] = np.arange(keep.size)
    codes = np.where(codes >= 0, remap2[np.clip(codes, 0, None)], -1)
    return codes, totals[keep] / totals[keep].sum() if keep.size else np.array([]), empty
