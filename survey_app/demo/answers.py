"""The Generator: walks a questionnaire as routing shows it and answers each question.

Every answer obeys its question's rules (exclusive options alone, `max_choices`, `max_rank`,
number ranges, text lengths), and only questions routing shows are answered. Each question type
has its own answerer: scales.py, choices.py and free_text.py, plus numbers and areas here.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import partial

from questionnaires.model import Answer as CanonicalAnswer
from questionnaires.model import Question
from survey_app.demo import choices, scales
from survey_app.demo.free_text import free_text
from survey_app.demo.hints import has, regular, wording
from survey_app.demo.people import Person, Plan

Answerer = Callable[[Question, Person], CanonicalAnswer | None]


class Generator:
    """Answers for one synthetic respondent at a time, from one seeded random source."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        scale: Answerer = partial(scales.scale, rng, scales.ScaleModels())
        self.single: Answerer = partial(choices.single, rng)
        self.answerers: dict[str, Answerer] = {
            "scale": scale,
            "faces": scale,
            "single_choice": self.single,
            "multiple_choice": partial(choices.multiple, rng),
            "ranking": partial(choices.ranking, rng),
            "number": partial(number, rng),
            "short_text": partial(free_text, rng),
            "long_text": partial(free_text, rng),
            "area": partial(area, rng),
            "demographic": partial(choices.demographic, rng),
        }

    def answers(self, plan: Plan, person: Person) -> dict[str, CanonicalAnswer]:
        """Walk the questionnaire page by page as routing shows it, answering (or skipping) each question."""
        questionnaire = plan.questionnaire
        given: dict[str, CanonicalAnswer] = {}
        for page in questionnaire.pages:
            if page.show_if is not None and not page.show_if.holds(given):
                continue
            for q in page.visible_questions(given):
                answer = self.answer(q, person)
                if answer:
                    given[q.key] = answer
        return questionnaire.visible_answers(given)

    def answer(self, q: Question, person: Person) -> CanonicalAnswer | None:
        rng = self.rng
        skip = person.skip + (0.03 if q.sensitive and q.type not in ("demographic", "area") else 0.0)
        if q.is_text:  # about half leave a free-text box empty; professionals write more
            base = {
                "children": 0.5,
                "young_people": 0.5,
                "young_adults": 0.45,
                "parents_carers": 0.4,
                "professionals": 0.3,
            }.get(person.audience, 0.5)
            skip = min(0.9, base + person.skip + (0.05 if q.type == "short_text" else 0.0))
        if rng.random() < skip:
            return None
        special = self.special(q, person)
        if special is not None:
            return {"values": [special]}
        return self.answerers.get(q.type, self.single)(q, person)

    def special(self, q: Question, person: Person) -> str | None:
        """Sometimes "Prefer not to say" or "Don't know" (whichever the question offers)."""
        if q.type in ("area", "ranking") or not q.options:
            return None
        rng = self.rng
        if q.option("prefer_not_to_say") is not None:
            chance = 0.02 if q.type == "demographic" else 0.03
            if q.demographic in ("ethnicity", "transgender"):
                chance = 0.035
            if rng.random() < chance:
                return "prefer_not_to_say"
        if q.option("dont_know") is not None and q.type != "demographic":
            chance = {"children": 0.07, "parents_carers": 0.05, "professionals": 0.08}.get(person.audience, 0.04)
            if rng.random() < chance:
                return "dont_know"
        return None


def number(rng: random.Random, q: Question, person: Person) -> CanonicalAnswer | None:
    """A number in range: their age if asked, otherwise usually small."""
    low = q.min if q.min is not None else 0
    high = q.max if q.max is not None else max(low + 20, low)
    words = wording(q)
    if has(words, "how old", " age"):
        value = person.age
    elif high - low <= 10:
        value = low + int(round((high - low) * rng.betavariate(1.2, 2.5)))
    else:
        # counts are usually small: most people say 0, 1 or 2
        value = low + int(rng.expovariate(1 / max(1.0, (high - low) * 0.06)))
    return {"number": max(low, min(high, value))}


def area(rng: random.Random, q: Question, person: Person) -> CanonicalAnswer | None:
    """The person's ward, sometimes "Somewhere else", "Don't know" or "Prefer not to say"."""
    roll = rng.random()
    dont_know = 0.1 if person.audience == "children" else 0.02
    if roll < 0.03 and q.option("prefer_not_to_say"):
        return {"values": ["prefer_not_to_say"]}
    if roll < 0.03 + dont_know and q.option("dont_know"):
        return {"values": ["dont_know"]}
    if roll < 0.07 + dont_know and q.option("somewhere_else"):
        return {"values": ["somewhere_else"]}
    if person.ward and q.option(person.ward):
        return {"values": [person.ward]}
    wards = regular(q)
    return {"values": [rng.choice(wards).value]} if wards else None
