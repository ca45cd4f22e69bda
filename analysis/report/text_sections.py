"""The free-text sections: themes by audience, quotes from the quote bank, and word clouds.

Themes are counted in people, not answers (one person writing about police in two boxes counts
once), and the audiences × themes table goes through `protect_publication` like any tick-all question.
It counts different units from every other table in the report (people who wrote free text, known
only by the text records' respondent labels) and shares no margin with the findings or the response
counts, so it is a publication link of its own. The word clouds' tables count the same people (a
person who used a word counts once), so each audience's word table is protected on that link with
the themes table (`publish_text`): a word used by exactly the people who raised a theme would
otherwise repeat a count the themes table hides.
Differences between audiences are called "more often" only when a two-proportion test says so after
a Bonferroni adjustment for the number of themes compared; otherwise "similar".
"""

from __future__ import annotations

import base64
import hashlib
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from analysis import wording
from analysis.disclosure import Cell, DisclosurePolicy, LinkedTable, ProtectedTable, protect_publication, published_rank
from analysis.disclosure.words import shown_words, word_table
from analysis.quotes.bank import ProposedQuote, propose_quotes
from analysis.quotes.chosen import CHOSEN_FOR, chosen_quotes
from analysis.quotes.redaction import Redactor
from analysis.report.model import Bar, Block, Chart, Figure, Quote, Row, Section, Table, WordCloud, audience_label
from analysis.stats import two_proportion_test
from analysis.text.records import OTHER_CODES, WAITING, TextAnswer
from analysis.text.words import answer_words, draw, one_form

#: How many answers of each theme the quote bank reads (see `quote_pool`).
QUOTE_POOL = 120
#: The link of every table counting the people who wrote free text (no other table counts them).
WRITERS = "free-text writers"

if TYPE_CHECKING:
    from analysis.report.build import ReportData, ReportSpec


def theme_counts(data: ReportData, audiences: list[str]) -> tuple[list[str], list[int], dict[str, list[int]]]:
    """Themes (most raised first), people with an answer per audience, and people per theme per audience."""
    people: dict[str, set[str]] = defaultdict(set)
    raised: dict[tuple[str, str], set[str]] = defaultdict(set)
    for i, record in enumerate(data.text):
        if record.audience not in audiences or not record.text.strip():
            continue
        who = record.respondent or f"answer-{i}"
        people[record.audience].add(who)
        for theme in record.themes:
            if theme not in OTHER_CODES:
                raised[(theme, record.audience)].add(who)
    themes = sorted({t for t, _ in raised}, key=lambda t: (-sum(len(raised[(t, a)]) for a in audiences), t))
    counts = {t: [len(raised[(t, a)]) for a in audiences] for t in themes}
    return themes, [len(people[a]) for a in audiences], counts


@dataclass
class Writers:
    """The people who wrote a free-text answer, in one order: their audience, themes and answers."""

    audience_of: list[str] = field(default_factory=list)
    themes_of: list[set[str]] = field(default_factory=list)
    answers_of: list[list[int]] = field(default_factory=list)


def writers(data: ReportData, audiences: list[str]) -> Writers:
    """Everyone in `audiences` with a non-blank free-text answer (one person however many answers)."""
    people: dict[str, int] = {}
    out = Writers()
    for i, record in enumerate(data.text):
        if record.audience not in audiences or not record.text.strip():
            continue
        who = people.setdefault(record.respondent or f"answer-{i}", len(people))
        if who == len(out.audience_of):
            out.audience_of.append(record.audience)
            out.themes_of.append(set())
            out.answers_of.append([])
        out.themes_of[who] |= {t for t in record.themes if t not in OTHER_CODES}
        out.answers_of[who].append(i)
    return out


def themes_table(
    data: ReportData, audiences: list[str], keys: list[str], labels: list[str], people: Writers | None = None
) -> LinkedTable:
    """Audiences × themes as sets of the people who wrote free text (its own link: no other table counts them)."""
    people = people or writers(data, audiences)
    return LinkedTable(
        [np.array([a == audience for a in people.audience_of], dtype=bool) for audience in audiences],
        [np.array([t in raised for raised in people.themes_of], dtype=bool) for t in keys],
        [audience_label(a) for a in audiences],
        labels,
        exclusive=False,
        link=WRITERS,
    )


@dataclass
class TextPublication:
    """The themes-by-audience table and each audience's word table, protected as one publication."""

    present: list[str]
    keys: list[str]
    labels: list[str]
    themes: ProtectedTable | None
    #: audience -> its protected word table (only when word clouds are published)
    words: dict[str, ProtectedTable] = field(default_factory=dict)


