"""Table-level protection: one list or groups × answers table in, published cells out.

`protect_counts` and `protect_table` run primary and secondary suppression on one table
(`analysis.disclosure.suppression`), then publish each cell that survives with its rounded count,
percentage and 95% confidence interval. Tables that share people are protected together by
passing the figures another table hid (`hide_columns`, `hide_subtotals`); see
`analysis.disclosure.linked`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from analysis.disclosure.cells import Cell, ProtectedCounts, ProtectedTable, Weighted
from analysis.disclosure.policy import DEFAULT_POLICY, DisclosurePolicy
from analysis.disclosure.suppression import Grid
from analysis.stats import wilson_interval


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
    hide_cells: Collection[int] = (),
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
    `protect_table`; so does `hide_cells`.
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
        hide_cells=hide_cells,
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
    hide_cells: Collection[int] = (),
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
    hide it in both, or one gives away what the other protects. `hide_cells` forces any figures
    hidden, by their position in the table's `Grid` (as `analysis.disclosure.publication` names
    them when it protects a whole publication).
    """
    policy = policy or DEFAULT_POLICY
    subtotals = dict(subtotals or {})
    if subtotals and not exclusive:
        raise ValueError("subtotals need exclusive columns (one answer per person)")
    grid = Grid.build(
        counts, exclusive=exclusive, row_bases=row_bases, subtotals=list(subtotals.values()), n_cols=len(col_labels)
    )
    forced = {grid.col_total_index[c] for c in hide_columns} | set(hide_cells)
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
