"""Topic discovery finds a topic planted in synthetic unthemed answers."""

from __future__ import annotations

import random

from analysis.text.topics import discover_topics, key_phrases, unthemed

BUS = [
    "the bus stop on the corner has no shelter and it is dark",
    "waiting at the bus stop at night is scary",
    "the buses stop running early so we walk home in the dark",
    "older lads hang about at the bus stop",
    "the last bus is too early and the bus stop has no light",
    "nobody feels safe at the bus stop after school",
]
DOGS = [
    "dog fouling everywhere on the paths",
    "people let their dogs off the lead and they chase you",
    "big dogs off the lead scare little kids",
    "dog poo all over the playing field",
    "dogs barking and jumping up at people",
]
FIREWORKS = [
    "fireworks going off late at night",
    "too many fireworks in november scare the pets",
    "kids throw fireworks at cars",
    "fireworks thrown at the bus shelter",
]


def planted(seed: int = 3) -> list[dict[str, object]]:
    rng = random.Random(seed)
    out: list[dict[str, object]] = []
    out += [{"text": rng.choice(BUS) + " " + rng.choice(["", "honestly", "at all"]), "themes": []} for _ in range(40)]
    out += [{"text": rng.choice(DOGS), "themes": ["other"]} for _ in range(30)]
    out += [{"text": rng.choice(FIREWORKS), "themes": []} for _ in range(25)]
    # Already themed: must not feed discovery.
    out += [{"text": "gangs and knives and county lines", "themes": ["knives"]} for _ in range(30)]
    return out


def test_only_unthemed_or_other_answers_are_used() -> None:
    answers = unthemed(planted())
    assert len(answers) == 95
    assert all(set(a.themes) <= {"other"} for a in answers)


def test_finds_the_planted_topics() -> None:
    topics = discover_topics(planted(), n_topics=3)
    assert len(topics) == 3
    bus = next(t for t in topics if "bus" in t.top_terms[:3])
    assert "bus stop" in bus.key_phrases
    assert bus.answers >= 35
    assert all("bus" in e for e in bus.examples)
    assert bus.suggested_key == "bus_stop"
    dogs = next(t for t in topics if any("dog" in term for term in t.top_terms[:3]))
    assert dogs is not bus
    assert not any("knives" in term for t in topics for term in t.top_terms)
    assert set(bus.as_dict()) >= {"top_terms", "key_phrases", "examples", "answers", "share", "suggested_key"}


def test_examples_are_redacted_and_names_never_become_terms() -> None:
    records = planted() + [{"text": "my mate Jayden waits at the bus stop at night", "themes": []}] * 5
    topics = discover_topics(records, n_topics=3)
    assert not any("jayden" in term for t in topics for term in t.top_terms)
    assert not any("Jayden" in e for t in topics for e in t.examples)


def test_too_few_answers_give_no_candidates() -> None:
    assert discover_topics([{"text": BUS[0], "themes": []}] * 9) == []
    # A candidate with fewer answers than the threshold is not shown.
    small = [{"text": t, "themes": []} for t in BUS * 5] + [
        {"text": "fireworks at night scare the pets", "themes": []}
    ] * 4
    assert all(t.answers >= 10 for t in discover_topics(small, n_topics=2))


def test_key_phrases_are_collocations_without_stop_words() -> None:
    phrases = key_phrases(["the bus stop is dark"] * 3 + ["bus stop no light", "street lights broken"] * 3)
    assert phrases[0] == "bus stop"
    assert all(w not in {"the", "is", "no"} for p in phrases for w in p.split())
