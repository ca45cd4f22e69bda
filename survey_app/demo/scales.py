"""Scale and faces questions: an ordered answer driven by one of the respondent's traits.

Each scale gets a model from its type and wording: its points from good to bad, the share of
people at each, which trait drives the answer (feeling safe, wellbeing, trust...) and how
strongly. A respondent's trait plus noise then picks their point.
"""

from __future__ import annotations

import math
import random

from questionnaires.model import Answer as CanonicalAnswer
from questionnaires.model import Question
from survey_app.demo.choices import single
from survey_app.demo.hints import NEGATIVE_STATEMENT, has, regular, wording
from survey_app.demo.people import Person
from survey_app.demo.sampling import phi

#: Scale points from good to bad, their shares, the driving trait and its correlation (negative: reversed).
ScaleModel = tuple[list[str], list[float], str, float]


def scale(rng: random.Random, models: ScaleModels, q: Question, person: Person) -> CanonicalAnswer | None:
    """An ordered answer driven by one of the person's traits (scale and faces questions)."""
    points, dist, driver, rho = models.get(q, person.audience)
    if not points:
        return single(rng, q, person)
    z = 0.5 * person.z["safe"] - 0.6 * person.z["online"] if driver == "online_safe" else person.z.get(driver, 0.0)
    if driver == "safe" and has(wording(q), "dark", "night"):
        z += -0.2 if person.gender == "female" else 0.1  # women and girls feel less safe after dark
    u = rho * z + math.sqrt(1 - rho * rho) * rng.gauss(0, 1)
    bad = 1.0 - phi(u)  # high trait -> the good end of the scale
    total = 0.0
    for value, share in zip(points, dist, strict=True):
        total += share
        if bad < total:
            return {"values": [value]}
    return {"values": [points[-1]]}


