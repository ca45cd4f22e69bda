"""The attacker's view: which hidden counts can be worked out exactly from what is published.

Suppression asks this after every round of hiding, and it is the check to run over any set of
figures published together (several tables sharing people, a whole report): describe every figure
as a cell, every "these add up to that" as a relation, mark what a reader cannot see, and
`determined_cells` names the unknown cells whose value still follows from the rest.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: (parts, total): the parts' values add up to the total's value (cells are positions in a list)
Relation = tuple[tuple[int, ...], int]


def determined_cells(relations: Sequence[Relation], derived: Sequence[bool], unknowns: Sequence[int]) -> list[int]:
    """The unknown cells whose value follows from the known cells and the sums (a unit vector in the row space).

    `derived[i]` marks a cell that sits in one sum only (a "did not tick" count: ticked + not ticked
    = base): it is left out of the linear algebra, which keeps the matrix small, and is known exactly
    when the other cells of its sum are.
    """
    unknown_set = set(unknowns)
    solid = [i for i in unknowns if not derived[i]]
    used = [
        (parts, total)
        for parts, total in relations
        if not any(derived[i] for i in parts) and (unknown_set.intersection(parts) or total in unknown_set)
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
