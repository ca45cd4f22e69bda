"""The disclosure rules every table is published under: the threshold, rounding, and how hidden cells show."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.disclosure.rounding import round_count

DEFAULT_THRESHOLD = 10
#: How a hidden cell is shown (the ONS convention: "confidential").
SUPPRESSED = "[c]"
#: How a percentage is shown when its base is too small (or hidden).
NO_PERCENT = "—"


class DisclosureRefused(ValueError):
    """A figure was asked for that could reveal a small group; the message says why in plain words."""


@dataclass(frozen=True)
class DisclosurePolicy:
    """The rules: the threshold (smallest count that may be published) and optional rounding."""

    threshold: int = DEFAULT_THRESHOLD
    #: round every published count to the nearest multiple of this (e.g. 5); None = exact counts
    round_to: int | None = None

    def __post_init__(self) -> None:
        if self.threshold < 1:
            raise ValueError("the disclosure threshold must be 1 or more")
        if self.round_to is not None and self.round_to < 2:
            raise ValueError("round_to must be 2 or more (or None for exact counts)")

    @property
    def note(self) -> str:
        """The footnote that goes under every published table."""
        text = (
            f"{SUPPRESSED} = hidden to protect privacy: fewer than {self.threshold} people, or hidden so that "
            f"a small number can't be worked out from the totals. {NO_PERCENT} = no percentage: fewer than "
            f"{self.threshold} people answered."
        )
        if self.round_to:
            text += f" Counts are rounded to the nearest {self.round_to}; percentages use the unrounded counts."
        return text

    def publish(self, count: int) -> int:
        """A count as published (rounded half up when the policy rounds)."""
        return round_count(count, self.round_to)


DEFAULT_POLICY = DisclosurePolicy()
