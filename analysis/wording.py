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
from dataclasses import replace
from typing import Any

from analysis.config import measure_questions
from analysis.disclosure import Cell, ProtectedCounts, ProtectedTable
from analysis.finding_model import Finding
from analysis.leaders import answers_in, leaders, tied
from analysis.load import QuestionColumn
from analysis.stats import ChiSquare, Comparison
from questionnaires.model import Option, Question
from questionnaires.scales import SCALES


def join_words(items: Sequence[str], conjunction: str = "and") -> str:
    """ "a", "a and b", "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def sentence(text: str) -> str:
    """The text as a whole sentence: a full stop added unless it already ends one ("Safe?" stays)."""
    text = text.rstrip()
    return text if not text or text.endswith((".", "?", "!")) else f"{text}."


def pct(value: float) -> str:
    """A percentage as a whole number, e.g. 82%."""
    return f"{value:.0f}%"


def ci_words(cell: Cell, against: Sequence[float] = ()) -> str:
    """ "95% CI 80–84%" (empty when there is no interval).

    One decimal when a rounded end would equal a figure it is compared with: "(95% CI 2–5%), lower than
    … 5%" reads as a contradiction, "(95% CI 1.9–4.7%)" does not."""
    if not cell.ci:
        return ""
    return f"95% CI {cell.ci_display(ci_decimals(cell, against))}"


def ci_decimals(cell: Cell, against: Sequence[float] = ()) -> int:
    """1 when an end of the cell's interval, rounded to a whole per cent, would equal a figure compared with,
    or the figure itself ("2% (95% CI 2–4%)" reads as if 2% were the lowest it could be; it is 1.5–4.0%)."""
    ends = cell.ci or ()
    if any(round(end) == round(value, 1) for end in ends for value in against):
        return 1
    own = cell.percent
    return 1 if own is not None and any(round(end) == round(own) and abs(end - own) >= 0.05 for end in ends) else 0


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


def either(labels: Sequence[str]) -> str:
    """Answers as one phrase, sharing their last words: "Very safe", "Fairly safe" -> "very or fairly safe"."""
    words = [label.lower().split() for label in labels]
    if len(words) < 2:
        return " ".join(words[0]) if words else ""
    shared = 0
    while all(len(w) > shared + 1 for w in words) and len({w[-1 - shared] for w in words}) == 1:
        shared += 1
    tail = words[0][len(words[0]) - shared :]
    heads = [" ".join(w[: len(w) - shared]) for w in words]
    return " ".join([join_words(heads, "or"), *tail])


def in_own_words(text: str, question: Question, options: Sequence[Option]) -> str:
    """A phrase written for a scale's standard answers, in the answers these people were given.

    The phrase says "they feel very or fairly safe"; children answered "Very safe" or "Quite safe", so
    their sentence says "very or quite safe". A phrase that does not use the standard words is kept.
    """
    if not question.scale or not question.top_box:
        return text
    standard = dict(SCALES[question.scale][0])
    own = {o.value: o.label for o in options}
    if any(value not in standard or value not in own for value in question.top_box):
        return text
    theirs = either([standard[v] for v in question.top_box])
    ours = either([own[v] for v in question.top_box])
    return text.replace(theirs, ours) if ours != theirs else text


def pooled_wording(columns: Sequence[QuestionColumn], options: list[Option]) -> tuple[Question, list[Option]]:
    """A measure pooled across questionnaires in neutral words: the measure's own wording and standard labels.

    Each audience was asked in its own words (a child "Do you feel safe where you live?", answering
    "Quite safe"), so a pooled table quoting one of them would put a child's question to adults.
    Scale answers take the scale's standard labels; other answers the wording of the oldest audience.
    """
    question = columns[0].question
    if len({c.questionnaire.id for c in columns}) < 2:
        return question, options
    neutral = measure_questions().get(question.measure or question.key)
    standard = {value: label for c in columns if c.question.scale for value, label in SCALES[c.question.scale][0]}
    oldest = sorted(columns, key=lambda c: -(c.questionnaire.age_range or (99, 99))[0])
    by_value = {o.value: o.label for c in reversed(oldest) for o in c.options}
    relabelled = [replace(o, label=standard.get(o.value) or by_value.get(o.value, o.label)) for o in options]
    return (replace(question, text=neutral) if neutral else question), relabelled


def _quote(text: str) -> str:
    return f"\u201c{text}\u201d"


