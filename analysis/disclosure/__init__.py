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
* **Linked tables.** Tables that show the same people (a finding's answers and its breakdowns) are
  protected together, so a figure hidden in one is hidden in all.
* **Publications.** Everything shown together (the full findings, a dashboard page, a report, an
  export) is protected as one system (`protect_publication`): an LP attacker who sees every
  published figure, and how the tables' people overlap, cannot pin any hidden count to one value.
* **Words.** A word table counts the answers (or people) that use each word, never occurrences,
  shows only words used by at least the threshold of a group, and is protected on the same link as
  the theme tables beside it; a word cloud draws only the words its table shows (`words`).
* **Rounding** (optional, e.g. to the nearest 5) of every published count, totals included.
* **Percentages** are shown only when their count and base are published and the base is at least
  the threshold.
* **Differencing.** Two filters whose bases differ by 1 to threshold − 1 are refused
  (`check_differencing`): subtracting one table from the other would show that small group.

Hidden cells are marked (`Cell.suppressed`, shown as "[c]") and never become zeros.

| module | does |
|---|---|
| `policy` | the rules (threshold, rounding) and how hidden cells show |
| `cells` | what is published: `Cell`, `ProtectedCounts`, `ProtectedTable` |
| `tables` | table-level protection: `protect_counts`, `protect_table` |
| `suppression` | primary and secondary suppression within one table (`Grid`) |
| `linked` | protecting tables that share figures together (`protect_linked`) |
| `publication` | protecting every table published together as one system (`protect_publication`) |
| `words` | word tables beside theme tables: counted in the same units, protected on the same link |
| `audit` | the attacker's check: which hidden cells can be worked out exactly |
| `rounding`, `differencing` | rounding published counts; refusing near-identical filters |

Typical use (the staff dashboard):

    >>> from analysis.disclosure import protect_counts
    >>> table = protect_counts({"Canalside High": 84, "Brookside Youth Club": 4, "Online": 40})
    >>> [c.display for c in table.cells], table.total.display
    (['84', '[c]', '[c]'], '128')
"""

from analysis.disclosure.cells import Cell, ProtectedCounts, ProtectedTable, Weighted, published_rank
from analysis.disclosure.differencing import check_differencing
from analysis.disclosure.linked import SharedHidden, protect_linked, shared_hidden
from analysis.disclosure.policy import (
    DEFAULT_POLICY,
    DEFAULT_THRESHOLD,
    NO_PERCENT,
    SUPPRESSED,
    DisclosurePolicy,
    DisclosureRefused,
)
from analysis.disclosure.publication import LinkedTable, protect_publication
from analysis.disclosure.tables import protect_counts, protect_table

__all__ = [
    "DEFAULT_POLICY",
    "DEFAULT_THRESHOLD",
    "NO_PERCENT",
    "SUPPRESSED",
    "Cell",
    "DisclosurePolicy",
    "DisclosureRefused",
    "LinkedTable",
    "ProtectedCounts",
    "ProtectedTable",
    "SharedHidden",
    "Weighted",
    "check_differencing",
    "protect_counts",
    "protect_linked",
    "protect_publication",
    "protect_table",
    "published_rank",
    "shared_hidden",
]
