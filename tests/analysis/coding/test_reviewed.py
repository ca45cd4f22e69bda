"""Reviewed answers keep each answer's text, themes and question in step."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.coding.reviewed import ReviewedAnswers

#: no database here: the SQLite pass runs it, the PostgreSQL pass would only repeat it
pytestmark = pytest.mark.no_database


def test_one_row_and_one_question_per_answer() -> None:
    with pytest.raises(ValueError, match="one question per answer"):
        ReviewedAnswers(["a", "b"], np.array([[1], [0]]), ["good"])
    with pytest.raises(ValueError, match="one row of themes"):
        ReviewedAnswers(["a", "b"], np.array([[1]]), ["good", "worry"])


def test_joined_keeps_the_order_and_answers_of_unknown_questions_have_none() -> None:
    public = ReviewedAnswers.unasked(["felt safe"], np.array([[1, 0]]))
    ours = ReviewedAnswers(["the park", "the park"], np.array([[1, 0], [0, 1]]), ["good", "worry"])
    empty = ReviewedAnswers([], np.zeros((0, 2), dtype=int), [])
    both = ReviewedAnswers.joined([public, empty, ours], 2)
    assert both.texts == ["felt safe", "the park", "the park"]
    assert both.questions == ["", "good", "worry"]
    assert both.Y.tolist() == [[1, 0], [1, 0], [0, 1]] and len(both) == 3
    assert ReviewedAnswers.joined([], 2).Y.shape == (0, 2)
