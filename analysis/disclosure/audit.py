"""The attacker's view: which hidden counts can be worked out exactly from what is published.

Suppression asks this after every round of hiding, and it is the check to run over any set of
figures published together (several tables sharing people, a whole report): describe every figure
as a cell, every "these add up to that" as a relation, mark what a reader cannot see, and
`determined_cells` names the unknown cells whose value still follows from the rest.

Counts are never negative, and that pins figures too: if "a + b = 0" follows from what is shown,
both are zero, however many sums tie them to other unknowns. Linear algebra alone misses this, so
`forced_to_zero` asks the linear programme (which cells are zero in every non-negative solution),
and the cells it names count as known before the linear algebra runs again.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: (parts, total): the parts' values add up to the total's value (cells are positions in a list)
Relation = tuple[tuple[int, ...], int]


def determined_cells(relations: Sequence[Relation], derived: Sequence[bool], unknowns: Sequence[int]) -> list[int]:
    """The unknown cells whose value follows from the known cells and the sums (a unit vector in the row space).

    `derived[i]` marks a cell that sits in one sum only (a "did not tick" count: ticked + not ticked
    = base): while unknown it is left out of the linear algebra, which keeps the matrix small, and is
    known exactly when the other cells of its sum are; once known (found to be zero), its sum counts.
    """
    unknown_set = set(unknowns)
    solid = [i for i in unknowns if not derived[i]]
    used = [
        (parts, total)
        for parts, total in relations
        if not any(derived[i] and i in unknown_set for i in parts)
        and (unknown_set.intersection(parts) or total in unknown_set)
    ]
    found: set[int] = set()
    if solid and used:
        column = {i: j for j, i in enumerate(solid)}
        matrix = np.zeros((len(used), len(solid)))
        for n, (parts, total) in enumerate(used):
            for i in parts:
                if i in column:
                    matrix[n, column[i]] += 1
            if total in column:
                matrix[n, column[total]] -= 1
        found = {solid[j] for j in unit_vectors_in_row_space(matrix)}
    for parts, total in relations:
        implied = [i for i in parts if derived[i]]
        if implied:
            others = [i for i in (*parts, total) if i not in implied]
            if all(i not in unknown_set or i in found for i in others):
                found.update(i for i in implied if i in unknown_set)
    return sorted(found)


def forced_to_zero(relations: Sequence[Relation], values: Sequence[int], unknowns: Sequence[int]) -> list[int]:
    """The unknown cells that are zero in every non-negative solution of the sums, given the known cells."""
    unknown_set = set(unknowns)
    column = {i: j for j, i in enumerate(unknowns)}
    rows: list[np.ndarray] = []
    rhs: list[float] = []
    for parts, total in relations:
        if not unknown_set.intersection((*parts, total)):
            continue
        row = np.zeros(len(unknowns))
        known = 0.0
        for i, sign in [*((p, 1.0) for p in parts), (total, -1.0)]:
            if i in column:
                row[column[i]] += sign
            else:
                known += sign * values[i]
        rows.append(row)
        rhs.append(-known)
    if not rows:
        return []
    positive = can_be_positive(np.array(rows), np.array(rhs))
    return [i for i in unknowns if not positive[column[i]]]


def can_be_positive(matrix: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Which unknowns x can be above zero in some solution of matrix @ x = values with x ≥ 0 (a mask).

    One LP on the homogenised system A x = b s, x, s ≥ 0: maximise Σ t with t ≤ x and t ≤ 1.
    Any unknown that can be positive somewhere can be made ≥ 1 in a scaled sum of feasible points,
    so at the optimum t is 1 exactly on those unknowns. (If the system has no solution, which true
    counts rule out, every unknown is reported as possibly positive: the cautious answer.)
    """
    n_rows, m = matrix.shape
    if not m:
        return np.zeros(0, dtype=bool)
    if not n_rows:
        return np.ones(m, dtype=bool)
    # variables: x (m), s (1), t (m)
    a_eq = np.hstack([matrix, -values[:, None], np.zeros((n_rows, m))])
    a_ub = np.hstack([-np.eye(m), np.zeros((m, 1)), np.eye(m)])
    cost = np.concatenate([np.zeros(m + 1), -np.ones(m)])
    bounds = [(0, None)] * m + [(0, 1e6)] + [(0, 1)] * m
    from scipy.optimize import linprog  # only when a table needs it: keeps SciPy out of the web app's start-up

    result = linprog(cost, A_ub=a_ub, b_ub=np.zeros(m), A_eq=a_eq, b_eq=np.zeros(n_rows), bounds=bounds)
    if result.status != 0:
        return np.ones(m, dtype=bool)
    return result.x[m + 1 :] > 0.5


def unit_vectors_in_row_space(matrix: np.ndarray) -> list[int]:
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
