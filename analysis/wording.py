"""Plain-language statements, and findings as text, CSV and JSON.

Sentences are written only from published (protected) cells, and say "higher", "lower", "an
increase" or "a reduction" only when a test found the difference statistically significant at
the 5% level; otherwise "similar to".
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from analysis.disclosure import Cell, ProtectedCounts, ProtectedTable
from analysis.finding_model import Finding
from analysis.stats import ChiSquare, Comparison
from questionnaires.model import Question


def join_words(items: Sequence[str], conjunction: str = "and") -> str:
    """ "a", "a and b", "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def pct(value: float) -> str:
    """A percentage as a whole number, e.g. 82%."""
    return f"{value:.0f}%"


def ci_words(cell: Cell) -> str:
    """ "95% CI 80–84%" (empty when there is no interval)."""
    return f"95% CI {cell.ci[0]:.0f}–{cell.ci[1]:.0f}%" if cell.ci else ""


def p_words(p_value: float) -> str:
    """ "p < 0.001" or "p = 0.03"."""
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}" if p_value < 0.01 else f"p = {p_value:.2f}"


def compare_words(test: Comparison, kind: str) -> str:
    """The words a difference earns: only a significant one is "higher" / "lower" or an increase / reduction."""
    if not test.significant:
        return "similar to"
    if kind == "earlier":
        return "an increase since" if test.difference > 0 else "a reduction since"
    return "higher than" if test.difference > 0 else "lower than"


def _quote(text: str) -> str:
    return f"\u201c{text}\u201d"


def headline(f: Finding) -> str:
    """The sentence a communications lead could paste."""
    threshold = f.table.policy.threshold
    if f.table.total.suppressed or f.table.total.value is None or f.table.total.value < threshold:
        return f"Fewer than {threshold} {f.subject} answered {_quote(f.question)}, so no figures are shown."
    if f.headline is not None:
        cell = f.table.subtotals[f.headline]
        if cell.percent is None:
            return f"Too few {f.subject} gave each answer to {_quote(f.question)} to publish the figures safely."
        what = (
            f"said {f.phrase.text}"
            if f.phrase
            else f"answered {join_words([_quote(x) for x in f.headline.split(' or ')], 'or')} to {_quote(f.question)}"
        )
        sentence = f"{pct(cell.percent)} of {f.subject} {what} ({ci_words(cell)})"
        parts = []
        for line in f.comparisons:
            if line.kind == "benchmark":
                parts.append(f"{line.words} {line.label} of {line.theirs:g}%")
            elif line.words == "similar to":
                parts.append(f"similar to {line.label} ({pct(line.theirs)})")
            else:
                parts.append(f"{line.words} {line.label} (from {pct(line.theirs)})")
        return sentence + (", " + join_words(parts) if parts else "") + "."
    ranked = _ranked(f.table)
    if not ranked:
        return f"Too few {f.subject} gave each answer to {_quote(f.question)} to publish the figures safely."
    label, cell = ranked[0]
    if f.kind == "single":
        return (
            f"The most common answer from {f.subject} to {_quote(f.question)} was {_quote(label)} "
            f"({pct(cell.percent or 0)}, {ci_words(cell)})."
        )
    base = f.table.total.display
    if f.kind == "ranking":
        sentence = (
            f"{_quote(label)} was the option {f.subject} chose most often for {_quote(f.question)}: "
            f"{pct(cell.percent or 0)} of the {base} who answered put it in their choices ({ci_words(cell)})"
        )
        firsts = _ranked(f.first_choices) if f.first_choices else []
        if firsts and firsts[0][0] == label:
            sentence += f", and it was the most common first choice ({pct(firsts[0][1].percent or 0)})"
        elif firsts:
            sentence += f"; the most common first choice was {_quote(firsts[0][0])} ({pct(firsts[0][1].percent or 0)})"
        return sentence + "."
    sentence = (
        f"{_quote(label)} was the top answer given to {_quote(f.question)}, by {pct(cell.percent or 0)} of the "
        f"{base} {f.subject} who answered ({ci_words(cell)})"
    )
    if len(ranked) > 1:
        sentence += ", followed by " + join_words([f"{_quote(lb)} ({pct(c.percent or 0)})" for lb, c in ranked[1:3]])
    return sentence + "."