#: How many top answers a neutral heading names ("Top two answers"), when audiences were each
#: asked in their own words; and the heading when the answers counted are not a scale's top ones.
COUNT_WORDS = {1: "Top answer", 2: "Top two answers", 3: "Top three answers"}
ANSWERS_COUNTED = "Answers counted"
_SHARE_OF = {
    "Top answer": "giving the top answer",
    "Top two answers": "giving one of the top two answers",
    "Top three answers": "giving one of the top three answers",
    ANSWERS_COUNTED: "giving the answers counted",
}


def share_of(what: str) -> str:
    """Whose share a figure is, after "the share": "answering “Yes”", or "giving one of the top two answers"."""
    return _SHARE_OF.get(what) or f"answering {_quote(what)}"


def headline_what(f: Finding) -> str:
    """What the headline's people said, as its sentence words it after "78% of children aged 8 to 11":
    "said they feel safe in their local area", or the answers counted and the question."""
    if f.phrase:
        return f"said {f.phrase.text}"
    answers = join_words([_quote(x) for x in answers_in(f.headline or "", f.table.labels)], "or")
    return f"answered {answers} to {_quote(f.question)}"


def headline(f: Finding) -> str:
    """The sentence a communications lead could paste."""
    threshold = f.table.policy.threshold
    if f.table.total.value is not None and f.table.total.value < threshold:
        return f"Fewer than {threshold} {f.subject} answered {_quote(f.question)}, so no figures are shown."
    if f.table.total.value is None:
        return _hidden_total(f)
    if f.headline is not None:
        cell = f.table.subtotals[f.headline]
        # Hidden because it is small or to protect another figure: the sentence must not say which.
        if cell.value is None:
            return (
                f"Of the {f.table.total.display} {f.subject} who answered {_quote(f.question)}, the number who gave "
                f"{join_words([_quote(x) for x in answers_in(f.headline, f.table.labels)], 'or')} is hidden to "
                f"protect privacy (it is small, or a small number could otherwise be worked out)."
            )
        if cell.percent is None:
            return f"Too few {f.subject} gave each answer to {_quote(f.question)} to publish the figures safely."
        what = headline_what(f)
        bounds = ci_words(cell, [line.theirs for line in f.comparisons])
        interval = f"weighted estimate, {bounds}; {f.table.total.display} answered" if f.weighted else bounds
        sentence = f"{pct(cell.percent)} of {f.subject} {what} ({interval})"
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
    if not ranked:  # every answer hidden: some may be large, hidden only to protect a small one elsewhere
        return (
            f"The answers of the {f.table.total.display} {f.subject} who answered {_quote(f.question)} are hidden "
            f"to protect privacy (some are small, or a small number could otherwise be worked out)."
        )
    tops, rest, certain = leaders(f.table, ranked, exclusive=f.kind == "single")
    certain = certain or f.top_shown is True
    base = f.table.total.display
    if f.kind == "single":
        if not certain and len(tops) > 1:
            return (
                f"Of the answers that can be published, {_leader_names(tops)} were given most often by {f.subject} "
                f"to {_quote(f.question)} ({_leader_shares(tops)}); {_HIDDEN_MAY_BE_MORE}."
            )
        if not certain:
            label, cell = tops[0]
            return (
                f"Of the answers that can be published, {_quote(label)} was given most often by {f.subject} to "
                f"{_quote(f.question)} ({pct(cell.percent or 0)}, {ci_words(cell)}); {_HIDDEN_MAY_BE_MORE}."
            )
        if len(tops) > 1:
            return (
                f"{_leader_names(tops)} were the joint most common answers from {f.subject} to "
                f"{_quote(f.question)} ({_leader_shares(tops)})."
            )
        label, cell = tops[0]
        return (
            f"The most common answer from {f.subject} to {_quote(f.question)} was {_quote(label)} "
            f"({pct(cell.percent or 0)}, {ci_words(cell)})."
        )
    if f.kind == "ranking":
        if not certain:
            lead = (
                f"Of the options that can be published, {_quote(tops[0][0])} was the one {f.subject} chose most often"
            )
        elif len(tops) > 1:
            lead = f"{_leader_names(tops)} were the options {f.subject} chose most often (joint top)"
        else:
            lead = f"{_quote(tops[0][0])} was the option {f.subject} chose most often"
        label, cell = tops[0]
        sentence = (
            f"{lead} for {_quote(f.question)}: {pct(cell.percent or 0)} of the {base} who answered put "
            f"{'each' if certain and len(tops) > 1 else 'it'} in their choices ({ci_words(cell)})"
        )
        firsts = _ranked(f.first_choices) if f.first_choices else []
        if firsts and f.first_choices is not None:
            first_tops, _, first_certain = leaders(f.first_choices, firsts, exclusive=True)
            if not first_certain:
                sentence += "; some first choices are hidden to protect privacy, so the most common is not named"
            elif len(first_tops) > 1:
                sentence += f"; the joint most common first choices were {_leader_names(first_tops)}"
            elif first_tops[0][0] == label and len(tops) == 1:
                sentence += f", and it was the most common first choice ({pct(first_tops[0][1].percent or 0)})"
            else:
                first_label, first_cell = first_tops[0]
                sentence += f"; the most common first choice was {_quote(first_label)} ({pct(first_cell.percent or 0)})"
        return sentence + (f"; {_HIDDEN_MAY_BE_MORE}." if not certain else ".")
    if not certain and len(tops) > 1:
        return (
            f"Of the answers that can be published, {_leader_names(tops)} were given most often to "
            f"{_quote(f.question)} by the {base} {f.subject} who answered ({_leader_shares(tops)}); "
            f"{_HIDDEN_MAY_BE_MORE}."
        )
    if not certain:
        label, cell = tops[0]
        return (
            f"Of the answers that can be published, {_quote(label)} was given most often to {_quote(f.question)}, "
            f"by {pct(cell.percent or 0)} of the {base} {f.subject} who answered ({ci_words(cell)}); "
            f"{_HIDDEN_MAY_BE_MORE}."
        )
    if len(tops) > 1:
        sentence = (
            f"{_leader_names(tops)} were the joint top answers given to {_quote(f.question)} by the {base} "
            f"{f.subject} who answered ({_leader_shares(tops)})"
        )
    else:
        label, cell = tops[0]
        sentence = (
            f"{_quote(label)} was the top answer given to {_quote(f.question)}, by {pct(cell.percent or 0)} of the "
            f"{base} {f.subject} who answered ({ci_words(cell)})"
        )
    if rest:
        # The next two, and any answer tied with the second: naming two of three equal answers ranks
        # them when nothing does.
        named = rest[:2] + [(lb, c) for lb, c in rest[2:] if tied(rest[min(1, len(rest) - 1)][1], c)]
        sentence += ", followed by " + join_words([_follower(tops[0][1], lb, c) for lb, c in named])
    return sentence + "."


