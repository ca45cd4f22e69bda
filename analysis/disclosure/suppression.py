"""Suppression within one table: primary (small counts and small groups) and secondary (complements).

A table becomes a `Grid`: every cell, total, subtotal and implied cell as one list of counts, with
the sums (relations) that tie them together. `Grid.suppress` hides every small count, then hides
complementary cells until no small count can be worked out from what is left, first by the quick
one-unknown-in-a-sum rule and then by the exact checks in `analysis.disclosure.audit` (linear algebra,
and the linear programme for what counts never being negative pins down).
Protecting several tables that share figures builds on this (see `analysis.disclosure.linked`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from analysis.disclosure.audit import Relation, determined_cells, forced_to_zero


@dataclass
class Grid:
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
    relations: list[Relation] = field(default_factory=list)
    rows: list[list[int]] = field(default_factory=list)
    cell_index: list[list[int]] = field(default_factory=list)
    row_total_index: list[int] = field(default_factory=list)
    col_total_index: list[int] = field(default_factory=list)
    grand_index: int = -1
    subtotal_index: list[list[int]] = field(default_factory=list)
    subtotal_total_index: list[int] = field(default_factory=list)
    #: per cell: the table columns it adds up (None for row totals and the grand total)
    columns_of: list[tuple[int, ...] | None] = field(default_factory=list)
    #: per cell: its row (None for a figure over every row), and what it counts there: "cell" (the
    #: people in `columns_of`, or the whole row), "rest" (in no column) or "not" (did not tick)
    row_of: list[int | None] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)

    def add(
        self,
        value: int,
        *,
        shown: bool = True,
        derived: bool = False,
        total: bool = False,
        group: int | None = None,
        columns: tuple[int, ...] | None = None,
        row: int | None = None,
        kind: str = "cell",
    ) -> int:
        if value < 0:
            raise ValueError("counts cannot be negative")
        self.columns_of.append(columns)
        self.row_of.append(row)
        self.kind.append(kind)
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
    ) -> Grid:
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
        for r, (row, base) in enumerate(zip(grid.rows, bases, strict=True)):
            if exclusive and sum(row) > base or not exclusive and any(v > base for v in row):
                raise ValueError("a count is larger than its base")
            r_total = grid.add(base, total=True, group=grid.grand_index, row=r)
            grid.row_total_index.append(r_total)
            indices = [grid.add(v, group=r_total, columns=(c,), row=r) for c, v in enumerate(row)]
            grid.cell_index.append(indices)
            if exclusive:
                rest = (
                    [grid.add(base - sum(row), shown=False, group=r_total, row=r, kind="rest")]
                    if base > sum(row)
                    else []
                )
                rests += rest
                grid.relations.append(((*indices, *rest), r_total))
            else:
                for c, (i, v) in enumerate(zip(indices, row, strict=True)):
                    not_ticked = grid.add(
                        base - v, shown=False, derived=True, group=r_total, columns=(c,), row=r, kind="not"
                    )
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
                sub = grid.add(
                    sum(row[c] for c in picked), total=True, group=grid.row_total_index[r], columns=picked, row=r
                )
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
                # The hidden parts of a published total share what the total leaves them. Counts
                # can't be negative, so parts sharing 0 are all zero ("0 of the [c] girls" is as
                # telling as a count); and zeros are shown, so a reader takes a hidden part to be at
                # least 1: two parts sharing 2 are 1 each. Their sum alone may follow (5 and 3 hidden
                # leave 8), as long as it leaves each part more than one possible value.
                few = not unknown(total) and sum(values[i] for i in unknowns) <= len(unknowns)
                if (len(unknowns) == 1 or few) and any(map(must_protect, unknowns)):
                    chosen = complement(cells)
                    if chosen is not None:
                        hidden.add(chosen)
                        progressed = True
            if progressed:
                continue
            # Then the exact check: combinations of rows and columns can still pin a cell down, and
            # so can counts never being negative (the linear programme, asked only when the linear
            # algebra finds nothing, since it costs more; the cells it pins to zero are then known).
            unknowns = [i for i in range(len(values)) if unknown(i)]
            exposed = [i for i in determined_cells(self.relations, self.derived, unknowns) if must_protect(i)]
            if not exposed and unknowns:
                zeros = set(forced_to_zero(self.relations, values, unknowns))
                exposed = [i for i in sorted(zeros) if must_protect(i)]
                if zeros and not exposed:
                    rest = [i for i in unknowns if i not in zeros]
                    exposed = [i for i in determined_cells(self.relations, self.derived, rest) if must_protect(i)]
            if not exposed:
                return hidden
            related = [c for n in member_of.get(exposed[0], []) for c in (*self.relations[n][0], self.relations[n][1])]
            chosen = complement(related) if related else None
            if chosen is None:
                chosen = complement(range(len(values)))
            if chosen is None:
                return hidden  # everything is hidden already
            hidden.add(chosen)
