"""Many comparisons in one report: adjust their p-values together, then reword what they earned.

A report runs hundreds of tests (every benchmark, earlier wave and breakdown); at the 5% level one
in twenty would look "significant" by chance alone. So every p-value in a report is adjusted for
the others (Benjamini–Hochberg by default, or Holm), and only the adjusted results may say
"higher", "lower", "an increase", "a reduction" or "differed significantly".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from analysis import wording
from analysis.finding_model import Finding
from analysis.stats import ADJUSTMENT_METHODS, ChiSquare, adjust_p_values

#: The adjustment a report uses unless told otherwise: it controls the share of false "differences"
#: without making hundreds of tests blind to real ones, as Holm's family-wise control would.
DEFAULT_METHOD = "fdr_bh"


def methodology_note(method: str = DEFAULT_METHOD) -> str:
    """The sentence the methodology (and every adjusted finding's notes) states."""
    return (
        f"P-values are adjusted for the number of comparisons in this report using {ADJUSTMENT_METHODS[method]}; "
        f"a difference is called significant only when its adjusted p-value is below 0.05."
    )


def adjust_report(
    findings: Sequence[Finding], method: str = DEFAULT_METHOD, others: Sequence[ChiSquare | None] = ()
) -> list[ChiSquare | None]:
    """Adjust every comparison and breakdown test in the findings together, and rewrite their words.

    `others` are the report's tests that belong to no finding (a headline measure compared across
    audiences): they join the same family, and come back adjusted, in order (None stays None).
    """
    places: list[tuple[Finding, str, int]] = []
    p_values: list[float] = []
    for f in findings:
        for i, line in enumerate(f.comparisons):
            places.append((f, "comparison", i))
            p_values.append(line.test.p_value)
        for i, b in enumerate(f.breakdowns):
            if b.test is not None:
                places.append((f, "breakdown", i))
                p_values.append(b.test.p_value)
    extra = [(i, other) for i, other in enumerate(others) if other is not None]
    adjusted = adjust_p_values([*p_values, *(other.p_value for _, other in extra)], method)
    out = list(others)
    for (i, other), p in zip(extra, adjusted[len(places) :], strict=True):
        out[i] = replace(other, adjusted_p=p)
    for (f, kind, i), p in zip(places, adjusted[: len(places)], strict=True):
        if kind == "comparison":
            line = f.comparisons[i]
            test = replace(line.test, adjusted_p=p)
            f.comparisons[i] = replace(line, test=test, words=wording.compare_words(test, line.kind))
        else:
            b = f.breakdowns[i]
            assert b.test is not None
            chi = replace(b.test, adjusted_p=p)
            sentence = wording.breakdown_sentence(None, b.title, b.table, b.focus, chi)
            f.breakdowns[i] = replace(b, test=chi, statement=sentence)
    note = methodology_note(method)
    for f in findings:
        if any(line.test.adjusted_p is not None for line in f.comparisons) or any(
            b.test is not None and b.test.adjusted_p is not None for b in f.breakdowns
        ):
            f.notes.append(note)
        f.statement = wording.headline(f)
    return out
