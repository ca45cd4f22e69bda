"""What leaves disclosure control: published cells, and protected lists and tables of them.

A published cell carries only what may be published: the hidden true count is not kept anywhere
on it, so a template or JSON encoder cannot leak it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from analysis.disclosure.policy import DEFAULT_POLICY, NO_PERCENT, SUPPRESSED, DisclosurePolicy


@dataclass(frozen=True)
class Weighted:
    """Weighted figures for a table, so its percentages are weighted while its counts stay real people.

    `counts` has the table's shape; `bases` and `effective_bases` have one entry per row (the
    weighted base, and the effective sample size that confidence intervals use); `effective_total`
    is the effective sample size of the whole table.
    """

    counts: Sequence[Sequence[float]]
    bases: Sequence[float]
    effective_bases: Sequence[float]
    effective_total: float


@dataclass(frozen=True)
class Cell:
    """One published figure: a count (None when hidden) with its percentage and 95% CI if shown."""

    value: int | None
    #: per cent (0–100), or None when not shown
    percent: float | None = None
    #: 95% confidence interval in per cent, or None
    ci: tuple[float, float] | None = None
    #: whether `value` was rounded
    rounded: bool = False

    @property
    def suppressed(self) -> bool:
        """Whether the count is hidden."""
        return self.value is None

    @property
    def display(self) -> str:
        """The count as text: "1,234", or "[c]" when hidden."""
        return SUPPRESSED if self.value is None else f"{self.value:,}"

    def percent_display(self, decimals: int = 0) -> str:
        """The percentage as text: "82%", "[c]" when the count is hidden, "—" when the base is too small."""
        if self.value is None:
            return SUPPRESSED
        return NO_PERCENT if self.percent is None else f"{self.percent:.{decimals}f}%"

    def ci_display(self, decimals: int = 0) -> str:
        """The interval as text, e.g. "80–84%", or "" when not shown."""
        if self.ci is None:
            return ""
        return f"{self.ci[0]:.{decimals}f}–{self.ci[1]:.{decimals}f}%"

    def to_dict(self) -> dict[str, Any]:
        """For JSON: only what is published."""
        return {
            "value": self.value,
            "suppressed": self.suppressed,
            "display": self.display,
            "percent": None if self.percent is None else round(self.percent, 1),
            "ci": None if self.ci is None else [round(self.ci[0], 1), round(self.ci[1], 1)],
            "rounded": self.rounded,
        }

    def __str__(self) -> str:
        return self.display


@dataclass(frozen=True)
class ProtectedCounts:
    """A protected list of counts (one per label) and their total."""

    labels: tuple[str, ...]
    cells: tuple[Cell, ...]
    total: Cell
    policy: DisclosurePolicy = DEFAULT_POLICY
    #: label -> the sum of some cells (e.g. "Very or fairly safe"), protected with them
    subtotals: dict[str, Cell] = field(default_factory=dict)

    def __getitem__(self, label: str) -> Cell:
        return self.cells[self.labels.index(label)]

    def items(self) -> list[tuple[str, Cell]]:
        """(label, cell) pairs in order."""
        return list(zip(self.labels, self.cells, strict=True))

    def to_dict(self) -> dict[str, Any]:
        """For JSON."""
        return {
            "cells": [{"label": label, **cell.to_dict()} for label, cell in self.items()],
            "subtotals": [{"label": label, **cell.to_dict()} for label, cell in self.subtotals.items()],
            "total": self.total.to_dict(),
            "note": self.policy.note,
        }


@dataclass(frozen=True)
class ProtectedTable:
    """A protected groups × answers table, with row totals (group bases), column totals and the total."""

    row_labels: tuple[str, ...]
    col_labels: tuple[str, ...]
    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    col_totals: tuple[Cell, ...]
    total: Cell
    policy: DisclosurePolicy = DEFAULT_POLICY
    #: label -> (a cell per row, the column total) for sums of columns such as a top box
    subtotals: dict[str, tuple[tuple[Cell, ...], Cell]] = field(default_factory=dict)

    def cell(self, row: str, col: str) -> Cell:
        """The cell for a group and an answer, by their labels."""
        return self.cells[self.row_labels.index(row)][self.col_labels.index(col)]

    def to_dict(self) -> dict[str, Any]:
        """For JSON."""
        return {
            "columns": list(self.col_labels),
            "rows": [
                {
                    "label": label,
                    "base": base.to_dict(),
                    "cells": [c.to_dict() for c in cells],
                    "subtotals": {name: rows[r].to_dict() for name, (rows, _) in self.subtotals.items()},
                }
                for r, (label, base, cells) in enumerate(zip(self.row_labels, self.row_totals, self.cells, strict=True))
            ],
            "column_totals": [c.to_dict() for c in self.col_totals],
            "subtotal_totals": {name: total.to_dict() for name, (_, total) in self.subtotals.items()},
            "total": self.total.to_dict(),
            "note": self.policy.note,
        }


def published_rank(size: int | None, name: str) -> tuple[bool, int, str]:
    """A sort key for listing groups largest first by their published size (None: hidden), then by name.

    Hidden groups come last, in name order: listed by their true size, they would give it away (a
    hidden group above one of 14 has more than 14; a run of hidden groups falling 9, 8, 7… is pinned).
    """
    return (size is None, -(size or 0), name)