def publish_text(data: ReportData, audiences: list[str], policy: DisclosurePolicy, words: bool) -> TextPublication:
    """Protect the themes table, and with `words` each audience's word table, together.

    A word table counts the same people as the themes table (a person who used a word in any
    answer counts once), so a word used by exactly the people who raised a theme would otherwise
    repeat a count the themes table hides: they are one system for the LP attacker.
    """
    keys, bases, _ = theme_counts(data, audiences)
    present = [a for a, n in zip(audiences, bases, strict=True) if n]
    labels = [data.theme_labels.get(t, t.replace("_", " ").capitalize()) for t in keys]
    people = writers(data, present)
    tables = [themes_table(data, present, keys, labels, people)] if keys and present else []
    if words and present:
        tables += word_tables(data, people, present, policy.threshold)
    protected = protect_publication(tables, policy) if tables else []
    themes = protected.pop(0) if keys and present else None
    return TextPublication(present, keys, labels, themes, dict(zip(present if words else [], protected, strict=True)))


def word_tables(data: ReportData, people: Writers, audiences: list[str], threshold: int) -> list[LinkedTable]:
    """One word table per audience, over the same people as the themes table, from redacted answers."""
    redactor = data.redactor or Redactor()
    words_of = one_form(
        [
            frozenset().union(*(answer_words(redactor.redact(data.text[i].text).text) for i in answers))
            for answers in people.answers_of
        ]
    )
    audience_of = np.array(people.audience_of, dtype=object)
    return [
        word_table(audience_of == a, words_of, label=audience_label(a), threshold=threshold, link=WRITERS)
        for a in audiences
    ]


def themes(
    data: ReportData,
    audiences: list[str],
    policy: DisclosurePolicy,
    title: str,
    published: TextPublication | None = None,
) -> tuple[Section, Table | None]:
    """Counts per theme per audience (protected together, with the word tables when `published`
    has them) and how the audiences differ."""
    section = Section("themes", "themes", title)
    keys, bases, counts = theme_counts(data, audiences)
    published = published or publish_text(data, audiences, policy, words=False)
    present, labels, protected = published.present, published.labels, published.themes
    if protected is None:
        section.paragraphs.append("The free-text answers have not yet been analysed for themes.")
        return section, None
    index = [audiences.index(a) for a in present]
    order = published_order(protected)
    rows = [Row(labels[j], [Figure.from_cell(protected.cells[r][j]) for r in range(len(present))]) for j in order]
    table = Table(
        "themes-table",
        "Themes raised in free-text answers, by audience: people raising each theme, and the share of the "
        "audience's people who wrote an answer (base in the first row). People could raise several themes.",
        "Theme",
        [audience_label(a) for a in present],
        [Row("People who wrote an answer", [Figure.count(c) for c in protected.row_totals])] + rows,
        base_header="",
    )
    true_counts = [[counts[t][i] for i in index] for t in keys]
    unfinished = _unfinished(data, present, policy.threshold, section)
    section.paragraphs += _differences(protected, labels, true_counts, bases, index, order, unfinished)
    for r, audience in enumerate(present):
        cells = [(labels[j], protected.cells[r][j]) for j in range(len(labels))]
        top = sorted((x for x in cells if x[1].percent is not None and x[1].value), key=lambda x: -(x[1].percent or 0))
        if not top:
            continue
        who = audience_label(audience).lower()
        some_hidden = any(c.suppressed for c in protected.cells[r])
        statement = _top_theme(who, top, protected.row_totals[r].display, some_hidden)
        block_id = f"themes-{audience}"
        own = Table(
            f"{block_id}-table",
            f"The themes {who} raised most often in free-text answers: people raising each, and their share of "
            f"the {protected.row_totals[r].display} {who} who wrote an answer.",
            "Theme",
            ["People (%)"],
            [Row(label, [Figure.from_cell(cell)]) for label, cell in top[:8]],
            base_header="",
        )
        chart = Chart(
            f"{block_id}-chart",
            f"Themes raised by {who}",
            f"Bar chart: Themes raised by {who}. {statement}",
            [Bar(label, Figure.from_cell(cell)) for label, cell in top[:8]],
            own.id,
        )
        section.blocks.append(Block(block_id, f"Themes raised by {who}", statement, own, chart))
    section.tables.append(table)
    return section, table


