"""Seeded weighted picks and small maths for the demo builder.

Every draw comes from the one `random.Random` the builder was seeded with, in a fixed order, so
the same seed always gives the same data.
"""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def pick(rng: random.Random, items: Sequence[T], weights: Sequence[float]) -> T:
    """One item, chosen with probability proportional to its weight."""
    return rng.choices(list(items), weights=list(weights), k=1)[0]


def weighted_order(rng: random.Random, items: Sequence[T], weights: Sequence[float]) -> list[T]:
    """Items in a random order where heavier items tend to come first (sampling without replacement)."""
    keyed = [(rng.random() ** (1.0 / max(w, 1e-6)), i) for i, w in enumerate(weights)]
    return [items[i] for _, i in sorted(keyed, reverse=True)]


def phi(x: float) -> float:
    """Standard normal cumulative distribution."""
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def stable(text: str) -> float:
    """A repeatable number in [0, 1) from a string (Python's hash() changes between runs)."""
    return (zlib.crc32(text.encode("utf-8")) % 10_000) / 10_000
