"""A finding split by a dimension (age band, area ...): one protected table, its chi-square test and sentence."""

from __future__ import annotations

import numpy as np

from analysis import wording
from analysis.dimensions import dimension
from analysis.disclosure import SharedHidden, protect_table
from analysis.finding_model import Breakdown, Settings
from analysis.load import CampaignData
from analysis.pooling import Pooled, count_answers, option_labels
from analysis.stats import chi_square_test, rao_scott_chi_square

NOT_KNOWN = "Not known"


def breakdown(
    data: CampaignData,
    pooled: Pooled,
    name: str,
    mask: np.ndarray,
    weights: np.ndarray | None,
    headline: str | None,
    picked: tuple[int, ...] | None,
    settings: Settings,
    hidden: SharedHidden,
) -> Breakdown:
    """The finding by one dimension, protected with the shared figures its linked tables hid."""
    dim = dimension(data, name)
    codes = dim.codes[mask]
    codes = np.where(codes >= 0, codes, len(dim.labels))  # the last group: not known
    sizes = np.bincount(codes, minlength=len(dim.labels) + 1)
    present = np.flatnonzero(sizes)
    labels = [dim.labels[i] if i < len(dim.labels) else NOT_KNOWN for i in present.tolist()]
    remap = np.full(len(dim.labels) + 1, -1)
    remap[present] = np.arange(present.size)
    counts, weighted = count_answers(pooled, mask, weights, remap[codes], len(labels))
    bases = sizes[present].tolist()
    table = protect_table(
        counts,
        row_labels=labels,
        col_labels=option_labels(pooled.options),
        exclusive=pooled.kind == "single",
        row_bases=bases,
        policy=settings.policy,
        subtotals={headline: picked} if headline and picked else None,
        weighted=weighted,
        hide_columns=hidden.columns,
        hide_subtotals=hidden.subtotals,
        hide_cells=hidden.cells.get(name, ()),
    )
    test = None
    if pooled.kind == "single":
        rows = [
            r
            for r, label in enumerate(labels)
            if label != NOT_KNOWN and not table.row_totals[r].suppressed and bases[r] >= settings.policy.threshold
        ]
        grid = (
            [[sum(counts[r][c] for c in picked), bases[r] - sum(counts[r][c] for c in picked)] for r in rows]
            if picked
            else [counts[r] for r in rows]
        )
        if len(rows) > 1 and weighted is not None:
            # The weighted percentages the table shows are what is tested, each group on its effective size.
            heavy = weighted.counts
            weighted_grid = (
                [[sum(heavy[r][c] for c in picked), weighted.bases[r] - sum(heavy[r][c] for c in picked)] for r in rows]
                if picked
                else [list(heavy[r]) for r in rows]
            )
            test = rao_scott_chi_square(weighted_grid, [weighted.effective_bases[r] for r in rows])
        elif len(rows) > 1:
            test = chi_square_test(grid)
    focus = headline if headline else None
    return Breakdown(
        name, dim.title, table, focus, test, wording.breakdown_sentence(pooled.question, dim.title, table, focus, test)
    )