def _follower(top: Cell, label: str, cell: Cell) -> str:
    """A runner-up, flagged when its share is inside the top answer's interval (the order is not certain)."""
    close = top.ci is not None and cell.percent is not None and top.ci[0] <= cell.percent
    return f"{_quote(label)} ({pct(cell.percent or 0)}{', not clearly below the top answer' if close else ''})"


_HIDDEN_MAY_BE_MORE = "some answers are hidden to protect privacy, so another answer may be as common or more common"


def _hidden_total(f: Finding) -> str:
    """The sentence when the number who answered is itself hidden (never claims it was small)."""
    shown = [c.value for _, c in f.table.items() if c.value] + [c.value for c in f.table.subtotals.values() if c.value]
    if shown and max(shown) >= f.table.policy.threshold:
        return (
            f"At least {max(shown):,} {f.subject} answered {_quote(f.question)}; the exact number is withheld so "
            f"that smaller hidden figures cannot be worked out, so no percentages are shown."
        )
    return f"No figures are shown for {_quote(f.question)} from {f.subject}, to protect privacy."


def _leader_names(tops: list[tuple[str, Cell]]) -> str:
    return join_words([_quote(label) for label, _ in tops])


def _leader_shares(tops: list[tuple[str, Cell]]) -> str:
    shares = {pct(c.percent or 0) for _, c in tops}
    if len(shares) == 1:
        return f"each {shares.pop()}"
    return join_words([pct(c.percent or 0) for _, c in tops])


def _ranked(table: ProtectedCounts) -> list[tuple[str, Cell]]:
    """Published answers with a percentage, most common first (the ranking of reasons)."""
    shown = [(label, cell) for label, cell in table.items() if cell.percent is not None and cell.value]
    return sorted(shown, key=lambda item: -(item[1].percent or 0))


def test_words(test: Comparison | ChiSquare) -> str:
    """ "p = 0.004", or "adjusted p = 0.03, unadjusted p = 0.004" once adjusted for the report's other tests.

    The adjusted value decides "significant", so it comes first: "no significant difference (p = 0.04,
    adjusted p = 0.06)" read, to anyone who knows p = 0.04 is below 0.05, as a contradiction."""
    if test.adjusted_p is None:
        return p_words(test.p_value)
    return f"adjusted {p_words(test.adjusted_p)}, unadjusted {p_words(test.p_value)}"


