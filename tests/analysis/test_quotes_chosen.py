"""Chosen quotes: kept whatever the coder does, dropped only when the answer or theme goes, and
attributed as the bank's proposals are (parents as "Parent/Carer", professionals by role group)."""

from __future__ import annotations

import pytest

from analysis.coding.codebook import load_codebook
from analysis.coding.edits import merge_themes, retire_theme
from analysis.quotes.chosen import CHOSEN_FOR, Choice, chosen_quotes, drop_reason
from analysis.text.records import TextAnswer
from analysis.text.redaction import Redactor

CHOICE = Choice("r1", "why_unsafe", "police")


def _reason(**changes: object) -> str | None:
    book = load_codebook()
    given: dict = {
        "answer_exists": True,
        "flagged": False,
        "resolve": book.resolve,
        "reviewed": False,
        "kept_themes": set(),
    }
    given.update(changes)
    return drop_reason(CHOICE, **given)


def test_a_choice_stands_whatever_the_automatic_codes_say() -> None:
    # Nobody reviewed the answer and the coder no longer applies the theme: the choice stands.
    assert _reason() is None
    # A person reviewed it and kept the theme.
    assert _reason(reviewed=True, kept_themes={"police"}) is None


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"answer_exists": False}, "answer_removed"),
        ({"flagged": True}, "safeguarding"),
        ({"reviewed": True, "kept_themes": {"knives_weapons"}}, "theme_rejected"),
    ],
)
def test_a_choice_is_dropped_when_its_answer_or_theme_goes(changes: dict, why: str) -> None:
    assert _reason(**changes) == why


def test_retired_themes_drop_and_merged_themes_carry_the_choice() -> None:
    book = load_codebook()
    retired = retire_theme(book, "police", reason="test").book
    assert _reason(resolve=retired.resolve) == "theme_retired"
    merged = merge_themes(book, "police", "community_safety", reason="test").book
    assert merged.resolve("police") == "community_safety"
    assert _reason(resolve=merged.resolve, reviewed=True, kept_themes={"community_safety"}) is None


def _person(audience: str, sector: str | None = None, **facts: str) -> TextAnswer:
    return TextAnswer(text="", audience=audience, extra={"sector": sector}, **facts)  # type: ignore[arg-type]


def test_chosen_quotes_are_redacted_and_attributed_by_role() -> None:
    population = (
        [_person("professionals", "police") for _ in range(10)]
        + [_person("professionals", "housing") for _ in range(3)]
        + [_person("parents_carers", gender="woman", age_band="35-44") for _ in range(12)]
    )
    chosen = {CHOSEN_FOR: ("police",)}
    records = [
        TextAnswer(
            "Officers like me need time to know the young people, call Dave",
            "professionals",
            ("police",),
            extra={**chosen, "sector": "police"},
        ),
        TextAnswer(
            "Housing officers hear about it first and have nowhere to send it",
            "professionals",
            extra={**chosen, "sector": "housing"},
        ),
        TextAnswer(
            "I want police near the school gates at home time",
            "parents_carers",
            gender="woman",
            age_band="35-44",
            extra=chosen,
        ),
        TextAnswer("not chosen at all, about the police too", "young_people", ("police",)),
    ]
    quotes = chosen_quotes(records, Redactor(extra_names=["Dave"]), population, threshold=10)
    assert [q.index for q in quotes] == [0, 1, 2]
    assert [q.attribution for q in quotes] == ["Professional, Police", "Professional", "Parent/Carer"]
    assert "Dave" not in quotes[0].text and quotes[0].theme == "police"
