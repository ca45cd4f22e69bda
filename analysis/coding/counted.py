"""Which themes an answer counts under, from its stored codes: one reading for every page and report.

An answer counts under a theme when a person gave it the theme (accepted a suggestion or added it)
or, while nobody has reviewed the answer, the coder is at least as sure of it as the theme's own
auto-apply confidence (`analysis.coding.auto_apply.ThemeThresholds`). Codes the coder is unsure of
under that same confidence wait for review and count nowhere: exactly the answers the review queue
asks about. The stored status of a machine code ("applied" or "suggested") is not read, because it
records the confidences when the answer was coded, and the ones in effect can have moved since (a
starting model's codes held back, then supported by the campaign's own reviews). Codes made under
an earlier codebook version count as the theme they are now (a merged theme as its target); a
retired theme's count nowhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from analysis.coding.codebook import Codebook

if TYPE_CHECKING:  # auto_apply reads DECIDED and KEPT from here
    from analysis.coding.auto_apply import ThemeThresholds

#: decisions people make on a theme (the answer counts as reviewed)
DECIDED = ("accepted", "rejected", "added")
#: a person's decision that the answer has the theme
KEPT = ("accepted", "added")
#: the coder's codes, applied or suggested when the answer was coded
MACHINE = ("applied", "suggested")


class StoredCode(Protocol):
    """What is read from a stored code (a `theme_code` row or its ORM object)."""

    theme_key: str
    status: str
    confidence: float


@dataclass(frozen=True)
class AnswerThemes:
    """One answer's coding: whether people reviewed it, the themes it counts under (theme ->
    confidence, 1.0 for a person's decision) and the themes suggested to it and waiting for review."""

    reviewed: bool
    counted: dict[str, float]
    waiting: frozenset[str]


def counting_codes(book: Codebook, codes: Iterable[StoredCode], thresholds: ThemeThresholds) -> list[StoredCode]:
    """The stored codes one answer counts under, before they are read as the codebook now stands: a
    person's decisions that it has a theme, or, while nobody has reviewed it, the coder's codes at or
    above their theme's confidence now. A retired or unknown theme's code is judged under its own key,
    so the codebook page can still say how many answers carry it."""
    codes = list(codes)
    reviewed = any(c.status in DECIDED for c in codes)
    return [
        c
        for c in codes
        if c.status in KEPT
        or (
            not reviewed
            and c.status in MACHINE
            and thresholds.applies(book.resolve(c.theme_key) or c.theme_key, c.confidence)
        )
    ]


def answer_themes(book: Codebook, codes: Iterable[StoredCode], thresholds: ThemeThresholds) -> AnswerThemes:
    """How one answer's codes count as the codebook stands now, under each theme's auto-apply
    confidence in effect (`thresholds`, as the review queue reads them)."""
    codes = list(codes)
    reviewed = any(c.status in DECIDED for c in codes)
    counted: dict[str, float] = {}
    for c in counting_codes(book, codes, thresholds):
        now = book.resolve(c.theme_key)
        if now is not None:
            counted[now] = 1.0 if c.status in KEPT else max(counted.get(now, 0.0), float(c.confidence))
    waiting: set[str] = set()
    if not reviewed:
        for c in codes:
            now = book.resolve(c.theme_key)
            if now is not None and c.status in MACHINE and thresholds.unsure(now, c.confidence):
                waiting.add(now)
    return AnswerThemes(reviewed, counted, frozenset(waiting - set(counted)))