def breakdown_sentence(
    question: Question | None, title: str, table: ProtectedTable, focus: str | None, test: ChiSquare | None
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
    groups = [(r, label) for r, label in enumerate(table.row_labels) if label != "Not known"]
    if len(groups) < 2:
        only = f" ({groups[0][1]})" if groups else ""
        return (
            f"Everyone who answered and whose {title} is known was in one group{only}, so there is nothing to compare."
        )
    shown = [(cells[r].percent or 0, label) for r, label in groups if cells[r].percent is not None]
    if len(shown) < 2:
        threshold = table.policy.threshold
        bases = [table.row_totals[r].value for r, _ in groups]
        if all(base is not None and base < threshold for base in bases):
            return f"Too few people answered in each {title} group to compare them."
        # A group's base may be hidden to protect another table, not because it is small: never say "too few".
        if shown:
            others = "the other is" if len(groups) == 2 else "the others are"
            return (
                f"Only one {title} group's figure for {_quote(what)} can be shown ({shown[0][1]}); {others} "
                f"hidden to protect privacy (some groups are small, or a small number could otherwise be worked "
                f"out), so the groups are not compared."
            )
        return (
            f"The figures for {_quote(what)} by {title} are hidden to protect privacy (some groups are small, or "
            f"a small number could otherwise be worked out), so the groups are not compared."
        )
    low, high = min(shown)[0], max(shown)[0]
    # Groups tied at either end are all named: "to 78% (Children and Young adults)", not one of them.
    low_label = join_words([label for value, label in shown if pct(value) == pct(low)])
    high_label = join_words([label for value, label in shown if pct(value) == pct(high)])
    spread = f"the share {share_of(what)} ranged from {pct(low)} ({low_label}) to {pct(high)} ({high_label})"
    if test is None or test.p_value != test.p_value:
        return f"By {title}, {spread}."
    caution = "" if test.reliable else " Some groups are small, so treat this with caution."
    name = "chi-square" if test.method == "Pearson" else f"{test.method} chi-square"
    if test.significant:
        return f"Answers differed significantly by {title} ({name}, {test_words(test)}): {spread}.{caution}"
    return (
        f"There was no statistically significant difference by {title} ({name}, {test_words(test)}); {spread}.{caution}"
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
        # Weighted percentages beside counts of people: say which is which.
        out.append(f"  {'Answer':<48}{'People':>9}{'Wtd %' if f.weighted else '%':>7}  95% CI")
        rows = list(f.table.items()) + [
            (f"{label} (together)", cell) for label, cell in f.table.subtotals.items() if label not in f.table.labels
        ]  # a one-answer "top box" is its row
        for label, cell in rows:
            out.append(f"  {label[:47]:<48}{cell.display:>9}{cell.percent_display():>7}  {cell.ci_display()}")
        total_label = "Total who answered (unweighted)" if f.weighted else "Total who answered"
        out.append(f"  {total_label:<48}{f.table.total.display:>9}")
        if f.first_choices is not None:
            out.append(
                "  First choices: " + "; ".join(f"{label}: {_cell_text(c)}" for label, c in f.first_choices.items())
            )
        for line in f.comparisons:
            out.append(
                f"  Compared with {line.label} ({line.theirs:g}%): {line.words.replace(' to', '').replace(' than', '')}, "
                f"{test_words(line.test)}. {line.citation}"
            )
        for b in f.breakdowns:
            out += ["", f"  By {b.title}: {b.statement}"]
            # A one-answer "top box" is already its column: print it once.
            sums = {name: cells for name, cells in b.table.subtotals.items() if name not in b.table.col_labels}
            columns = list(b.table.col_labels) + list(sums)
            out.append("    " + " | ".join(["Group", "Base (unweighted)" if f.weighted else "Base", *columns]))
            for r, label in enumerate(b.table.row_labels):
                cells = [*b.table.cells[r], *(rows_[r] for rows_, _ in sums.values())]
                out.append("    " + " | ".join([label, b.table.row_totals[r].display, *map(_cell_text, cells)]))
            totals = [*b.table.col_totals, *(total for _, total in sums.values())]
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
                "adjusted_p_value": c.test.adjusted_p,
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
                    "adjusted_p_value": b.test.adjusted_p,
                    "method": b.test.method,
                    "significant": b.test.significant,
                    "min_expected": b.test.min_expected,
                },
            }
            for b in f.breakdowns
        ],
        "weighted": f.weighted,
        "weighting": f.weighting,
        "notes": f.notes,
    }


def to_json(findings: Sequence[Finding]) -> str:
    """Findings as JSON."""
    return json.dumps([to_dict(f) for f in findings], indent=2, ensure_ascii=False, default=float)
