"""Which answers a reviewer should code next: the ones that teach the coder most (active learning).

An answer waits for review when some theme's probability sits between `1 - t` and `t` (t: the
analyst's auto-apply confidence). Each such theme's uncertainty, `1 - |2p - 1|`, is weighted by how
few answers people have already coded with that theme, `1 / sqrt(1 + n)`: a theme the coder has
seen a handful of times (exploitation, weapons, one place) gains far more from one more example
than a theme it has seen a thousand times, and those rare themes are the ones a consultation most
needs found. An answer's priority is its largest weighted uncertainty, and the themes behind it are
kept so the review screen can say why the answer comes first.

Near-duplicates are then kept apart near the head of the queue: "very good" twice teaches no more
than once, so an answer whose words nearly match an answer already ahead of it waits until after the
head. Pure functions on plain data, no Flask, no database; the same on every process (ties are broken
by the answer's key, never by set or dict iteration order).

`bench/active_learning.py` compares this ordering with random, most-uncertain-first, margin and
expected-model-change orderings on the public set: docs/benchmarks.md has the figures.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

#: two answers whose word sets overlap at least this much (Jaccard) count as near-duplicates
NEAR_DUPLICATE = 0.7
#: how far down the queue near-duplicates are kept apart (beyond it, plain priority order)
DIVERSE_HEAD = 200

_WORD = re.compile(r"\w+", re.UNICODE)


def uncertainty(P: np.ndarray) -> np.ndarray:
    """Per answer and theme: 1 when the probability is 0.5, 0 when it is 0 or 1."""
    return 1.0 - np.abs(2.0 * np.asarray(P, dtype=float) - 1.0)


def rarity_weights(examples: np.ndarray) -> np.ndarray:
    """Per theme: 1 / sqrt(1 + coded examples), so the least-seen themes count most."""
    return 1.0 / np.sqrt(1.0 + np.maximum(np.asarray(examples, dtype=float), 0.0))


def unsure_mask(P: np.ndarray, threshold: float) -> np.ndarray:
    """The themes neither applied nor ruled out at the auto-apply confidence `threshold`."""
    P = np.asarray(P, dtype=float)
    return (1.0 - threshold < P) & (threshold > P)


def weighted_uncertainty(P: np.ndarray, examples: np.ndarray, threshold: float) -> np.ndarray:
    """Per answer and theme: uncertainty weighted by the theme's rarity, 0 where the theme is settled."""
    return np.where(unsure_mask(P, threshold), uncertainty(P) * rarity_weights(examples), 0.0)


def words(text: str) -> frozenset[str]:
    """The answer's distinct lower-case words, for near-duplicate checks."""
    return frozenset(_WORD.findall(text.lower()))


def near_duplicates(a: frozenset[str], b: frozenset[str], limit: float = NEAR_DUPLICATE) -> bool:
    """Whether two answers' word sets overlap at least `limit` (Jaccard); two empty answers match."""
    if not a and not b:
        return True
    return len(a & b) / len(a | b) >= limit


def spread_out(
    order: Sequence[int], texts: Sequence[str], head: int = DIVERSE_HEAD, limit: float = NEAR_DUPLICATE
) -> list[int]:
    """`order` with near-duplicates of answers already taken moved after the first `head` answers.

    Greedy: walk the order, take an answer unless it nearly matches one already taken; once `head`
    answers are taken, the rest follow in their order (the deferred ones first, then the others).
    """
    taken: list[int] = []
    kept: list[frozenset[str]] = []
    deferred: list[int] = []
    for position, i in enumerate(order):
        if len(taken) >= head:
            return taken + deferred + list(order[position:])
        w = words(texts[i])
        if any(near_duplicates(w, other, limit) for other in kept):
            deferred.append(i)
            continue
        taken.append(i)
        kept.append(w)
    return taken + deferred


def band(threshold: float) -> Callable[[str, float], bool]:
    """The review rule for one confidence `threshold` for every theme: unsure between 1 - t and t."""
    return lambda theme, p: 1.0 - threshold < p < threshold


def priority(p: float, examples: int) -> float:
    """One unsure theme's share in an answer's priority: its uncertainty weighted by its rarity.

    The same figure as `uncertainty(P) * rarity_weights(examples)`, one theme at a time (the review
    queue has a few codes per answer, not a matrix).
    """
    return (1.0 - abs(2.0 * p - 1.0)) / math.sqrt(1.0 + max(examples, 0))


@dataclass(frozen=True)
class Candidate:
    """An answer waiting for review: its key, the coder's confidence per theme, and its text."""

    key: tuple[str, ...]
    probabilities: Mapping[str, float]
    text: str = ""


@dataclass(frozen=True)
class Ranked:
    """A queued answer with its priority and the themes that put it there (most weighted first)."""

    key: tuple[str, ...]
    priority: float
    unsure: tuple[str, ...]


def rank(
    candidates: Sequence[Candidate],
    unsure: Callable[[str, float], bool],
    examples: Mapping[str, int],
    *,
    head: int = DIVERSE_HEAD,
) -> list[Ranked]:
    """The review order: highest rarity-weighted uncertainty first, near-duplicates kept apart.

    `unsure(theme, p)` says whether a theme at confidence p needs a person (`band(t)` for one
    confidence for every theme); `examples` counts, per theme, the answers people have coded with
    it (a theme missing from it has none). Candidates with no unsure theme come last.
    """
    ranked = []
    for c in candidates:
        weighted = sorted(
            ((priority(p, examples.get(theme, 0)), theme) for theme, p in c.probabilities.items() if unsure(theme, p)),
            key=lambda pair: (-pair[0], pair[1]),
        )
        ranked.append(Ranked(c.key, round(weighted[0][0], 12) if weighted else 0.0, tuple(t for _, t in weighted)))
    by_priority = sorted(range(len(ranked)), key=lambda i: (-ranked[i].priority, ranked[i].key))
    return [ranked[i] for i in spread_out(by_priority, [c.text for c in candidates], head)]
