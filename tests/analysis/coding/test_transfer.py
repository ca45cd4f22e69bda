"""Starting answers for a new campaign: the public set's mapping, combining with own answers, the
expectation in words, and leaving one earlier campaign out."""

from __future__ import annotations

import numpy as np

from analysis.coding.reviewed import ReviewedAnswers
from analysis.coding.transfer import (
    CROSS_ORGANISATION,
    PUBLIC_COUNTERPARTS,
    Expectation,
    combined,
    leave_one_out,
    micro_scores,
    public_labels,
)


def test_public_labels_cover_only_mapped_themes_and_any_counterpart_counts() -> None:
    safe = PUBLIC_COUNTERPARTS["community_safety"][0]
    help_a, help_b = PUBLIC_COUNTERPARTS["where_to_get_help"][:2]
    rows = [
        {"FFT answer": "felt safe", safe: "1"},
        {"FFT answer": "told me where to go", help_b: "1"},
        {"FFT answer": "   ", safe: "1"},  # no text: left out
        {"FFT answer": "kind nurses", "Staff manner & personal attributes": "1"},
    ]
    texts, Y, covered = public_labels(rows, ["police", "community_safety", "where_to_get_help"])
    assert covered == ["community_safety", "where_to_get_help"], "police has no counterpart"
    assert texts == ["felt safe", "told me where to go", "kind nurses"]
    assert Y.tolist() == [[1, 0], [0, 1], [0, 0]]
    assert help_a != help_b


def test_combined_counts_own_answers_more() -> None:
    start = ReviewedAnswers(["a", "b"], np.array([[1, 0], [0, 1]]), ["good", ""])
    both = combined(start, ReviewedAnswers(["c"], np.array([[1, 1]]), ["worry"]), own_weight=3)
    assert both.texts == ["a", "b", "c", "c", "c"]
    assert both.Y.tolist() == [[1, 0], [0, 1], [1, 1], [1, 1], [1, 1]]
    assert both.questions == ["good", "", "worry", "worry", "worry"], "each answer keeps its question"


def test_expectation_out_of_ten_and_round_trip() -> None:
    e = Expectation(precision=0.46, recall=0.81, f1=0.59, answers=100, basis="earlier_campaigns")
    assert e.out_of_ten() == (5, 8)
    assert Expectation.from_dict(e.to_dict()) == e
    assert CROSS_ORGANISATION.basis == "cross_organisation"


def test_micro_scores() -> None:
    truth = np.array([[1, 0], [1, 1]])
    pred = np.array([[1, 1], [0, 1]])
    assert micro_scores(truth, pred) == (2 / 3, 2 / 3, 2 / 3)
    assert micro_scores(np.zeros((2, 2)), np.zeros((2, 2))) == (0.0, 0.0, 0.0)


def test_leave_one_out_needs_two_groups_and_codes_each_with_the_others() -> None:
    themes = ["a", "b"]
    group = ReviewedAnswers.unasked(
        ["apples are red"] * 6 + ["bananas are yellow"] * 6, np.array([[1, 0]] * 6 + [[0, 1]] * 6)
    )
    assert leave_one_out([group], themes) is None
    found = leave_one_out([group, group], themes)
    assert found is not None and found.basis == "earlier_campaigns" and found.answers == 24
    assert found.f1 == 1.0
