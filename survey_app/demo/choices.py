"""Choice questions: single choice, Yes/No, tick boxes, ranking and "about you" questions.

Option weights come from the hint tables (hints.py) where a key or value is recognised, else a
stable made-up weight, and are shifted by the respondent's traits: people who feel unsafe tick
threats more, people online a lot pick social media, and so on.
"""

from __future__ import annotations

import math
import random
import re

from questionnaires.model import Answer as CanonicalAnswer
from questionnaires.model import Option, Question
from survey_app.demo.free_text import with_other_text
from survey_app.demo.hints import (
    HARASSMENT_WORDS,
    NONE_WORDS,
    RANK_WEIGHTS,
    SAFETY_FIX_WORDS,
    SINGLE_WEIGHTS,
    THREAT_WORDS,
    TICK_RATES,
    has,
    regular,
    wording,
)
from survey_app.demo.people import Person
from survey_app.demo.places import ETHNICITY
from survey_app.demo.sampling import phi, pick, stable, weighted_order


def single(rng: random.Random, q: Question, person: Person) -> CanonicalAnswer | None:
    """Yes/No questions by what they ask; others by hinted or stable made-up weights."""
    options = regular(q)
    if not options:
        return None
    values = {o.value for o in options}
    if {"yes", "no"} <= values:
        return {"values": [yes_no(rng, q, person, values)]}
    weights = []
    for o in options:
        w = SINGLE_WEIGHTS.get(o.value, 0.4 + stable(f"{q.key}:{o.value}"))
        if o.other_text:
            w = 0.03 * sum(SINGLE_WEIGHTS.get(x.value, 0.9) for x in options)
        if has(o.value, "less_safe", "worse", "unsafe", "up_a"):
            w *= math.exp(-0.5 * person.z["safe"])
        if o.value in ("never", "weekly") and "club" in q.text.lower():
            w *= math.exp((0.3 if o.value == "weekly" else -0.3) * person.z["well"])
        weights.append(max(w, 0.001))
    chosen = pick(rng, options, weights)
    return with_other_text(rng, q, {"values": [chosen.value]}, [chosen])


def yes_no(rng: random.Random, q: Question, person: Person, values: set[str]) -> str:
    """Answer a Yes/No question with a prevalence and trait suited to what it asks."""
    words = wording(q)
    teen = max(0, min(person.age, 18) - 11)
    prevalence, driver, rho = 0.5, "optimism", 0.4
    if has(words, "carr") and has(words, "knife", "weapon"):
        if has(words, "know", "friend", "someone", "anyone"):
            prevalence, driver, rho = 0.14 + 0.02 * teen, "risk", 0.75
        elif has(words, "worried", "your child", "might be"):
            prevalence, driver, rho = 0.1, "risk", 0.5
        else:
            prevalence, driver, rho = 0.03, "risk", 0.85
    elif has(words, "social media", "online") and has(words, "violen", "fight", "weapon"):
        prevalence, driver, rho = 0.3 + 0.06 * teen, "online", 0.7
        if "your child" in words:
            prevalence = 0.45
    elif (has(words, "older") and has(words, "asked", "risky", "against the law")) or has(words, "exploit"):
        prevalence, driver, rho = 0.06, "risk", 0.8
    elif has(words, "hit you", "attacked", "hurt, threatened", "mugged", "robbed", "victim"):
        prevalence, driver, rho = 0.11, "risk", 0.7
    elif has(words, "seen or heard", "witness", "anti-social"):
        prevalence, driver, rho = 0.45, "risk", 0.6
    elif has(words, "upset", "scared"):
        prevalence, driver, rho = 0.35, "online", 0.6
    elif "trust" in words:
        prevalence, driver, rho = 0.86, "trust", 0.6
    elif "gang" in words:
        prevalence, driver, rho = 0.15, "risk", 0.7
    # A higher trait makes "yes" more likely; `prevalence` of people answer "yes" overall.
    u = rho * person.z.get(driver, 0.0) + math.sqrt(1 - rho * rho) * rng.gauss(0, 1)
    return "yes" if phi(u) > 1 - prevalence else "no"


def multiple(rng: random.Random, q: Question, person: Person) -> CanonicalAnswer | None:
    """Tick boxes: each ticked at its own rate; an exclusive option ("None of these") alone."""
    options = [o for o in q.options if not o.special]
    if not options:
        return None
    rates = TICK_RATES.get(q.key, {})
    plain = [o for o in options if not o.exclusive and not o.other_text]
    default = min(0.45, 2.2 / max(1, len(plain)))
    # "None of these" / "I wouldn't tell anyone" first: chosen alone.
    for o in options:
        if o.exclusive:
            rate = rates.get(o.value, 0.12 if has(o.value, *NONE_WORDS) else 0.05)
            rate *= modifier(q, o, person)
            if rng.random() < min(rate, 0.95):
                return {"values": [o.value]}
    chosen: list[Option] = []
    weights: dict[str, float] = {}
    for o in options:
        if o.exclusive:
            continue
        if o.other_text:
            rate = 0.04
        else:
            rate = rates.get(o.value, default * (0.6 + 0.8 * stable(f"{q.key}:{o.value}")))
            rate *= modifier(q, o, person)
        weights[o.value] = rate
        if rng.random() < min(rate, 0.95):
            chosen.append(o)
    if not chosen:
        candidates = [o for o in options if not o.exclusive and not o.other_text] or [
            o for o in options if not o.exclusive
        ]
        if not candidates:
            return {"values": [options[0].value]}
        chosen = [pick(rng, candidates, [weights.get(o.value, 0.1) for o in candidates])]
    if q.max_choices and len(chosen) > q.max_choices:
        keep = weighted_order(rng, chosen, [weights.get(o.value, 0.1) for o in chosen])[: q.max_choices]
        chosen = [o for o in chosen if o in keep]
    return with_other_text(rng, q, {"values": [o.value for o in chosen]}, chosen)


