"""Linked tables: protecting several tables that show the same people, so none gives away what another hides.

A finding's answers table and each of its breakdowns share their column totals (the answer counts
over everyone) and their subtotal totals (a top box over everyone). If one table hides such a
figure and another shows it, subtracting the one from the other reveals the hidden cells. So the
tables are protected together: each is protected with every shared figure any of them hid forced
hidden, and this repeats until no table hides anything new (hiding only ever grows, so it ends).

Suppression across findings published side by side (a pooled measure beside each questionnaire's
own table) is the same problem over a larger set of linked tables: `analysis.disclosure.publication`
solves it, and passes back what each table must hide as `SharedHidden.cells`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from analysis.disclosure.cells import ProtectedCounts, ProtectedTable

Tables = TypeVar("Tables")


@dataclass
class SharedHidden:
    """The figures shared by linked tables that some table hid: column positions and subtotal names."""

    columns: set[int] = field(default_factory=set)
    subtotals: set[str] = field(default_factory=set)
    #: table name -> positions in its `Grid` forced hidden by the publication it is part of
    cells: dict[str, set[int]] = field(default_factory=dict)

    def covers(self, other: SharedHidden) -> bool:
        """Whether every figure hidden in `other` is already hidden here."""
        return other.columns <= self.columns and other.subtotals <= self.subtotals

    def add(self, other: SharedHidden) -> None:
        """Hide `other`'s figures too."""
        self.columns |= other.columns
        self.subtotals |= other.subtotals


def shared_hidden(tables: Iterable[ProtectedCounts | ProtectedTable]) -> SharedHidden:
    """The shared figures (answer totals over everyone, subtotal totals) that any of these tables hides."""
    found = SharedHidden()
    for table in tables:
        if isinstance(table, ProtectedCounts):
            found.columns |= {c for c, cell in enumerate(table.cells) if cell.suppressed}
            found.subtotals |= {name for name, cell in table.subtotals.items() if cell.suppressed}
        else:
            found.columns |= {c for c, cell in enumerate(table.col_totals) if cell.suppressed}
            found.subtotals |= {name for name, (_, cell) in table.subtotals.items() if cell.suppressed}
    return found


def protect_linked(
    build: Callable[[SharedHidden], Tables], tables_of: Callable[[Tables], Iterable[ProtectedCounts | ProtectedTable]]
) -> Tables:
    """Protect linked tables together: `build(hidden)` protects them all with `hidden` forced hidden.

    `tables_of` lists the protected tables in what `build` returned. `build` is called again, with
    more forced hidden, until no table hides a shared figure the others show.
    """
    hidden = SharedHidden()
    while True:
        built = build(hidden)
        now = shared_hidden(tables_of(built))
        if hidden.covers(now):
            return built
        hidden.add(now)
