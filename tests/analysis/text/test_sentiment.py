"""Sentiment per answer on sentences whose tone is plain, and summaries by theme and audience."""

from __future__ import annotations

import pytest

from analysis.text.sentiment import label_for, sentiment, summarise


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("I feel safe in my area and the youth club is great", "positive"),
        ("the police have been really helpful and kind", "positive"),
        ("I am scared to walk home because of the violence", "negative"),
        ("I feel unsafe in the park at night", "negative"),  # "unsafe" is missing from VADER: added
        ("there was a stabbing near the school", "negative"),
        ("the bus goes past the library", "neutral"),
        ("i don't feel safe", "negative"),  # VADER's own negation handling
    ],
)
def test_plain_sentences(text: str, label: str) -> None:
    assert sentiment(text).label == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("a skate park would be sick", "positive"),
        ("the new pitches are well sick", "positive"),
        ("the park is proper sick", "positive"),
        ("im sick of the fights", "negative"),  # fed up
        ("I felt sick when I saw the video", "negative"),  # ill
        ("my mum is sick so I look after my brothers", "negative"),  # ill, and we cannot tell it from praise
        ("that girl is peng", "positive"),
    ],
)
def test_teen_slang_only_where_the_reading_is_certain(text: str, label: str) -> None:
    assert sentiment(text).label == label


def test_the_documented_mapping() -> None:
    assert [label_for(c) for c in (-1, -0.05, -0.049, 0, 0.049, 0.05, 1)] == [
        "negative",
        "negative",
        "neutral",
        "neutral",
        "neutral",
        "positive",
        "positive",
    ]


SAFE = "I feel really safe and happy here"
SCARY = "the knife crime is scary and dangerous"
PLAIN = "the bus goes past the library"
RECORDS = (
    [{"text": SAFE, "themes": ["community"], "audience": "young_people"}] * 20
    + [{"text": SCARY, "themes": ["knives"], "audience": "young_people"}] * 25
    + [{"text": SCARY, "themes": ["knives", "community"], "audience": "parents_carers"}] * 12
    + [{"text": PLAIN, "themes": ["knives"], "audience": "parents_carers"}] * 3
    + [{"text": "the youth club is brilliant", "themes": ["activities"], "audience": "professionals"}] * 4
)


def test_summary_by_theme_counts_each_theme_and_suppresses_small_groups() -> None:
    rows = {r.group: r for r in summarise(RECORDS, by="theme", threshold=10)}
    community, activities = rows["community"], rows["activities"]
    # An answer coded with two themes counts in both.
    assert (community.answers, community.positive, community.negative, community.neutral) == (32, 20, 12, 0)
    assert community.share("positive") == pytest.approx(20 / 32)
    assert community.mean_compound is not None and community.mean_compound > 0
    assert activities.suppressed and activities.counts is None and activities.positive is None
    assert activities.as_dict()["answers"] is None and activities.as_dict()["positive_share"] is None


def test_small_counts_inside_a_large_group_are_hidden() -> None:
    knives = next(r for r in summarise(RECORDS, by="theme") if r.group == "knives")
    # 37 negative and 3 neutral out of 40: the 3 is hidden, and so is the 37 (40 - 37 = 3).
    assert (knives.answers, knives.negative, knives.neutral, knives.positive) == (40, None, None, 0)
    assert knives.share("neutral") is None
    assert knives.counts is not None and knives.counts.total.value == 40
    # Its average would give the hidden split back (near -0.5: nearly all negative), so it goes too.
    assert knives.mean_compound is None


def test_summary_by_audience_uses_audience_labels() -> None:
    rows = summarise(RECORDS, by="audience")
    assert [(r.label, r.answers, r.suppressed) for r in rows] == [
        ("Young person", 45, False),
        ("Parent/Carer", 15, False),
        ("Professional", 4, True),
    ]
    young = rows[0]
    assert (young.negative, young.neutral, young.positive) == (25, 0, 20)


def test_hidden_groups_are_listed_last_by_name_not_by_their_true_size() -> None:
    small = [{"text": SAFE, "themes": ["youth_clubs"], "audience": "young_people"}] * 7
    small += [{"text": SAFE, "themes": ["bullying"], "audience": "young_people"}] * 2
    rows = summarise(RECORDS + small, by="theme")
    assert [r.group for r in rows] == ["knives", "community", "activities", "bullying", "youth_clubs"]