def modifier(q: Question, o: Option, person: Person) -> float:
    """How much more (or less) likely this person is to pick this option than most people."""
    z = person.z
    value = f"{o.value} {o.label}".lower()
    m = 1.0
    if has(o.value, *NONE_WORDS):
        m *= math.exp(0.35 * z["safe"] if o.value == "none" else -0.3 * z["trust"])
        if o.value == "none" and has(q.text.lower(), "happened to you") and person.gender == "female":
            m *= 0.6
        return m
    if has(value, *THREAT_WORDS):
        m *= math.exp(-0.3 * z["safe"] + 0.15 * z["risk"])
    if has(o.value, *SAFETY_FIX_WORDS):
        m *= math.exp(-0.15 * z["safe"])
    if "social_media" in o.value or "online" in o.value:
        m *= math.exp(0.3 * z["online"])
    if has(value, "money", "cost", "poverty", "afford"):
        m *= math.exp(0.35 * z["depr"])
    if has(o.value, *HARASSMENT_WORDS):
        m *= {"female": 1.8, "male": 0.35}.get(person.gender, 1.2)
    if has(value, "police") and not has(q.text.lower(), "unsafe"):
        m *= math.exp(0.25 * z["trust"])
    if o.value in ("protection",):
        m *= math.exp(-0.2 * z["safe"])
    return m


def ranking(rng: random.Random, q: Question, person: Person) -> CanonicalAnswer | None:
    """The top few in order, by audience preferences and the person's traits."""
    options = regular(q)
    if not options:
        return None
    prefs = RANK_WEIGHTS.get(person.audience, RANK_WEIGHTS["young_people"])
    weights = [prefs.get(o.value, 0.6 + 0.8 * stable(f"{q.key}:{o.value}")) * modifier(q, o, person) for o in options]
    if person.age >= 15 and person.audience in ("young_people", "young_adults"):
        weights = [w * (1.3 if o.value == "things_to_do" else 1.0) for w, o in zip(weights, options, strict=True)]
    limit = min(q.max_rank or 3, len(options))
    roll = rng.random()
    count = limit if roll < 0.85 else max(1, limit - (1 if roll < 0.95 else 2))
    return {"values": [o.value for o in weighted_order(rng, options, weights)[:count]]}


def demographic(rng: random.Random, q: Question, person: Person) -> CanonicalAnswer | None:
    """About you: age band and gender from the person, other characteristics at local rates."""
    options = regular(q)
    if not options:
        return None
    kind = q.demographic
    values = [o.value for o in options]
    weights: list[float]
    if kind == "age_band":
        return {"values": [band(values, person.age)]}
    if kind in ("gender", "gender_adult"):
        table = {
            "female": {"girl": 1.0, "woman": 1.0},
            "male": {"boy": 1.0, "man": 1.0},
            "other": {"non_binary": 0.5, "self_describe": 0.15, "unsure": 0.35},
        }[person.gender]
        weights = [table.get(v, 0.0) for v in values]
        if not any(weights):
            weights = [1.0] * len(values)
    elif kind == "transgender":
        weights = [{"yes": 0.012, "no": 0.95, "not_sure": 0.025}.get(v, 0.01) for v in values]
    elif kind == "ethnicity":
        weights = [ETHNICITY.get(v, 0.3) for v in values]
    elif kind == "long_term_condition":
        share = 0.2 if person.audience in ("young_adults", "parents_carers", "professionals") else 0.14
        weights = [{"yes": share, "no": 1 - share}.get(v, 0.02) for v in values]
    elif kind == "condition_limits":
        weights = [{"yes_a_lot": 0.2, "yes_a_little": 0.45, "not_at_all": 0.35}.get(v, 0.1) for v in values]
    elif kind == "send":
        weights = [{"yes": 0.13, "no": 0.8, "not_sure": 0.07}.get(v, 0.05) for v in values]
    else:
        return single(rng, q, person)
    return {"values": [pick(rng, values, weights)]}  # no write-in: a rare self-description can identify


def band(bands: list[str], age: int) -> str:
    """The band (such as "11-12", "16" or "65+") holding this age, else the nearest one."""

    def distance(band: str) -> int:
        numbers = [int(n) for n in re.findall(r"\d+", band)]
        if not numbers:
            return 999
        low = numbers[0]
        high = 200 if band.endswith("+") else numbers[-1]
        return 0 if low <= age <= high else min(abs(age - low), abs(age - high))

    return min(bands, key=distance)