def published_order(table: ProtectedTable) -> list[int]:
    """The table's columns, most people first by what it publishes (a hidden count never places a theme)."""

    def shown(j: int) -> int:
        return sum(row[j].value or 0 for row in table.cells if not row[j].suppressed)

    return sorted(range(len(table.col_labels)), key=lambda j: published_rank(shown(j), table.col_labels[j]))


def _top_theme(who: str, top: list[tuple[str, Cell]], base: str, some_hidden: bool = False) -> str:
    """The most raised theme; or, when the next one's interval overlaps it, both as similar (or joint).

    With `some_hidden` (a theme's figure for these people is hidden), a hidden theme may have been
    raised more, so the sentence speaks only of the themes it can show.
    """
    (label, cell) = top[0]
    out = f"\u201c{label}\u201d ({wording.pct(cell.percent or 0)})"
    among = f"the {base} {who} who wrote an answer"
    lead = "Of the themes that can be shown, " if some_hidden else ""
    hidden = " Some themes' figures are hidden to protect privacy." if some_hidden else ""
    if len(top) > 1:
        other, second = top[1]
        close = cell.ci is not None and second.ci is not None and cell.ci[0] <= second.ci[1]
        if second.percent == cell.percent or close:
            how = "joint most raised" if second.percent == cell.percent else "the most raised, with similar shares"
            pair = f"\u201c{label}\u201d ({wording.pct(cell.percent or 0)}) and \u201c{other}\u201d ({wording.pct(second.percent or 0)})"
            return f"{lead}{pair} were {how} among {among}.{hidden}"
    if some_hidden:
        return f"{lead}the one raised most often by {among} was {out}.{hidden}"
    return f"The theme raised most often by {among} was {out}."


#: An audience with at least this share of its free-text answers waiting for review is not compared:
#: its theme counts are too far from what its people said.
UNFINISHED_SHARE = 0.2
#: How the themes section starts to say that some answers still wait for review.
NOT_FINISHED = "Coding is not finished"


def _unfinished(data: ReportData, present: list[str], threshold: int, section: Section) -> set[int]:
    """Say how much coding is left when some answers still wait for review; the rows (audiences) whose
    counts are too unfinished to compare."""
    answers = [r for r in data.text if r.audience in present and r.text.strip()]
    waiting = [r for r in answers if r.extra.get(WAITING)]
    if not waiting:
        return set()
    how_many = f"{len(waiting):,} of the {len(answers):,}" if len(waiting) >= threshold else "a few of the"
    out = set()
    for r, audience in enumerate(present):
        own = [a for a in answers if a.audience == audience]
        if own and sum(1 for a in own if a.extra.get(WAITING)) >= UNFINISHED_SHARE * len(own):
            out.add(r)
    text = (
        f"{NOT_FINISHED}: {how_many} free-text answers are still waiting for a person to check the "
        "themes the computer was unsure of. Until then they count under no theme, so the figures below will "
        "rise as they are reviewed"
    )
    if out and len(out) == len(present):
        text += "; so many are waiting that no audiences are compared yet"
    elif out:
        who = wording.join_words([audience_label(present[r]).lower() for r in sorted(out)])
        text += (
            f"; a fifth or more of the answers of {who} are waiting, so their figures are not compared with "
            "other audiences'"
        )
    section.paragraphs.append(text + ".")
    return out


def _differences(
    protected: ProtectedTable,
    labels: list[str],
    counts: list[list[int]],
    bases: list[int],
    index: list[int],
    order: list[int],
    unfinished: Collection[int] = (),
) -> list[str]:
    """For each theme (in the table's `order`), how the audiences with published shares differ
    (adjusted for the number of themes), leaving out the `unfinished` rows."""
    tests = []
    for j in order:
        label = labels[j]
        # 0% is a share like any other (nobody in that audience raised it); a hidden count or a
        # percentage withheld for a small base is not, and must not leak through this sentence.
        shown = [
            (cell.percent, r)
            for r in range(len(index))
            if (cell := protected.cells[r][j]).value is not None and cell.percent is not None and r not in unfinished
        ]
        if len(shown) < 2 or not max(shown)[0]:
            continue
        (low, lo), (high, hi) = min(shown), max(shown)
        test = two_proportion_test(counts[j][hi], bases[index[hi]], counts[j][lo], bases[index[lo]])
        tests.append((label, protected.row_labels[hi], high, protected.row_labels[lo], low, test.p_value))
    out = []
    for label, hi_label, high, lo_label, low, p in tests:
        if p < 0.05 / len(tests):
            out.append(
                f"\u201c{label}\u201d was raised more often by {hi_label.lower()} ({wording.pct(high)}) than by "
                f"{lo_label.lower()} ({wording.pct(low)})."
            )
        else:
            out.append(
                f"\u201c{label}\u201d was raised by similar shares of each audience "
                f"(from {wording.pct(low)} of {lo_label.lower()} to {wording.pct(high)} of {hi_label.lower()})."
            )
    return out


