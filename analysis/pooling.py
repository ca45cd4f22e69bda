"""Pooling a question (or a measure across questionnaires) into arrays, and counting answers from them.

Percentages are of everyone who answered the question (Don't know and Prefer not to say
included); for tick-all questions each option is out of the people who ticked anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.disclosure import Weighted
from analysis.load import QuestionColumn
from analysis.weighting import effective_n
from analysis.wording import pooled_wording
from questionnaires.model import Option, Question


@dataclass
class Pooled:
    """A question (or measure) pooled over the questionnaires that ask it, as arrays over all responses."""

    question: Question
    columns: list[QuestionColumn]
    kind: str
    options: list[Option]
    #: single: option code (−1 none); multiple: bit mask; ranking: (options × responses) ranks
    data: np.ndarray
    answered: np.ndarray

    def ticked(self, option: int) -> np.ndarray:
        """Boolean mask: chose this option (at any rank, for rankings)."""
        if self.kind == "single":
            return self.data == option
        if self.kind == "multiple":
            return ((self.data >> np.uint64(option)) & np.uint64(1)).astype(bool)
        return self.data[option] > 0

    def indices(self, values: Sequence[str]) -> tuple[int, ...]:
        """Option positions of some answer values (those the question has)."""
        return tuple(i for i, o in enumerate(self.options) if o.value in values)


def pool(columns: list[QuestionColumn]) -> Pooled:
    """Put the columns of one question or measure on one list of options (matched by value)."""
    if not columns:
        raise LookupError("no such question in this campaign")
    kinds = {c.kind for c in columns}
    if kinds == {"multiple", "ranking"}:
        # One audience ticks, another ranks: compare what was chosen at all.
        columns = [c if c.kind == "multiple" else _chosen(c) for c in columns]
        kinds = {"multiple"}
    if len(kinds) > 1 or kinds & {"number"}:
        raise ValueError(f"'{columns[0].key}' can't be summarised as answer counts ({', '.join(sorted(kinds))})")
    kind = kinds.pop()
    options: list[Option] = []
    position: dict[str, int] = {}
    for c in columns:
        for o in c.options:
            if o.value not in position:
                position[o.value] = len(options)
                options.append(o)
    n = columns[0].data.shape[-1]
    if kind == "single":
        data = np.full(n, -1, dtype=np.int16)
    elif kind == "multiple":
        data = np.zeros(n, dtype=np.uint64)
    else:
        data = np.zeros((len(options), n), dtype=np.int8)
    for c in columns:
        lut = np.array([position[o.value] for o in c.options] or [0])
        if kind == "single":
            answered = c.data >= 0
            data[answered] = lut[c.data[answered]]
        elif kind == "multiple" and np.array_equal(lut, np.arange(lut.size)):
            data |= c.data
        elif kind == "multiple":
            for j, target in enumerate(lut.tolist()):
                data |= ((c.data >> np.uint64(j)) & np.uint64(1)) << np.uint64(target)
        else:
            data[lut] = np.maximum(data[lut], c.data)
    answered = np.asarray(
        data >= 0 if kind == "single" else data != 0 if kind == "multiple" else (data > 0).any(axis=0)
    )
    question, options = pooled_wording(columns, options)  # a pooled table speaks for no one audience
    return Pooled(question, columns, kind, options, data, answered)


def _chosen(column: QuestionColumn) -> QuestionColumn:
    """A ranking question as tick boxes: which options were ranked at all."""
    bits = np.zeros(column.data.shape[1], dtype=np.uint64)
    for j in range(column.data.shape[0]):
        bits |= (column.data[j] > 0).astype(np.uint64) << np.uint64(j)
    return QuestionColumn(column.questionnaire, column.question, column.options, "multiple", bits, column.code_of)


def option_labels(options: list[Option]) -> list[str]:
    """Each option's label for a table, with its value added where two options share a label."""
    seen: dict[str, int] = {}
    labels = []
    for o in options:  # two options can share a label across versions; keep them apart
        seen[o.label] = seen.get(o.label, 0) + 1
        labels.append(o.label if seen[o.label] == 1 else f"{o.label} ({o.value})")
    return labels


def count_answers(
    pooled: Pooled, mask: np.ndarray, weights: np.ndarray | None, groups: np.ndarray | None = None, n_groups: int = 1
) -> tuple[list[list[int]], Weighted | None]:
    """Counts per group × option, and weighted figures if weighted.

    `groups` gives the group of each selected person (in `mask` order); None means one group.
    """
    g = np.zeros(int(mask.sum()), dtype=np.int64) if groups is None else groups
    k = len(pooled.options)
    w = None if weights is None else weights[mask]
    if pooled.kind == "single":
        flat = g * k + pooled.data[mask].astype(np.int64)
        raw = np.bincount(flat, minlength=n_groups * k).reshape(n_groups, k)
        heavy: np.ndarray | None = None
        if w is not None:
            heavy = np.bincount(flat, weights=w, minlength=n_groups * k).reshape(n_groups, k)
    else:
        # Who ticked what, for the selected people only, then one bincount over (group, option) pairs.
        if pooled.kind == "multiple":
            bits = pooled.data[mask]
            ticks = ((bits[:, None] >> np.arange(k, dtype=np.uint64)) & np.uint64(1)).astype(bool)
        else:
            ticks = (pooled.data[:, mask] > 0).T
        people, options = np.nonzero(ticks)
        flat = g[people] * k + options
        raw = np.bincount(flat, minlength=n_groups * k).reshape(n_groups, k)
        if w is not None:
            heavy = np.bincount(flat, weights=w[people], minlength=n_groups * k).reshape(n_groups, k)
    if w is None or heavy is None:
        return raw.tolist(), None
    bases = np.bincount(g, weights=w, minlength=n_groups)
    squares = np.bincount(g, weights=w * w, minlength=n_groups)
    effective = np.divide(bases * bases, squares, out=np.zeros(n_groups), where=squares > 0).tolist()
    return raw.tolist(), Weighted(heavy.tolist(), bases.tolist(), effective, effective_n(w))


def share(pooled: Pooled, picked: tuple[int, ...], mask: np.ndarray, weights: np.ndarray | None) -> tuple[float, float]:
    """(successes, n) for tests: raw counts, or weighted share × effective sample size."""
    hit = np.isin(pooled.data[mask], picked)
    if weights is None:
        return float(hit.sum()), float(hit.size)
    w = weights[mask]
    n_eff = effective_n(w)
    return float(w[hit].sum() / w.sum() * n_eff) if w.size else 0.0, n_eff