def _ranked(table: ProtectedCounts) -> list[tuple[str, Cell]]:
    """Published answers with a percentage, most common first (the ranking of reasons)."""
    shown = [(label, cell) for label, cell in table.items() if cell.percent is not None and cell.value]
    return sorted(shown, key=lambda item: -(item[1].percent or 0))


def breakdown_sentence(
    question: Question, title: str, table: ProtectedTable, focus: str | None, test: ChiSquare | None
) -> str:
    """What a breakdown shows, in words: the spread across groups, and whether it is significant."""
    if focus is not None:
        cells = table.subtotals[focus][0]
        what = focus
    else:
        totals = [(c.percent or 0, j) for j, c in enumerate(table.col_totals) if c.percent is not None and c.value]
        if not totals:
            return f"Too few people answered in each {title} group to compare them."
        column = max(totals)[1]
        cells = tuple(row[column] for row in table.cells)
        what = table.col_labels[column]
    shown = [
        (cell.percent or 0, label)
        for label, cell in zip(table.row_labels, cells, strict=True)
        if cell.percent is not None and label != "Not known"
    ]
    if len(shown) < 2:
        return f"Too few people answered in each {title} group to compare them."
    (low, low_label), (high, high_label) = min(shown), max(shown)
    spread = f"{_quote(what)} ranged from {pct(low)} ({low_label}) to {pct(high)} ({high_label})"
    if test is None or test.p_value != test.p_value:
        return f"By {title}, {spread}."
    caution = "" if test.reliable else " Some groups are small, so treat this with caution."
    if test.significant:
        return f"Answers differed significantly by {title} (chi-square, {p_words(test.p_value)}): {spread}.{caution}"
    return (
        f"There was no statistically significant difference by {title} (chi-square, {p_words(test.p_value)}); "
        f"{spread}.{caution}"
    )


# --- renderers -----------------------------------------------------------------------------------


def _cell_text(cell: Cell) -> str:
    if cell.suppressed:
        return cell.display
    return f"{cell.display} ({cell.percent_display()})"


def to_text(findings: Sequence[Finding]) -> str:
    """Findings as plain text: the sentence, then the tables behind it."""
    out = []
    for f in findings:
        out += [f.statement, "", f"{f.question}  [{f.id}; {f.subject}]"]
        out.append(f"  {'Answer':<48}{'Count':>9}{'%':>7}  95% CI")
        rows = list(f.table.items()) + [
            (f"{label} (together)", cell) for label, cell in f.table.subtotals.items() if label not in f.table.labels
        ]  # a one-answer "top box" is its row
        for label, cell in rows:
            out.append(f"  {label[:47]:<48}{cell.display:>9}{cell.percent_display():>7}  {cell.ci_display()}")
        out.append(f"  {'Total who answered':<48}{f.table.total.display:>9}")
        if f.first_choices is not None:
            out.append(
                "  First choices: " + "; ".join(f"{label}: {_cell_text(c)}" for label, c in f.first_choices.items())
            )
        for line in f.comparisons:
            out.append(
                f"  Compared with {line.label} ({line.theirs:g}%): {line.words.replace(' to', '').replace(' than', '')}, "
                f"{p_words(line.test.p_value)}. {line.citation}"
            )
        for b in f.breakdowns:
            out += ["", f"  By {b.title}: {b.statement}"]
            columns = list(b.table.col_labels) + list(b.table.subtotals)
            out.append("    " + " | ".join(["Group", "Base", *columns]))
            for r, label in enumerate(b.table.row_labels):
                cells = [*b.table.cells[r], *(rows_[r] for rows_, _ in b.table.subtotals.values())]
                out.append("    " + " | ".join([label, b.table.row_totals[r].display, *map(_cell_text, cells)]))
            totals = [*b.table.col_totals, *(total for _, total in b.table.subtotals.values())]
            out.append("    " + " | ".join(["All", b.table.total.display, *map(_cell_text, totals)]))
        out += [f"  Weighting: {text}" for text in f.weighting]
        out += [f"  Note: {note}" for note in f.notes] + ["", ""]
    return "\n".join(out).rstrip() + "\n"


