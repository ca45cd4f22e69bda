"""Reviewed answers as a coder learns from them: each answer's words, the question it answered and
the themes a person left it with.

The question travels with the words because the same words mean different themes under different
questions ("the police" under "what is good about your area?" and under "what worries you?"): the
learned coder takes it as a feature (`analysis.coding.learned`). An answer whose question is unknown
(the public set's, say) has "" and is learned from on its words alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class ReviewedAnswers:
    """`texts[i]` answered `questions[i]` and has the themes where `Y[i, j] == 1`."""

    texts: list[str]
    #: one row per answer, one 0/1 column per theme
    Y: np.ndarray
    #: the question each answer answered, "" where unknown
    questions: list[str]

    def __post_init__(self) -> None:
        if not len(self.texts) == len(self.Y) == len(self.questions):
            raise ValueError(
                f"one row of themes and one question per answer: {len(self.texts)} answers, "
                f"{len(self.Y)} rows, {len(self.questions)} questions"
            )

    def __len__(self) -> int:
        return len(self.texts)

    @staticmethod
    def unasked(texts: Sequence[str], Y: np.ndarray) -> ReviewedAnswers:
        """Answers whose questions are not known (each has "")."""
        return ReviewedAnswers(list(texts), np.asarray(Y), [""] * len(texts))

    @staticmethod
    def joined(parts: Sequence[ReviewedAnswers], n_themes: int) -> ReviewedAnswers:
        """Several sets of answers as one, in order (`n_themes` columns, even when every part is empty)."""
        return ReviewedAnswers(
            [t for p in parts for t in p.texts],
            np.vstack(
                [np.zeros((0, n_themes), dtype=int), *(np.asarray(p.Y).reshape(-1, n_themes) for p in parts)]
            ).astype(int),
            [q for p in parts for q in p.questions],
        )
