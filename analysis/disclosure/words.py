"""Word tables published beside theme tables: counted in the same units and protected with them.

A word table ("police: 37 answers") is a table of counts like any other, and it counts the same
people as the theme table beside it: a word that every answer of a theme uses repeats that theme's
count, and a word used only by one audience's answers repeats part of the themes-by-audience table.
Protected on its own, it would give away what the theme table hides. So:

* **Units, not occurrences.** A word counts the units (answers, or people) that use it at least
  once, the same units the theme table counts, so the two are sums over the same sets.
* **Only common words.** A word used by fewer than `threshold` units of a group is never a
  column: it is not shown, not even as "[c]" (a hidden count would still say someone wrote it).
* **One publication.** A group's word table is a one-row tick-all `LinkedTable` on the theme
  table's link, so `protect_publication` solves it with every other table on the page or in the
  report; a word it has to hide is left out of the table and of the cloud.
* **The cloud draws only the shown words**, at their published counts (`shown_words`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence

import numpy as np

from analysis.disclosure.cells import Cell, ProtectedTable
from analysis.disclosure.publication import LinkedTable

#: The most words a group's table (and so its cloud) shows: enough to read the group's voice, few
#: enough to keep the joint protection of a whole page quick.
WORDS_SHOWN = 15
#: How many words beyond `WORDS_SHOWN` a tie at the cut may add.
TIES_ALLOWED = 5


def word_table(
    group: np.ndarray,
    words_of: Sequence[frozenset[str] | set[str]],
    *,
    label: str,
    threshold: int,
    link: Hashable,
    limit: int = WORDS_SHOWN,
) -> LinkedTable:
    """One group's word table: the `limit` words most used by its units, each by `threshold` or more.

    `group` is a boolean mask over the link's units (answers or people) and `words_of[i]` the
    distinct words of unit i (already redacted). Words used equally are ordered alphabetically; a tie at
    the cut keeps all of them or none.
    """
    counts: Counter[str] = Counter()
    for i in np.flatnonzero(group).tolist():
        counts.update(words_of[i])
    ranked = sorted((w for w, n in counts.items() if n >= threshold), key=lambda w: (-counts[w], w))
    common = ranked[:limit]
    if len(ranked) > limit and counts[ranked[limit]] == counts[common[-1]]:
        # A tie at the cut: the alphabet must not choose which of equally used words is shown ("apps" in,
        # "youth-clubs" out). All of them, if a few more fit; otherwise none of them.
        tied = [w for w in ranked if counts[w] == counts[common[-1]]]
        before = [w for w in common if counts[w] > counts[common[-1]]]
        common = before + tied if len(before) + len(tied) <= limit + TIES_ALLOWED else before
    columns = [group & np.array([w in words for words in words_of], dtype=bool) for w in common]
    # keep=0: a word is what readers need least, so secondary suppression takes words before themes
    return LinkedTable([group], columns, [label], common, exclusive=False, link=link)


def shown_words(table: ProtectedTable) -> list[tuple[str, Cell]]:
    """The words a protected word table publishes, most used first; hidden words are left out entirely."""
    cells = [(w, c) for w, c in zip(table.col_labels, table.cells[0], strict=True) if not c.suppressed]
    return sorted(cells, key=lambda wc: (-(wc[1].value or 0), wc[0]))