CSV_COLUMNS = (
    "finding",
    "question",
    "subject",
    "table",
    "group",
    "answer",
    "count",
    "suppressed",
    "percent",
    "ci_low",
    "ci_high",
)


def to_rows(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    """One tidy row per published cell (for CSV and spreadsheets)."""
    rows: list[dict[str, Any]] = []

    def add(f: Finding, table: str, group: str, answer: str, cell: Cell) -> None:
        rows.append(
            {
                "finding": f.id,
                "question": f.question,
                "subject": f.subject,
                "table": table,
                "group": group,
                "answer": answer,
                "count": cell.value,
                "suppressed": cell.suppressed,
                "percent": None if cell.percent is None else round(cell.percent, 1),
                "ci_low": None if cell.ci is None else round(cell.ci[0], 1),
                "ci_high": None if cell.ci is None else round(cell.ci[1], 1),
            }
        )

    for f in findings:
        for label, cell in [*f.table.items(), *f.table.subtotals.items()]:
            add(f, "answers", "All", label, cell)
        add(f, "answers", "All", "Total who answered", f.table.total)
        if f.first_choices is not None:
            for label, cell in f.first_choices.items():
                add(f, "first choices", "All", label, cell)
        for b in f.breakdowns:
            for r, group in enumerate(b.table.row_labels):
                for label, cell in zip(b.table.col_labels, b.table.cells[r], strict=True):
                    add(f, f"by {b.name}", group, label, cell)
                for label, (cells, _) in b.table.subtotals.items():
                    add(f, f"by {b.name}", group, label, cells[r])
                add(f, f"by {b.name}", group, "Total who answered", b.table.row_totals[r])
    return rows


def to_csv(findings: Sequence[Finding]) -> str:
    """Findings as tidy CSV."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(to_rows(findings))
    return buffer.getvalue()


def to_dict(f: Finding) -> dict[str, Any]:
    """A finding as JSON-ready data (published figures only)."""
    return {
        "id": f.id,
        "question": f.question,
        "subject": f.subject,
        "kind": f.kind,
        "audiences": f.audiences,
        "statement": f.statement,
        "answers": f.table.to_dict(),
        "first_choices": None if f.first_choices is None else f.first_choices.to_dict(),
        "headline": f.headline,
        "comparisons": [
            {
                "kind": c.kind,
                "against": c.label,
                "ours": c.ours.to_dict(),
                "theirs_percent": c.theirs,
                "difference_points": round(100 * c.test.difference, 1),
                "z": round(c.test.z, 3),
                "p_value": c.test.p_value,
                "significant": c.test.significant,
                "words": c.words,
                "source": c.citation,
            }
            for c in f.comparisons
        ],
        "breakdowns": [
            {
                "by": b.name,
                "title": b.title,
                "statement": b.statement,
                "table": b.table.to_dict(),
                "chi_square": None
                if b.test is None
                else {
                    "statistic": b.test.statistic,
                    "dof": b.test.dof,
                    "p_value": b.test.p_value,
                    "significant": b.test.significant,
                    "min_expected": b.test.min_expected,
                },
            }
            for b in f.breakdowns
        ],
        "weighting": f.weighting,
        "notes": f.notes,
    }


def to_json(findings: Sequence[Finding]) -> str:
    """Findings as JSON."""
    return json.dumps([to_dict(f) for f in findings], indent=2, ensure_ascii=False, default=float)
