"""Starting a new consultation's coder from other answers: earlier consultations, or the public set.

A model trained on one organisation's answers does much worse on another's (different services,
different words), so a starting model is a head start, not a coder to trust. This module holds what
the staff page and the benchmark share: the mapping from the public set's themes to ours, how well a
starting model is expected to do (measured by `bench/transfer.py`), that expectation in plain words,
leave-one-group-out estimates for a partnership's earlier campaigns, and how starting answers and a
campaign's own reviewed answers are combined when the coder is retrained.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from analysis.coding.codebook import Codebook
from analysis.coding.reviewed import ReviewedAnswers

if TYPE_CHECKING:  # scikit-learn comes with the learned coder: the web app imports this module
    from analysis.coding.learned import CoderSettings

#: Our codebook's themes -> the public set's (NHS framework v6) themes that mean the same thing.
#: Stricter than the rules benchmark's counterparts: a starting model learns from these labels, so a
#: public theme maps to one of ours only where its answers are about that theme, not merely nearby
#: ("Cleanliness, tidiness & infection control" is not about unsafe places).
PUBLIC_COUNTERPARTS: dict[str, tuple[str, ...]] = {
    "youth_provision": ("Activities & access to fresh air",),
    "community_safety": ("Feeling safe",),
    "family_home": ("Interaction with family/ carers",),
    "where_to_get_help": ("Information provision & guidance", "Contacting services"),
    "unsafe_places": ("Environment & Facilities",),
    "social_media": ("Electronic entertainment",),
}
PUBLIC_TEXT = "FFT answer"
PUBLIC_ORGANISATION = "Trust"


@dataclass(frozen=True)
class Expectation:
    """How well a coder is expected to agree with people, and what that figure rests on."""

    precision: float
    recall: float
    f1: float
    #: answers the figure was measured on
    answers: int
    #: "cross_organisation", "earlier_campaigns" (leave one campaign out) or "own_answers"
    basis: str

    def to_dict(self) -> dict[str, Any]:
        """Plain data, as stored with a campaign's choice."""
        return asdict(self)

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Expectation:
        """Read what `to_dict` stored."""
        return Expectation(
            float(data["precision"]),
            float(data["recall"]),
            float(data["f1"]),
            int(data["answers"]),
            str(data["basis"]),
        )

    def out_of_ten(self) -> tuple[int, int]:
        """The figure for someone who is not a statistician: of ten themes it suggests, how many are
        right; of ten themes a person would choose, how many it finds."""
        return _out_of_ten(self.precision), _out_of_ten(self.recall)


def _out_of_ten(x: float) -> int:
    return int(max(0, min(10, round(10 * x))))


#: Training on one NHS trust's answers and coding the other's, both ways, pooled (bench/transfer.py,
#: 7 Dec 2026): what a model from another organisation is expected to do before it is checked.
CROSS_ORGANISATION = Expectation(precision=0.48, recall=0.48, f1=0.48, answers=7400, basis="cross_organisation")

#: Reviewed answers of the new campaign after which the agreement measured on them replaces the estimate.
CHECK_AFTER = 50

#: How many times each of the campaign's own reviewed answers counts when retraining on starting
#: answers and own answers together. bench/transfer.py measured 3 against 1 on the public set: micro-F1
#: -0.0005 on average over both newcomers and every N (from -0.021 to +0.018), macro-F1 -0.016 (rare
#: themes lose), so each counts once (docs/coding-evaluation.md).
OWN_WEIGHT = 1


def micro_scores(truth: np.ndarray, pred: np.ndarray) -> tuple[float, float, float]:
    """Micro-averaged precision, recall and F1 of yes/no theme decisions (0 where undefined)."""
    t, p = np.asarray(truth).astype(bool), np.asarray(pred).astype(bool)
    tp, fp, fn = int((t & p).sum()), int((~t & p).sum()), int((t & ~p).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return precision, recall, f1


def combined(start: ReviewedAnswers, own: ReviewedAnswers, own_weight: int = OWN_WEIGHT) -> ReviewedAnswers:
    """Starting answers and the campaign's own reviewed answers as one training set, each own answer
    repeated `own_weight` times so the campaign's own words count for more. Each answer keeps its
    question (campaigns that share a questionnaire share its question keys)."""
    k = own.Y.shape[1] if np.ndim(own.Y) == 2 else np.shape(start.Y)[1]
    return ReviewedAnswers.joined([start, *[own] * own_weight], k)


def leave_one_out(
    groups: Sequence[ReviewedAnswers],
    themes: list[str],
    codebook: Codebook | None = None,
    settings: CoderSettings | None = None,
) -> Expectation | None:
    """Train on all groups (campaigns) but one, code the one left out, for each in turn; pooled
    micro figures. None with fewer than two groups (nothing to leave out)."""
    from analysis.coding.engine import ThemeCoder  # scikit-learn: only when a model is trained

    if len(groups) < 2:
        return None
    truths, preds = [], []
    for i, left_out in enumerate(groups):
        rest = ReviewedAnswers.joined([g for j, g in enumerate(groups) if j != i], len(themes))
        if not len(left_out) or not len(rest):
            continue
        coder = ThemeCoder(codebook, themes, settings).fit(rest.texts, rest.Y, rest.questions)
        _, D = coder.probabilities(list(left_out.texts), left_out.questions)
        truths.append(np.asarray(left_out.Y).reshape(-1, len(themes)))
        preds.append(D)
    if not truths:
        return None
    truth, pred = np.vstack(truths), np.vstack(preds)
    precision, recall, f1 = micro_scores(truth, pred)
    return Expectation(round(precision, 3), round(recall, 3), round(f1, 3), len(truth), "earlier_campaigns")


def public_labels(rows: Sequence[dict[str, str]], keys: Sequence[str]) -> tuple[list[str], np.ndarray, list[str]]:
    """The public set's answers labelled with those of our themes (`keys`) that have a counterpart:
    texts, a 0/1 matrix and the covered theme keys (its columns, in `keys` order)."""
    covered = [k for k in keys if k in PUBLIC_COUNTERPARTS]
    texts, labels = [], []
    for row in rows:
        text = (row.get(PUBLIC_TEXT) or "").strip()
        if not text:
            continue
        texts.append(text)
        labels.append([int(any((row.get(c) or "").strip() == "1" for c in PUBLIC_COUNTERPARTS[k])) for k in covered])
    return texts, np.array(labels, dtype=int).reshape(len(texts), len(covered)), covered
