"""Rounding published counts to a base (e.g. the nearest 5), applied after suppression.

Rounding is applied to every published count, totals included, and never to the counts that
suppression and percentages are worked out from: a rounded table is the exact table, protected,
then rounded cell by cell. Controlled rounding (rounding that keeps rows and columns adding up)
would live here too.
"""

from __future__ import annotations


def round_count(count: int, base: int | None) -> int:
    """`count` rounded half up to the nearest multiple of `base` (unchanged when `base` is None or 0)."""
    if not base:
        return count
    return int((count + base / 2) // base) * base
