"""Disclosure control: the one step every count passes through before it leaves `analysis/`.

A table of answers from a small group can identify people ("the only two Year 7 girls at Canalside
who said they carried a knife"). So, always:

* **Primary suppression.** A count from 1 to threshold − 1 (default 10) is hidden, and so is every
  cell of a group (a row) with fewer than threshold people in it. Zeros are shown: a true zero
  identifies no one, and hiding zeros would hide most of a sparse table for no protection.
* **Secondary suppression.** More cells are hidden until no hidden cell can be worked out from the
  published cells and totals, along rows, columns or any combination of them (checked exactly, with
  linear algebra, not just "two per row"). For tick-all-that-apply questions the people who did
  *not* tick an option count too: 497 of 500 ticking reveals the 3 who didn't, so 497 is hidden.
* **Rounding** (optional, e.g. to the nearest 5) of every published count, totals included.
* **Percentages** are shown only when their count and base are published and the base is at least
  the threshold.
* **Differencing.** Two filters whose bases differ by 1 to threshold − 1 are refused
  (`check_differencing`): subtracting one table from the other would show that small group.

Hidden cells are marked (`Cell.suppressed`, shown as "[c]") and never become zeros. A published
cell carries only what may be published: the hidden true count is not kept anywhere on it, so a
template or JSON encoder cannot leak it.

Typical use (the staff dashboard):

    >>> from analysis.disclosure import protect_counts
    >>> table = protect_counts({"Canalside High": 84, "Brookside Youth Club": 4, "Online": 40})
    >>> [c.display for c in table.cells], table.total.display
    (['84', '[c]', '[c]'], '128')
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from analysis.stats import wilson_interval

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
        if not self.round_to:
            return count
        return int((count + self.round_to / 2) // self.round_to) * self.round_to


DEFAULT_POLICY = DisclosurePolicy()


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


def protect_counts(
    counts: Mapping[str, int] | Sequence[int],
    *,
    total: int | None = None,
    exclusive: bool = True,
    policy: DisclosurePolicy | None = None,
    subtotals: Mapping[str, Sequence[int]] | None = None,
    weighted: Weighted | None = None,
    hide: Collection[int] = (),
    hide_subtotals: Collection[str] = (),
) -> ProtectedCounts:
    """Protect a list of counts (responses per school, answers to one question) and its total.

    `exclusive=True` (the default) means each person is in at most one cell, as with responses per
    collection point or a single-choice question; `total` may then exceed the sum (people in no
    listed cell), and that unlisted remainder is protected too. `exclusive=False` is for
    tick-all-that-apply questions: each cell is out of `total` (the people who answered), and the
    people who did not tick an option are protected as well.

    `subtotals` names sums of cells by position, e.g. {"Very or fairly safe": [0, 1]}; they are
    protected together with the cells (a published top box must not reveal a hidden part of it).
    `hide` and `hide_subtotals` force cells (by position) and subtotals to be hidden, as for
    `protect_table`.
    Percentages (of the total) and Wilson 95% CIs are filled in where allowed; `weighted` makes
    them weighted. Labels are the mapping's keys, or "1", "2", ... for a plain sequence.
    """
    policy = policy or DEFAULT_POLICY
    labels = tuple(counts) if isinstance(counts, Mapping) else tuple(str(i + 1) for i in range(len(counts)))
    values = [int(v) for v in (counts.values() if isinstance(counts, Mapping) else counts)]
    table = protect_table(
        [values],
        row_labels=("all",),
        col_labels=labels,
        exclusive=exclusive,
        row_bases=None if total is None else [total],
        policy=policy,
        subtotals=subtotals,
        weighted=weighted,
        hide_columns=hide,
        hide_subtotals=hide_subtotals,
    )
    return ProtectedCounts(
        labels,
        table.cells[0],
        table.row_totals[0],
        policy,
        {name: rows[0] for name, (rows, _) in table.subtotals.items()},
    )


def protect_table(
    counts: Sequence[Sequence[int]],
    *,
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    exclusive: bool = True,
    row_bases: Sequence[int] | None = None,
    policy: DisclosurePolicy | None = None,
    subtotals: Mapping[str, Sequence[int]] | None = None,
    weighted: Weighted | None = None,
    hide_columns: Collection[int] = (),
    hide_subtotals: Collection[str] = (),
) -> ProtectedTable:
    """Protect a groups × answers table of counts, with row, column and grand totals.

    Rows are groups of people (schools, age bands) and columns answers. With `exclusive=True` each
    person gives one answer, so a row adds up to its base (`row_bases`, default the row sums; a
    larger base means some people are in no column, and they are protected too). With
    `exclusive=False` (tick all that apply) each cell is out of its row's base, which must be given.
    Column totals add up over the rows. Percentages are of the row base. `subtotals` (sums of
    columns, exclusive tables only) and `weighted` are as for `protect_counts`.

    `hide_columns` and `hide_subtotals` force some column totals (and subtotal totals) to be hidden,
    because another table showing the same people hid them: two tables that share a figure must
    hide it in both, or one gives away what the other protects.
    """
    policy = policy or DEFAULT_POLICY
    subtotals = dict(subtotals or {})
    if subtotals and not exclusive:
        raise ValueError("subtotals need exclusive columns (one answer per person)")
    grid = _Grid.build(
        counts, exclusive=exclusive, row_bases=row_bases, subtotals=list(subtotals.values()), n_cols=len(col_labels)
    )
    forced = {grid.col_total_index[c] for c in hide_columns}
    forced |= {grid.subtotal_total_index[s] for s, name in enumerate(subtotals) if name in hide_subtotals}
    hidden = grid.suppress(policy.threshold, forced)
    n_rows, n_cols = len(grid.rows), len(col_labels)
    if n_rows != len(row_labels) or any(len(r) != n_cols for r in grid.rows):
        raise ValueError("counts must have one row per row label and one column per column label")

    def share(index: int, row: int | None) -> tuple[float, float, float] | None:
        """Weighted proportion and CI for a cell in a row (None = the whole table)."""
        if weighted is None:
            return None
        columns = grid.columns_of[index]
        rows = range(n_rows) if row is None else [row]
        if columns is None:  # a row total: its share of everyone
            part = sum(weighted.bases[r] for r in rows)
        else:
            part = sum(weighted.counts[r][c] for r in rows for c in columns)
        whole = sum(weighted.bases) if row is None or columns is None else weighted.bases[row]
        n_eff = weighted.effective_total if row is None or columns is None else weighted.effective_bases[row]
        p = part / whole if whole else 0.0
        low, high = wilson_interval(p * n_eff, n_eff)
        return (p, low, high)

    def publish(index: int, base_index: int | None, row: int | None = None) -> Cell:
        if index in hidden:
            return Cell(None)
        value = grid.values[index]
        shown = policy.publish(value)
        percent = ci = None
        if base_index is not None and base_index not in hidden and grid.values[base_index] >= policy.threshold:
            base = grid.values[base_index]
            estimate = share(index, row)
            if estimate is None:
                low, high = wilson_interval(value, base)
                estimate = (value / base, low, high)
            percent, ci = 100 * estimate[0], (100 * estimate[1], 100 * estimate[2])
        return Cell(shown, percent, ci, rounded=shown != value)

    cells = tuple(
        tuple(publish(grid.cell_index[r][c], grid.row_total_index[r], r) for c in range(n_cols)) for r in range(n_rows)
    )
    row_totals = tuple(publish(grid.row_total_index[r], grid.grand_index, r) for r in range(n_rows))
    col_totals = tuple(publish(grid.col_total_index[c], grid.grand_index) for c in range(n_cols))
    published_subtotals = {
        name: (
            tuple(publish(grid.subtotal_index[s][r], grid.row_total_index[r], r) for r in range(n_rows)),
            publish(grid.subtotal_total_index[s], grid.grand_index),
        )
        for s, name in enumerate(subtotals)
    }
    return ProtectedTable(
        tuple(row_labels),
        tuple(col_labels),
        cells,
        row_totals,
        col_totals,
        publish(grid.grand_index, None),
        policy,
        published_subtotals,
    )


def check_differencing(
    base: int, *others: int, policy: DisclosurePolicy | None = None, what: str = "this selection"
) -> None:
    """Refuse (raise DisclosureRefused) when `base` differs from another published base by 1 to threshold − 1.

    Call it before showing a filtered table, with the bases of the tables it could be compared with
    (the unfiltered question, the previous filter): subtracting one from the other would show the
    answers of the few people in between.
    """
    threshold = (policy or DEFAULT_POLICY).threshold
    for other in others:
        gap = abs(base - other)
        if 0 < gap < threshold:
            raise DisclosureRefused(
                f"{what.capitalize()} is not shown: it covers {base:,} people against {other:,} in a table already "
                f"shown, and comparing the two could reveal the answers of the {gap} people in between "
                f"(fewer than {threshold})."
            )


# --- the suppression itself ----------------------------------------------------------------------


@dataclass
class _Grid:
    """Every cell of a table as one list of counts, with the sums that tie them together.

    Some cells are implied rather than shown: they are never published, but a small one must not
    be computable either. People who did not tick an option are *derived* (known only when the
    count and base are both published); people in no column of a row (a `row_bases` larger than
    the row's sum) are assumed known to a reader unless small, which is the cautious choice, since
    another table may show them.
    """

    values: list[int] = field(default_factory=list)
    shown: list[bool] = field(default_factory=list)
    derived: list[bool] = field(default_factory=list)
    is_total: list[bool] = field(default_factory=list)
    #: index of the cell counting the group a cell belongs to (its row total), if any
    group: list[int | None] = field(default_factory=list)
    #: (parts, total): sum of the parts' values equals the total's value
    relations: list[tuple[tuple[int, ...], int]] = field(default_factory=list)
    rows: list[list[int]] = field(default_factory=list)
    cell_index: list[list[int]] = field(default_factory=list)
    row_total_index: list[int] = field(default_factory=list)
    col_total_index: list[int] = field(default_factory=list)
    grand_index: int = -1
    subtotal_index: list[list[int]] = field(default_factory=list)
    subtotal_total_index: list[int] = field(default_factory=list)
    #: per cell: the table columns it adds up (None for row totals and the grand total)
    columns_of: list[tuple[int, ...] | None] = field(default_factory=list)

    def add(
        self,
        value: int,
        *,
        shown: bool = True,
        derived: bool = False,
        total: bool = False,
        group: int | None = None,
        columns: tuple[int, ...] | None = None,
    ) -> int:
        if value < 0:
            raise ValueError("counts cannot be negative")
        self.columns_of.append(columns)
        self.values.append(int(value))
        self.shown.append(shown)
        self.derived.append(derived)
        self.is_total.append(total)
        self.group.append(group)
        return len(self.values) - 1

    @classmethod
    def build(
        cls,
        counts: Sequence[Sequence[int]],
        *,
        exclusive: bool,
        row_bases: Sequence[int] | None,
        subtotals: Sequence[Sequence[int]] = (),
        n_cols: int = 0,
    ) -> _Grid:
        grid = cls()
        grid.rows = [[int(v) for v in row] for row in counts]
        n_cols = len(grid.rows[0]) if grid.rows else n_cols
        if row_bases is None:
            if not exclusive:
                raise ValueError("tick-all-that-apply tables need row_bases (the people who answered)")
            row_bases = [sum(row) for row in grid.rows]
        bases = [int(b) for b in row_bases]
        grid.grand_index = grid.add(sum(bases), total=True)
        rests = []
        for row, base in zip(grid.rows, bases, strict=True):
            if exclusive and sum(row) > base or not exclusive and any(v > base for v in row):
                raise ValueError("a count is larger than its base")
            r_total = grid.add(base, total=True, group=grid.grand_index)
            grid.row_total_index.append(r_total)
            indices = [grid.add(v, group=r_total, columns=(c,)) for c, v in enumerate(row)]
            grid.cell_index.append(indices)
            if exclusive:
                rest = [grid.add(base - sum(row), shown=False, group=r_total)] if base > sum(row) else []
                rests += rest
                grid.relations.append(((*indices, *rest), r_total))
            else:
                for i, v in zip(indices, row, strict=True):
                    not_ticked = grid.add(base - v, shown=False, derived=True, group=r_total)
                    grid.relations.append(((i, not_ticked), r_total))
        for c in range(n_cols):
            c_total = grid.add(sum(row[c] for row in grid.rows), total=True, group=grid.grand_index, columns=(c,))
            grid.col_total_index.append(c_total)
            grid.relations.append((tuple(r[c] for r in grid.cell_index), c_total))
        grid.relations.append((tuple(grid.row_total_index), grid.grand_index))
        if exclusive:
            grid.relations.append(((*grid.col_total_index, *rests), grid.grand_index))
        for columns in subtotals:
            picked = tuple(sorted(set(columns)))
            per_row = []
            for r, row in enumerate(grid.rows):
                sub = grid.add(sum(row[c] for c in picked), total=True, group=grid.row_total_index[r], columns=picked)
                grid.relations.append((tuple(grid.cell_index[r][c] for c in picked), sub))
                per_row.append(sub)
            whole = grid.add(sum(grid.values[i] for i in per_row), total=True, group=grid.grand_index, columns=picked)
            grid.relations.append((tuple(per_row), whole))
            grid.relations.append((tuple(grid.col_total_index[c] for c in picked), whole))
            grid.subtotal_index.append(per_row)
            grid.subtotal_total_index.append(whole)
        return grid

    def suppress(self, threshold: int, forced: Collection[int] = ()) -> set[int]:
        """The shown cells to hide so that no small count is published or computable (and `forced` hidden)."""
        values, shown = self.values, self.shown

        def small(i: int) -> bool:
            return 1 <= values[i] < threshold

        def in_small_group(i: int) -> bool:
            group = self.group[i]
            return group is not None and small(group)

        hidden = {i for i in range(len(values)) if shown[i] and (small(i) or in_small_group(i))} | set(forced)

        def unknown(i: int) -> bool:
            return i in hidden or not shown[i] and (self.derived[i] or small(i))

        def must_protect(i: int) -> bool:
            return i in hidden or (not shown[i] and small(i))

        def complement(cells: Sequence[int]) -> int | None:
            """The published cell whose hiding costs least: the smallest non-zero one, a total only if need be."""
            open_cells = [i for i in cells if shown[i] and i not in hidden]
            if not open_cells:
                return None
            # Among zeros a total is better: it leaves the sum unknown, where a hidden zero part doesn't.
            return min(open_cells, key=lambda i: (values[i] == 0, self.is_total[i] == (values[i] > 0), values[i], i))

        # Short sums first: hiding the partner in "top box = very + fairly safe" usually protects
        # the longer row sum too, where starting with the row would hide more than needed.
        relations = sorted(self.relations, key=lambda rel: len(rel[0]))
        member_of: dict[int, list[int]] = {}
        for n, (parts, total) in enumerate(self.relations):
            for i in (*parts, total):
                member_of.setdefault(i, []).append(n)
        while True:
            # The quick rule first: a sum with exactly one unknown gives that unknown away.
            progressed = False
            for parts, total in relations:
                cells = (*parts, total)
                unknowns = [i for i in cells if unknown(i)]
                # Counts can't be negative, so hidden parts of a published total that leaves them
                # nothing to share are all zero: "0 of the [c] girls" is as telling as a count.
                all_zero = not unknown(total) and sum(values[i] for i in unknowns) == 0
                if (len(unknowns) == 1 or all_zero) and any(map(must_protect, unknowns)):
                    chosen = complement(cells)
                    if chosen is not None:
                        hidden.add(chosen)
                        progressed = True
            if progressed:
                continue
            # Then the exact check: combinations of rows and columns can still pin a cell down.
            determined = self._determined([i for i in range(len(values)) if unknown(i)])
            exposed = [i for i in determined if must_protect(i)]
            if not exposed:
                return hidden
            related = [c for n in member_of.get(exposed[0], []) for c in (*self.relations[n][0], self.relations[n][1])]
            chosen = complement(related) if related else None
            if chosen is None:
                chosen = complement(range(len(values)))
            if chosen is None:
                return hidden  # everything is hidden already
            hidden.add(chosen)

    def _determined(self, unknowns: list[int]) -> list[int]:
        """The unknowns whose value follows from the known cells (a unit vector in the row space).

        A "did not tick" count sits in one sum only (ticked + not ticked = base), so it is left out
        of the linear algebra, which keeps the matrix small: it is known exactly when its ticked
        count and its base both are.
        """
        unknown_set = set(unknowns)
        solid = [i for i in unknowns if not self.derived[i]]
        relations = [
            (parts, total)
            for parts, total in self.relations
            if not any(self.derived[i] for i in parts) and (unknown_set.intersection(parts) or total in unknown_set)
        ]
        found: set[int] = set()
        if solid and relations:
            column = {i: j for j, i in enumerate(solid)}
            matrix = np.zeros((len(relations), len(solid)))
            for n, (parts, total) in enumerate(relations):
                for i in parts:
                    if i in column:
                        matrix[n, column[i]] += 1
                if total in column:
                    matrix[n, column[total]] -= 1
            found = {solid[j] for j in _unit_vectors_in_row_space(matrix)}
        for parts, total in self.relations:
            derived = [i for i in parts if self.derived[i]]
            if derived:
                others = [i for i in (*parts, total) if i not in derived]
                if all(i not in unknown_set or i in found for i in others):
                    found.update(i for i in derived if i in unknown_set)
        return sorted(found)


def _unit_vectors_in_row_space(matrix: np.ndarray) -> list[int]:
    """Columns j whose unit vector e_j is a combination of the rows: those unknowns are pinned down.

    Gauss-Jordan elimination to reduced row echelon form: e_j is in the row space exactly when j is a
    pivot column and its row is zero in every free column. (Plain numpy arithmetic rather than an
    SVD: on these small matrices a multi-threaded LAPACK call is slower than the whole elimination.)
    """
    m = matrix.astype(float)
    n_rows, n_cols = m.shape
    pivots: list[int] = []
    for c in range(n_cols):
        r = len(pivots)
        if r == n_rows:
            break
        p = r + int(np.argmax(np.abs(m[r:, c])))
        if abs(m[p, c]) < 1e-9:
            continue
        m[[r, p]] = m[[p, r]]
        m[r] /= m[r, c]
        factors = m[:, c].copy()
        factors[r] = 0.0
        m -= np.multiply.outer(factors, m[r])
        pivots.append(c)
    free = np.setdiff1d(np.arange(n_cols), pivots)
    return [c for k, c in enumerate(pivots) if not free.size or not (np.abs(m[k, free]) > 1e-9).any()]
