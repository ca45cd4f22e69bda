"""Which themes an answer counts under, from its stored codes: one reading for every page and report.

An answer counts under a theme when a person gave it the theme (accepted a suggestion or added it)
or, while nobody has reviewed the answer, the coder applied it at high certainty. Suggestions the
coder is unsure of wait for review and count nowhere. Codes made under an earlier codebook version
count as the theme they are now (a merged theme as its target); a retired theme's count nowhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from analysis.coding.codebook import Codebook

#: decisions people make on a theme (the answer counts as reviewed)
DECIDED = ("accepted", "rejected", "added")
#: a person's decision that the answer has the theme
KEPT = ("accepted", "added")


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


def answer_themes(book: Codebook, codes: Iterable[StoredCode], certain: float) -> AnswerThemes:
    """How one answer's codes count as the codebook stands now; `certain` is the auto-apply threshold."""
    codes = list(codes)
    reviewed = any(c.status in DECIDED for c in codes)
    counted: dict[str, float] = {}
    waiting: set[str] = set()
    for c in codes:
        now = book.resolve(c.theme_key)
        if now is None:
            continue
        if c.status in KEPT:
            counted[now] = 1.0
        elif not reviewed and c.status == "applied":
            counted[now] = max(counted.get(now, 0.0), float(c.confidence))
        elif not reviewed and c.status == "suggested" and 1 - certain < c.confidence < certain:
            waiting.add(now)
    return AnswerThemes(reviewed, counted, frozenset(waiting - set(counted)))
