"""The quote bank proposes typical, confident, redacted quotes from several audiences."""

from __future__ import annotations

import random

from analysis.quotes.bank import propose_quotes
from analysis.text.records import TextAnswer

TYPICAL = [
    "there is nothing for young people to do round here so they hang about on the streets",
    "we need more youth clubs and things to do in the evenings for young people",
    "the youth club closed so there is nothing to do after school for young people",
    "more activities for young people would stop them getting bored and hanging about",
    "young people have nowhere to go and nothing to do so they hang about the streets",
]
# Uses the theme's words, but shouts: a quote that would misrepresent what most people said.
EXTREME = (
    "I HATE IT!!! there is NOTHING to do for young people here, it is DISGUSTING, PATHETIC and the "
    "WORST place ever, I hate the useless clubs!!!"
)
AUDIENCES = ["young_people", "parents_carers", "professionals"]


def theme_answers(n: int = 60, seed: int = 1) -> list[TextAnswer]:
    rng = random.Random(seed)
    return [
        TextAnswer(
            rng.choice(TYPICAL),
            AUDIENCES[i % 3],
            ("activities",),
            "15-16" if i % 3 == 0 else "35-44",
            "girl" if i % 3 == 0 else "woman",
            confidence=0.9,
        )
        for i in range(n)
    ]


def test_typical_answers_are_proposed_not_extreme_ones() -> None:
    answers = [*theme_answers(), TextAnswer(EXTREME, "young_people", ("activities",), confidence=0.99)]
    bank = propose_quotes(answers, per_theme=5)
    quotes = bank.quotes["activities"]
    assert len(quotes) == 5
    assert all(q.text in TYPICAL for q in quotes)
    assert len({q.text for q in quotes}) == 5  # near-duplicates are not proposed twice


def test_first_quotes_come_from_different_audiences() -> None:
    quotes = propose_quotes(theme_answers(), per_theme=3).quotes["activities"]
    assert sorted(q.audience for q in quotes) == sorted(AUDIENCES)


def test_every_quote_is_redacted_and_the_audit_counts_it() -> None:
    answers = [
        TextAnswer(t, "young_people", ("activities",))
        for t in [
            "my mate Jayden says there is nothing for young people to do round here so they hang about",
            *TYPICAL * 4,
        ]
    ]
    bank = propose_quotes(answers, per_theme=25, threshold=10)
    texts = [q.text for q in bank.quotes["activities"]]
    assert "my mate [name] says there is nothing for young people to do round here so they hang about" in texts
    assert not any("Jayden" in t for t in texts)
    assert bank.redaction.removed["name"] == 1
    assert "Jayden" not in repr(bank.as_dict())  # nothing exported holds the original text


def test_unconfident_short_long_and_heavily_redacted_answers_are_not_quoted() -> None:
    rejects = [
        TextAnswer(
            "nothing to do for young people round here at all really", "young_people", ("activities",), confidence=0.4
        ),
        TextAnswer("nothing to do", "young_people", ("activities",)),
        TextAnswer(" ".join(["there is nothing for young people to do"] * 10), "young_people", ("activities",)),
        TextAnswer(
            "Jayden and Kyle and Tyler said there is nothing to do for young people", "young_people", ("activities",)
        ),
    ]
    bank = propose_quotes([*theme_answers(30), *rejects], per_theme=30)
    assert {q.index for q in bank.quotes["activities"]}.isdisjoint({30, 31, 32, 33})


def test_small_themes_get_no_quotes() -> None:
    answers = [*theme_answers(), *[TextAnswer(TYPICAL[0], "young_people", ("knives",)) for _ in range(9)]]
    bank = propose_quotes(answers)
    assert "knives" not in bank.quotes
    assert bank.skipped["knives"].startswith("9 answers")


def test_attribution_is_coarsened_against_the_population() -> None:
    answers = theme_answers(60)  # 20 of each audience
    # The campaign's population has 20 young people and 20 parents but only 5 professionals.
    population = [a for a in answers if a.audience != "professionals"]
    population += [a for a in answers if a.audience == "professionals"][:5]
    bank = propose_quotes(answers, per_theme=3, population=population)
    labels = {q.audience: q.attribution for q in bank.quotes["activities"]}
    assert labels == {"young_people": "Female, 15–16", "parents_carers": "Parent/Carer", "professionals": None}


def test_tone_far_from_the_theme_usual_ranks_lower_even_with_the_same_words() -> None:
    # Same words (so the same typicality), but capitals and "!!!" make VADER read it far angrier.
    calm = "the streets are awful at night and there is nothing to do"
    shouted = "the streets are AWFUL at night and there is NOTHING to do!!!"
    answers = [
        TextAnswer(shouted, "young_people", ("activities",)),
        *[TextAnswer(calm, "young_people", ("activities",)) for _ in range(12)],
    ]
    [quote] = propose_quotes(answers, per_theme=5).quotes["activities"]  # the rest are near-duplicates
    assert quote.text == calm and quote.index == 1
