"""Which published answers lead a question, and whether a reader could be sure of it.

Pure logic on published cells, for `analysis.wording`: the leaders (tied answers together), and
which answer labels a top box joins.
"""

from __future__ import annotations

from collections.abc import Sequence

from analysis.disclosure import Cell, ProtectedCounts


def leaders(
    table: ProtectedCounts, ranked: list[tuple[str, Cell]], *, exclusive: bool
) -> tuple[list[tuple[str, Cell]], list[tuple[str, Cell]], bool]:
    """The top answers (several when tied or too close to separate), the rest, and whether the top is certain.

    The top is certain only when no hidden answer could be as large: for one-answer questions the
    hidden answers share what the shown ones leave of the total; for tick-all questions a hidden
    answer could be anything up to the total.
    """
    top_label, top = ranked[0]
    hidden = [c for _, c in table.items() if c.suppressed]
    certain = True
    if hidden:
        if table.total.value is None:
            certain = False
        else:
            shown_sum = sum(c.value or 0 for _, c in table.items())
            bound = table.total.value - shown_sum if exclusive else table.total.value
            certain = (top.value or 0) > bound
    tops = [(top_label, top)]
    for label, cell in ranked[1:]:
        if tied(top, cell):
            tops.append((label, cell))
        else:
            break
    return tops, ranked[len(tops) :], certain


def tied(top: Cell, other: Cell) -> bool:
    """Same count, or the same share to the whole per cent shown: neither is ahead of the other."""
    if other.value == top.value:
        return True
    return round(top.percent or 0) == round(other.percent or 0)


def answers_in(headline: str, labels: Sequence[str]) -> list[str]:
    """The answer labels a top box joins ("A, B or C"), matched whole: a label may itself hold "or"."""
    return _split_labels(headline, labels) or [headline]


def _split_labels(text: str, labels: Sequence[str]) -> list[str] | None:
    if text in labels:
        return [text]
    for label in sorted(labels, key=len, reverse=True):
        for joint in (", ", " or "):
            if text.startswith(label + joint):
                rest = _split_labels(text[len(label) + len(joint) :], labels)
                if rest:
                    return [label, *rest]
    return None