def quote_pool(records: list[TextAnswer], per_theme: int = QUOTE_POOL) -> list[TextAnswer]:
    """At most `per_theme` answers of each theme, the same ones every time (chosen by a hash of who wrote them).

    Redaction takes milliseconds an answer, so the bank reads a fixed-size sample of a large theme:
    typical answers stay typical in a sample of hundreds, and a build of 100,000 responses stays fast.
    """
    order = sorted(
        range(len(records)),
        key=lambda i: hashlib.blake2b(
            f"{records[i].respondent or i}:{records[i].text}".encode(), digest_size=8
        ).digest(),
    )
    taken: dict[str, int] = defaultdict(int)
    keep = set()
    for i in order:
        themes = [t for t in records[i].themes if taken[t] < per_theme]
        if themes:
            keep.add(i)
            for t in records[i].themes:
                taken[t] += 1
    return [records[i] for i in sorted(keep)]


def quotes(data: ReportData, audiences: list[str], spec: ReportSpec, title: str) -> Section:
    """The lead's chosen quotes, or the bank's first proposals per theme (redacted, coarsely attributed).

    The quotes the lead chose in the quote bank (records marked `extra["chosen_for"]`, see
    `analysis.report.text_load`) are all printed: they were read and chosen for publication. Only
    without a choice does the bank pick, at most `spec.max_quotes` of them."""
    section = Section("quotes", "quotes", title)
    chosen: list[ProposedQuote]
    limit: int | None = spec.max_quotes
    if data.quotes is not None:
        chosen = list(data.quotes)
    elif any(record.extra.get(CHOSEN_FOR) for record in data.text):
        chosen = chosen_quotes(
            data.text,
            data.redactor or Redactor(),
            data.population if data.population is not None else data.text,
            spec.threshold,
            data.theme_labels,
        )
        limit = None
    else:
        bank = propose_quotes(
            quote_pool([r for r in data.text if r.audience in audiences]),
            per_theme=spec.quotes_per_theme,
            redactor=data.redactor,
            population=data.population if data.population is not None else data.text,
            threshold=spec.threshold,
        )
        chosen = [q for theme in sorted(bank.quotes) for q in bank.quotes[theme]]
    for q in [q for q in chosen if q.audience in audiences][:limit]:
        label = data.theme_labels.get(q.theme, q.theme.replace("_", " ").capitalize())
        section.quotes.append(Quote(q.theme, label, q.text, q.attribution or "", q.audience))
    if section.quotes:
        section.paragraphs.append(
            "Quotes have names, places, schools and contact details removed "
            "(shown in square brackets). Who said them is described only as broadly as keeps them anonymous."
        )
    else:
        section.paragraphs.append("No quotes were chosen for this report.")
    return section


def clouds(published: TextPublication, policy: DisclosurePolicy, title: str) -> Section:
    """A word cloud per audience with a published word, drawn from the shown words of its table only."""
    section = Section("word_clouds", "word_clouds", title)
    for audience, protected in published.words.items():
        shown = shown_words(protected)
        if not shown:
            continue
        frequencies = {word: cell.value or 0 for word, cell in shown}
        cloud = draw(frequencies, audience, protected.row_totals[0].value or 0, threshold=policy.threshold)
        who = audience_label(audience).lower()
        table = Table(
            f"cloud-{audience}-table",
            f"Words used most often by {who} in free-text answers (number of people using each word).",
            "Word",
            ["People"],
            [Row(word, [Figure.count(cell)]) for word, cell in shown],
            base_header="",
        )
        section.clouds.append(
            WordCloud(
                audience,
                f"Words used by {who}",
                f"Word cloud of the words {who} used most often; the largest are: {', '.join(list(frequencies)[:5])}.",
                cloud.svg,
                base64.b64encode(cloud.png).decode("ascii"),
                table,
            )
        )
    section.paragraphs.append(
        "Word clouds are drawn from redacted answers. A word appears only if at least "
        f"{policy.threshold} people in the group used it, counted once however often they wrote it, and "
        "only where its count cannot help work out a figure hidden elsewhere in the report. Bigger words were "
        "used by more people."
    )
    section.paragraphs.append("The table below each cloud gives the counts.")
    return section
