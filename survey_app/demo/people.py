"""Who answers: one synthetic respondent and the hidden traits that shape their answers.

Traits are roughly standard normal and correlated: feeling safe (shifted by ward), exposure to
risk, time online, wellbeing, trust, deprivation (from the ward) and optimism, all nudged by age
and gender.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from questionnaires.model import Questionnaire
from survey_app.demo.places import POINTS, ROUTES, WARDS
from survey_app.demo.sampling import pick
from survey_app.models import QuestionnaireVersion

#: Age range per audience, for questionnaires that do not give one.
DEFAULT_AGES = {
    "children": (8, 11),
    "young_people": (11, 18),
    "young_adults": (18, 25),
    "parents_carers": (24, 66),
    "professionals": (22, 64),
}


@dataclass
class Plan:
    """Precomputed facts about one questionnaire, so each respondent is quick to generate."""

    version: QuestionnaireVersion
    questionnaire: Questionnaire
    ages: tuple[int, int]
    area_values: tuple[str, ...]


def plan_for(version: QuestionnaireVersion) -> Plan:
    questionnaire = version.questionnaire
    ages = questionnaire.age_range or DEFAULT_AGES.get(questionnaire.audience, (11, 18))
    area_values: tuple[str, ...] = ()
    for q in questionnaire.questions():
        if q.type == "area":
            area_values = tuple(o.value for o in q.options if not o.special)
            break
    return Plan(version, questionnaire, ages, area_values)


@dataclass
class Person:
    """A synthetic respondent: where they answered, and the traits that shape their answers."""

    audience: str
    age: int
    gender: str  # female, male, other
    ward: str | None
    point: int  # index into POINTS
    z: dict[str, float] = field(default_factory=dict)  # latent traits, roughly standard normal
    skip: float = 0.06  # chance of skipping a question


def draw_person(rng: random.Random, plan: Plan) -> Person:
    """A respondent to this questionnaire: where they answered, who they are and their traits."""
    audience = plan.questionnaire.audience
    routes = {
        role: w for role, w in ROUTES.get(audience, {"online": 1.0}).items() if any(p.role == role for p in POINTS)
    }
    role = pick(rng, list(routes), list(routes.values()))
    point = pick(rng, [i for i, p in enumerate(POINTS) if p.role == role], [1.0 for p in POINTS if p.role == role])
    spec = POINTS[point]
    age = draw_age(rng, audience, plan.ages, spec.role)
    gender = pick(
        rng,
        ["female", "male", "other"],
        {"parents_carers": [70, 29, 1], "professionals": [68, 31, 1]}.get(audience, [49, 48.5, 2.5]),
    )
    ward = None
    if plan.area_values:
        local = [w for w in spec.wards if w in plan.area_values]
        ward = rng.choice(local) if local and rng.random() < 0.75 else rng.choice(plan.area_values)
    safe_shift, deprivation = WARDS.get(ward or "", (0.0, 0.0))
    z_safe = rng.gauss(0, 1) + safe_shift
    z_depr = 0.7 * rng.gauss(0, 1) + deprivation
    # Traits are centred on a 15-year-old, so age shifts them up or down but not the overall mix.
    teen = max(0, min(age, 18) - 11) - 4
    male = 0.15 if gender == "male" else -0.15
    z = {
        "safe": z_safe,
        "risk": -0.45 * z_safe + 0.8 * rng.gauss(0, 1) + 0.05 * teen + male + 0.25 * deprivation,
        "online": 0.85 * rng.gauss(0, 1) + 0.12 * teen,
        "well": 0.4 * z_safe + 0.85 * rng.gauss(0, 1) - 0.03 * teen,
        "trust": 0.3 * z_safe + 0.9 * rng.gauss(0, 1) - 0.04 * teen - 0.2 * deprivation,
        "depr": z_depr,
        "optimism": 0.3 * z_safe + 0.95 * rng.gauss(0, 1),
    }
    skip = min(0.4, rng.betavariate(1.3, 18.0))  # most skip little; a few skip a lot
    return Person(audience, age, gender, ward, point, z, skip)


def draw_age(rng: random.Random, audience: str, ages: tuple[int, int], role: str) -> int:
    """An age in the questionnaire's range, fitting where they answered (a primary school, a college)."""
    low, high = ages
    if role == "college" and audience == "young_people":
        low = max(low, 16)
    if role == "college" and audience == "young_adults":
        high = min(high, 19)
    if role == "primary" and audience == "children":
        low = max(low, 8)
    span = list(range(low, high + 1))
    if audience == "young_people":
        weights = [0.55 if a >= 17 else 1.0 for a in span]  # fewer sixth formers answer
    elif audience == "children":
        weights = [0.5 if a <= 8 else 1.0 for a in span]
    elif audience in ("parents_carers", "professionals"):
        centre = 41 if audience == "parents_carers" else 40
        weights = [math.exp(-(((a - centre) / 12.0) ** 2)) for a in span]
    else:
        weights = [1.0 for _ in span]
    return pick(rng, span, weights)
