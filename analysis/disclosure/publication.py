"""Protecting a whole publication: every table shown together, solved as one system against an LP attacker.

Tables published side by side share people: a pooled measure's "young people" row is the sum of
the young people's questionnaires, a dashboard's audience counts add up to its total, and its age
table adds up to one audience. Subtracting one table from another then recovers what each table
hides on its own. So a publication (the full findings for a campaign, a dashboard page, a report)
is protected as one system:

* Each table is a `LinkedTable`: its rows and answers as sets of people (boolean masks over one
  list of people), so every figure it shows or implies (cells, totals, top boxes, the people in
  no column, those who did not tick) is a set of people.
* The people fall into *atoms*: classes of people who are in exactly the same figures. Every figure
  is then the sum of its atoms' counts, and the attacker's unknowns are the atom counts (≥ 0).
  An atom that no one is in is treated as known to be empty, which only helps the attacker.
* The attacker sees every published figure. A hidden figure is recovered exactly when its value
  is the same at every non-negative solution of the published sums: that is what an LP attacker
  finds by minimising and maximising it. It is computed exactly and quickly in two steps: one LP
  finds the atoms forced to zero (the implicit equalities); on the rest, a figure is fixed exactly
  when it lies in the row space of the published figures (linear algebra).
* Secondary suppression: while a hidden count (other than a zero), or a small implied one (such as
  the few people who did not tick), is recovered, the smallest published figure taking part in
  recovering it is hidden too, everywhere it appears.

Guarantee: no hidden non-zero count, and no implied count from 1 to threshold − 1, can be worked
out exactly from everything published together (the attacker's feasible interval always holds
more than one value). It does not promise that the interval is wider than the threshold.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from analysis.disclosure.audit import can_be_positive
from analysis.disclosure.cells import ProtectedCounts, ProtectedTable, Weighted
from analysis.disclosure.policy import DEFAULT_POLICY, DisclosurePolicy
from analysis.disclosure.suppression import Grid
from analysis.disclosure.tables import protect_table

#: a numerical zero for the linear algebra on 0/1 matrices
TOLERANCE = 1e-7


@dataclass
class LinkedTable:
    """A table to publish with others, its rows and answers given as sets of people.

    `rows` and `columns` are boolean masks over one list of people shared by every table with the
    same `link` (tables with different links count different things and are solved apart). A
    row is a group of people, a column the people who gave an answer (`exclusive`: at most one
    answer each; otherwise tick-all, where a row's people who did not tick are protected too).
    `subtotals` names sums of columns (a top box); `weighted` gives weighted percentages.
    """

    rows: Sequence[np.ndarray]
    columns: Sequence[np.ndarray]
    row_labels: Sequence[str]
    col_labels: Sequence[str]
    exclusive: bool = True
    subtotals: Mapping[str, Sequence[int]] = field(default_factory=dict)
    weighted: Weighted | None = None
    link: Hashable = 0
    #: how much readers need this table's figures: when a figure must be hidden to protect another,
    #: it is taken from the tables with the lowest `keep` first (a breakdown or pooled table before
    #: a questionnaire's own headline), so secondary suppression costs the report as little as it can
    keep: int = 0

    def counts(self) -> tuple[list[list[int]], list[int]]:
        """The table's counts and its row bases."""
        counts = [[int((r & c).sum()) for c in self.columns] for r in self.rows]
        return counts, [int(r.sum()) for r in self.rows]

    def grid(self) -> Grid:
        """The table as `protect_table` lays it out, so positions in it name the same figures."""
        counts, bases = self.counts()
        return Grid.build(
            counts,
            exclusive=self.exclusive,
            row_bases=bases,
            subtotals=[tuple(v) for v in self.subtotals.values()],
            n_cols=len(self.columns),
        )

    def members(self, grid: Grid) -> np.ndarray:
        """Figures × people: who is counted in each figure of the table's grid."""
        group, picked = self.definitions(grid)
        return group & picked

    def definitions(self, grid: Grid) -> tuple[np.ndarray, np.ndarray]:
        """Each figure of the grid as the two sets of people it is defined by: its group and what they answered.

        A figure counts the people in both. Two figures that count no one are the same figure only
        when they are defined alike (see `name`), not merely because both are empty.
        """
        n = next((len(m) for m in (*self.rows, *self.columns)), 0)
        everyone = np.zeros(n, dtype=bool)
        for r in self.rows:
            everyone |= r
        answered = np.zeros(n, dtype=bool)
        for c in self.columns:
            answered |= c
        group = np.zeros((len(grid.values), n), dtype=bool)
        picked = np.ones((len(grid.values), n), dtype=bool)
        for i in range(len(grid.values)):
            row = grid.row_of[i]
            group[i] = everyone if row is None else self.rows[row]
            columns, kind = grid.columns_of[i], grid.kind[i]
            if kind == "rest":
                picked[i] = ~answered
            elif kind == "not" and columns is not None:
                picked[i] = ~self.columns[columns[0]]
            elif columns is not None:
                picked[i] = False
                for position in columns:
                    picked[i] |= self.columns[position]
        return group, picked

    def name(self, grid: Grid, i: int) -> tuple[str | None, tuple[str, ...], str]:
        """What figure i of the grid is called: its row (None for all rows), its answers and its kind.

        With the sets of people it is defined by, this tells one empty figure from another: two
        answers nobody gave are both empty sets of people, but "z: 0" and "q: 0" are not one figure.
        """
        row, columns = grid.row_of[i], grid.columns_of[i]
        return (
            None if row is None else str(self.row_labels[row]),
            tuple(str(self.col_labels[c]) for c in columns or ()),
            grid.kind[i],
        )

    def protect(self, policy: DisclosurePolicy, hide_cells: set[int]) -> ProtectedTable:
        """Protect the table on its own, with `hide_cells` (grid positions) forced hidden."""
        counts, bases = self.counts()
        return protect_table(
            counts,
            row_labels=self.row_labels,
            col_labels=self.col_labels,
            exclusive=self.exclusive,
            row_bases=bases,
            policy=policy,
            subtotals=self.subtotals or None,
            weighted=self.weighted,
            hide_cells=hide_cells,
        )


def hidden_positions(grid: Grid, published: ProtectedTable | ProtectedCounts) -> set[int]:
    """The grid positions of the figures a protected table (or list of counts) hides."""
    hidden: set[int] = set()

    def mark(index: int, suppressed: bool) -> None:
        if suppressed:
            hidden.add(index)

    if isinstance(published, ProtectedCounts):
        for c, cell in enumerate(published.cells):
            mark(grid.cell_index[0][c], cell.suppressed)
            mark(grid.col_total_index[c], cell.suppressed)
        mark(grid.row_total_index[0], published.total.suppressed)
        mark(grid.grand_index, published.total.suppressed)
        for s, cell in enumerate(published.subtotals.values()):
            mark(grid.subtotal_index[s][0], cell.suppressed)
            mark(grid.subtotal_total_index[s], cell.suppressed)
        return hidden
    for r, row in enumerate(published.cells):
        for c, cell in enumerate(row):
            mark(grid.cell_index[r][c], cell.suppressed)
        mark(grid.row_total_index[r], published.row_totals[r].suppressed)
    for c, cell in enumerate(published.col_totals):
        mark(grid.col_total_index[c], cell.suppressed)
    mark(grid.grand_index, published.total.suppressed)
    for s, (rows, whole) in enumerate(published.subtotals.values()):
        for r, cell in enumerate(rows):
            mark(grid.subtotal_index[s][r], cell.suppressed)
        mark(grid.subtotal_total_index[s], whole.suppressed)
    return hidden


def joint_hidden(
    tables: Sequence[LinkedTable], hidden: Sequence[set[int]], policy: DisclosurePolicy | None = None
) -> list[set[int]]:
    """What each table must hide (grid positions) so that nothing hidden can be worked out from them all.

    `hidden[k]` is what table k hides already; the answer includes it. A figure hidden in one table
    is hidden wherever else it appears, and secondary suppression runs over all the tables at once.
    """
    policy = policy or DEFAULT_POLICY
    out = [set(h) for h in hidden]
    groups: dict[Hashable, list[int]] = {}
    for k, table in enumerate(tables):
        groups.setdefault(table.link, []).append(k)
    for members in groups.values():
        _solve([tables[k] for k in members], [out[k] for k in members], policy.threshold)
    return out


def protect_publication(tables: Sequence[LinkedTable], policy: DisclosurePolicy | None = None) -> list[ProtectedTable]:
    """Protect every table of a publication together: nothing hidden in one can be worked out from the others.

    The one call for anything that shows several tables at once (a report, an export, a page).
    """
    policy = policy or DEFAULT_POLICY
    forced: list[set[int]] = [set() for _ in tables]
    while True:
        protected = [t.protect(policy, f) for t, f in zip(tables, forced, strict=True)]
        now = [hidden_positions(t.grid(), p) for t, p in zip(tables, protected, strict=True)]
        wanted = joint_hidden(tables, now, policy)
        if all(w <= h for w, h in zip(wanted, now, strict=True)):
            return protected
        forced = [f | w for f, w in zip(forced, wanted, strict=True)]


def as_counts(table: ProtectedTable) -> ProtectedCounts:
    """A one-row protected table as a protected list of counts."""
    return ProtectedCounts(
        table.col_labels,
        table.cells[0],
        table.row_totals[0],
        table.policy,
        {name: rows[0] for name, (rows, _) in table.subtotals.items()},
    )


@dataclass
class _System:
    """The figures of linked tables as sums of atoms, each figure once however many tables show it."""

    #: figures × atoms, 0/1
    matrix: np.ndarray
    values: np.ndarray
    #: per figure: (table, grid position) wherever it appears
    places: list[list[tuple[int, int]]]
    #: per figure: shown somewhere (a published cell), never only implied
    showable: np.ndarray


def _system(tables: Sequence[LinkedTable], grids: Sequence[Grid]) -> _System:
    definitions = [t.definitions(g) for t, g in zip(tables, grids, strict=True)]
    everything = np.concatenate([group & picked for group, picked in definitions], axis=0)
    someone = everything.any(axis=0)
    people = everything[:, someone]
    packed = np.packbits(people.T, axis=1)
    _, first, sizes = np.unique(packed, axis=0, return_index=True, return_counts=True)
    by_atom = people[:, first]
    keys: dict[tuple[str, Hashable], int] = {}
    rows: list[np.ndarray] = []
    places: list[list[tuple[int, int]]] = []
    showable: list[bool] = []
    n = 0
    for k, grid in enumerate(grids):
        for i in range(len(grid.values)):
            row = by_atom[n + i]
            # A figure is the people it counts; one that counts no one is known by its definition,
            # so a zero hidden in one table hides that same figure elsewhere, not every zero.
            if row.any():
                key: tuple[str, Hashable] = ("people", np.packbits(row).tobytes())
            else:
                group, picked = definitions[k][0][i], definitions[k][1][i]
                key = ("empty", (tables[k].name(grid, i), np.packbits(group).tobytes(), np.packbits(picked).tobytes()))
            f = keys.setdefault(key, len(rows))
            if f == len(rows):
                rows.append(row)
                places.append([])
                showable.append(False)
            places[f].append((k, i))
            showable[f] = showable[f] or grid.shown[i]
        n += len(grid.values)
    matrix = np.array(rows, dtype=float).reshape(len(rows), len(sizes))
    return _System(matrix, matrix @ sizes.astype(float), places, np.array(showable))


def _solve(tables: Sequence[LinkedTable], hidden: list[set[int]], threshold: int) -> None:
    """Secondary suppression over linked tables (adds to `hidden` in place)."""
    grids = [t.grid() for t in tables]
    system = _system(tables, grids)
    unknown = np.array(
        [not system.showable[f] or any(i in hidden[k] for k, i in system.places[f]) for f in range(len(system.places))]
    )
    # Every hidden figure that isn't zero is protected (a complement worked out exactly is a hidden
    # figure recovered), and every implied one that is small (the few who did not tick).
    small = (system.values >= 1) & ((system.values < threshold) | system.showable)
    keep = np.array([max(tables[k].keep for k, _ in places) for places in system.places])
    while True:
        exposed, helpers = _exposed(system.matrix, system.values, unknown, small, keep)
        if not exposed:
            break
        chosen = {h for h in helpers if h is not None}
        if not chosen:
            break  # nothing published takes part: nothing left to hide
        unknown[list(chosen)] = True
    for f in np.flatnonzero(unknown):
        for k, i in system.places[f]:
            if grids[k].shown[i]:
                hidden[k].add(i)


def _exposed(
    matrix: np.ndarray, values: np.ndarray, unknown: np.ndarray, small: np.ndarray, keep: np.ndarray
) -> tuple[list[int], list[int | None]]:
    """Hidden figures the published ones pin to one value, and for each a published figure to hide.

    Atoms inside a published zero are zero; the linear algebra runs first on the rest, and only
    when it finds nothing does one LP look for atoms forced to zero in other ways.
    """
    published = np.flatnonzero(~unknown)
    targets = np.flatnonzero(unknown & small)
    if not targets.size or not published.size:
        return [], []
    seen_all, b = matrix[published], values[published]
    zero = seen_all[b == 0].any(axis=0)
    free = np.flatnonzero(~zero)
    exposed, helpers = _in_row_space(seen_all[:, free], matrix[np.ix_(targets, free)], published, targets, values, keep)
    if exposed:
        return exposed, helpers
    positive = _positive_atoms(seen_all, b)
    if positive.size == free.size:
        return [], []
    return _in_row_space(seen_all[:, positive], matrix[np.ix_(targets, positive)], published, targets, values, keep)


def _in_row_space(
    seen: np.ndarray,
    wanted: np.ndarray,
    published: np.ndarray,
    targets: np.ndarray,
    values: np.ndarray,
    keep: np.ndarray,
) -> tuple[list[int], list[int | None]]:
    """Targets whose row is a combination of the published rows, each with a published figure to hide.

    The figure to hide is the one readers need least (lowest `keep`), then the smallest.

    Gauss-Jordan elimination in plain numpy, keeping track of which published rows make up each
    reduced row (on these small 0/1 matrices a threaded LAPACK call costs more than the whole job).
    """
    m = seen.astype(float).copy()
    n_rows, n_cols = m.shape
    made_of = np.eye(n_rows)
    pivots: list[int] = []
    for c in range(n_cols):
        r = len(pivots)
        if r == n_rows:
            break
        p = r + int(np.argmax(np.abs(m[r:, c])))
        if abs(m[p, c]) < TOLERANCE:
            continue
        m[[r, p]] = m[[p, r]]
        made_of[[r, p]] = made_of[[p, r]]
        scale = m[r, c]
        m[r] /= scale
        made_of[r] /= scale
        factors = m[:, c].copy()
        factors[r] = 0.0
        m -= np.multiply.outer(factors, m[r])
        made_of -= np.multiply.outer(factors, made_of[r])
        pivots.append(c)
    exposed: list[int] = []
    helpers: list[int | None] = []
    for j in range(wanted.shape[0]):
        weights = wanted[j, pivots] if pivots else np.zeros(0)
        residual = wanted[j] - weights @ m[: len(pivots)]
        if np.abs(residual).max(initial=0.0) > 1e-6 or not wanted[j].any():
            continue
        coefficients = weights @ made_of[: len(pivots)]
        taking_part = [int(published[p]) for p in np.flatnonzero(np.abs(coefficients) > 1e-9)]
        taking_part = [p for p in taking_part if values[p] > 0]
        exposed.append(int(targets[j]))
        helpers.append(min(taking_part, key=lambda p: (keep[p], values[p], p)) if taking_part else None)
    return exposed, helpers


def _positive_atoms(matrix: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The atoms that can be non-zero given the published sums (the others are forced to zero)."""
    n_atoms = matrix.shape[1]
    zero = matrix[values == 0].any(axis=0) if matrix.size else np.zeros(n_atoms, dtype=bool)
    candidates = np.flatnonzero(~zero)
    if not candidates.size or not matrix.size:
        return candidates
    a = matrix[np.ix_(values > 0, candidates)]
    if not a.size:
        return candidates
    return candidates[can_be_positive(a, values[values > 0])]