class ScaleModels:
    """Each scale question's model, worked out once per build (one cache per Generator)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], ScaleModel] = {}

    def get(self, q: Question, audience: str) -> ScaleModel:
        cache_key = (audience, f"{q.key}|{q.text}|{q.scale}")
        if cache_key not in self._cache:
            self._cache[cache_key] = scale_model(q, audience)
        return self._cache[cache_key]


def scale_model(q: Question, audience: str) -> ScaleModel:
    """Scale points from good to bad, their shares, the trait driving them and how strongly."""
    points = [o.value for o in regular(q) if not o.other_text]
    words = wording(q)
    scale = q.scale or ""
    reverse = False
    p_good = 0.6
    driver = "optimism"
    rho = 0.65
    adult = audience in ("parents_carers", "professionals")
    if scale == "safety4":
        p_good = {
            "children": 0.86,
            "young_people": 0.81,
            "young_adults": 0.78,
            "parents_carers": 0.7,
            "professionals": 0.62,
        }.get(audience, 0.78)
        driver = "safe"
        rho = 0.8
        if has(words, "dark", "night"):
            p_good -= 0.12
        elif has(words, "during the day", "daytime"):
            p_good += 0.08  # nearly everyone who feels unsafe at all feels it after dark, not by day
        if has(words, "school", "college"):
            p_good += 0.05
        if has(words, "town centre", "pubs", "bus", "tram", "train", "public transport"):
            p_good -= 0.06
        if has(words, "online", "internet", "social media"):
            p_good = 0.8 if audience in ("children", "young_people") else 0.62
            driver = "online_safe"
        if has(words, "your child", "think your child", "child is", "child feels"):
            p_good -= 0.02
    elif scale == "worry4":
        reverse = True
        driver = "safe"
        p_good = 0.55 if not adult else 0.4
        if has(words, "money", "cost", "afford", "bills"):
            driver, p_good = "-depr", 0.55
        elif has(words, "social media", "online"):
            p_good = 0.35
        elif has(words, "friends", "pressure", "exploit"):
            p_good = 0.55
    elif scale == "likelihood4":
        if has(words, "attack", "victim", "hurt", "see people", "gangs", "robbed", "mugged"):
            reverse = True
            driver = "safe"
            p_good = 0.72 if "gang" in words else (0.88 if "with a weapon" in words else 0.8)
        else:
            driver, p_good = "trust", 0.55
    elif scale == "problem4":
        reverse = True
        driver = "safe"
        p_good = 0.45 if not adult else 0.35
        if has(words, "litter", "rubbish"):
            p_good -= 0.1
        elif has(words, "abandoned", "burnt-out"):
            p_good = 0.85  # the rarest of the seven anti-social behaviour problems
        elif has(words, "noisy neighbours", "loud parties"):
            p_good = 0.65
        elif has(words, "teenagers hanging around"):
            p_good = 0.6
    elif scale == "bullying4":
        driver = "well"
        p_good = 0.82 if has(words, "cyber", "online") else 0.8
    elif scale == "often5":
        bad_words = ("pressure", "worr", "bull", "unsafe", "scare", "lonely", "stress", "avoid", "don't want")
        reverse = has(words, *bad_words)
        driver = "-risk" if reverse else "well"
        p_good = 0.72 if reverse else 0.5
    elif scale == "happiness5":
        driver, p_good = "well", 0.78
    elif scale == "accepted4":
        driver, p_good = "well", 0.75
    elif scale == "rating5":
        driver, p_good = "trust", 0.42
    elif scale.startswith("agreement"):
        p_good, driver = agreement(words, audience)
        reverse = has(words, *NEGATIVE_STATEMENT)
        if reverse:
            p_good = 0.4
    if reverse:
        points = list(reversed(points))
    dist = shares(scale, len(points), min(0.97, max(0.05, p_good)), reverse)
    return points, dist, driver.lstrip("-"), -rho if driver.startswith("-") else rho


def agreement(words: str, audience: str) -> tuple[float, str]:
    """Share agreeing with a statement, and the trait behind it, from its wording."""
    rules = (
        (("belong",), 0.66, "well"),
        (("places to", "free time", "things to do", "places for"), 0.48, "optimism"),
        (("job", "apprentice", "training for", "chances for young people"), 0.36, "-depr"),
        (("police",), 0.5, "trust"),
        (("know how to refer",), 0.78, "optimism"),
        (
            ("know where", "know how", "where to get help", "where to go for help"),
            {"professionals": 0.7, "parents_carers": 0.48}.get(audience, 0.55),
            "trust",
        ),
        (("listen", "have a say", "views"), 0.38, "trust"),
        (("information", "shared quickly"), 0.3, "optimism"),
        (("early enough", "enough support", "there is enough"), 0.24, "optimism"),
        (("work well together", "confident"), 0.45, "optimism"),
        (("clear",), 0.4, "optimism"),
        (("victims, not offenders", "as victims"), 0.42, "optimism"),
        (("enough training", "training to"), 0.5, "optimism"),
        (("women and girls",), 0.45, "safe"),
        (("safe",), 0.68, "safe"),
    )
    for keys, share, driver in rules:
        if has(words, *keys):
            return share, driver
    return 0.55, "optimism"


def shares(scale: str, n: int, p_good: float, reverse: bool) -> list[float]:
    """A realistic spread over n ordered points (good first) with p_good in the good part."""
    if n <= 1:
        return [1.0] * n
    if scale == "bullying4" and not reverse:
        rest = [0.6, 0.25, 0.15][: n - 1]
        return [p_good] + [(1 - p_good) * r / sum(rest) for r in rest]
    if n == 4:
        return [p_good * 0.42, p_good * 0.58, (1 - p_good) * 0.68, (1 - p_good) * 0.32]
    if n == 5:
        if scale == "often5":
            return [p_good * 0.55, p_good * 0.45, (1 - p_good) * 0.55, (1 - p_good) * 0.3, (1 - p_good) * 0.15]
        return [p_good * 0.35, p_good * 0.65, (1 - p_good) * 0.5, (1 - p_good) * 0.33, (1 - p_good) * 0.17]
    good = n // 2
    bad = n - good
    return [p_good / good] * good + [(1 - p_good) / bad] * bad
