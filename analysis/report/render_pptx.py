"""A short slide pack for briefings (python-pptx): the headline figures, one finding and its chart per slide.

Title slide (the date in words); the lead's narrative beside each section that has one; the headline
figures; up to `MAX_FINDING_SLIDES` findings (comparisons, top reasons, themes), chosen so every
section with a finding is represented; the priorities key and what the partnership will do; a few
quotes; what the figures mean. Whatever did not fit is counted on a last slide that says where the
full report has it: a briefing that silently drops findings reads as if there were no more.

Every chart picture has alt text (its `p:cNvPr` `descr`), and the sentence on the slide says the
finding in words, so nothing rests on the picture alone. A hidden figure is the engine's "[c]", as in
every other format, and a slide that shows one carries the suppression note.
"""

from __future__ import annotations

import base64
import io
import itertools
import math
from dataclasses import dataclass, field
from typing import Any

from analysis.report import charts
from analysis.report.layout import (
    headline_lines,
    key_line,
    long_date,
    narrative_paragraphs,
    priority_grid,
    quote_source,
    set_properties,
    subtitle,
)
from analysis.report.model import Block, FindingsReport, HeadlineFigure, Priority, Section
from analysis.wording import join_words

MAX_FINDING_SLIDES = 12
#: Headline figures per slide, and how many slides of them a pack has at most.
HEADLINES_PER_SLIDE = 4
MAX_HEADLINE_SLIDES = 2
#: "What we will do" responses per slide (they are the lead's own words, so all of them are shown).
RESPONSES_PER_SLIDE = 4
MAX_QUOTES = 4
#: Word clouds a pack shows, one slide each (a campaign has one per audience, at most five).
MAX_CLOUDS = 5
#: How many of a cloud's words the slide names with their counts, so it says what the picture shows.
CLOUD_WORDS = 8
#: The sections whose findings get a slide each (a chart and its sentence).
FINDING_KINDS = ("comparisons", "reasons", "themes")
TITLE_ONLY = 5  #: the default template's "Title Only" layout
TITLE_SLIDE = 0


def _pptx() -> Any:
    # python-pptx loads lxml and its template; only slide output needs it.
    import pptx

    return pptx


@dataclass
class _LeftOut:
    """What the pack had no room for, by section title, so the last slide can say so."""

    findings: dict[str, int] = field(default_factory=dict)
    headlines: int = 0
    quotes: int = 0
    clouds: int = 0


def chosen_findings(report: FindingsReport, limit: int = MAX_FINDING_SLIDES) -> list[Block]:
    """The findings that get a slide: taken in turn from each section, so none is crowded out by another.

    Taking the first blocks in order would give every slide to the comparisons and themes of a large
    campaign and leave out every top reason; round-robin keeps each section's first findings.
    """
    pools = [_finding_blocks(s) for s in report.sections if s.kind in FINDING_KINDS]
    blocks = [b for pool in pools for b in pool]
    starts = [0, *itertools.accumulate(len(pool) for pool in pools)]
    picked = _in_turn([list(range(a, b)) for a, b in itertools.pairwise(starts)], limit)
    return [b for i, b in enumerate(blocks) if i in picked]


def chosen_headlines(headlines: list[HeadlineFigure], limit: int) -> list[HeadlineFigure]:
    """The headline figures that get a slide: taken in turn from each audience, in the report's order.

    The first eight in order were all young people's, and no parent or young adult reached the pack.
    """
    by_who: dict[str, list[int]] = {}
    for i, h in enumerate(headlines):
        by_who.setdefault(h.who, []).append(i)
    # Within an audience, a figure that differs significantly from a benchmark or an earlier survey is
    # taken first: "lower than the national figure" is what a briefing is for.
    for positions in by_who.values():
        positions.sort(key=lambda i: not any(c.significant for c in headlines[i].comparisons))
    picked = _in_turn(list(by_who.values()), limit)
    return [h for i, h in enumerate(headlines) if i in picked]


def _in_turn(pools: list[list[int]], limit: int) -> set[int]:
    """Up to `limit` positions, taken first from each pool in turn, then second, and so on."""
    picked: set[int] = set()
    for depth in range(max((len(pool) for pool in pools), default=0)):
        for pool in pools:
            if depth < len(pool) and len(picked) < limit:
                picked.add(pool[depth])
    return picked


def _finding_blocks(section: Section) -> list[Block]:
    """A section's findings that can have a slide of their own: those with a chart."""
    return [b for b in section.blocks if b.chart is not None]


def render_pptx(report: FindingsReport) -> bytes:
    """The slide pack as .pptx bytes."""
    pptx = _pptx()
    deck = pptx.Presentation()
    deck.slide_width, deck.slide_height = pptx.util.Inches(13.333), pptx.util.Inches(7.5)
    set_properties(deck.core_properties, report)
    first = deck.slides.add_slide(deck.slide_layouts[TITLE_SLIDE])
    first.shapes.title.text = report.title
    first.placeholders[1].text = subtitle(report)
    # The default template is 10 inches wide: its boxes are moved out to the 13.33-inch slide.
    _place(first.shapes.title, 1.9, 2.2)
    _place(first.placeholders[1], 4.3, 1.5)
    shown = {b.id for b in chosen_findings(report)}
    left = _LeftOut()
    for section in report.sections:
        if section.narrative.strip():
            _narrative(deck, section)
        if section.kind == "headlines":
            left.headlines = _headlines(deck, section, report)
        elif section.kind in FINDING_KINDS:
            blocks = _finding_blocks(section)
            for block in blocks:
                if block.id in shown:
                    _finding(deck, block, report)
            missing = sum(1 for b in blocks if b.id not in shown)
            if missing:
                left.findings[section.title] = missing
        elif section.kind == "priorities" and section.priorities:
            _priorities(deck, section)
        elif section.kind == "quotes" and section.quotes:
            left.quotes = _quotes(deck, section)
        elif section.kind == "word_clouds" and section.clouds:
            left.clouds = _clouds(deck, section)
    slide = _titled(deck, "About these figures")
    _text(
        slide,
        f"Answers received by {long_date(report.data_date)}. Percentages have 95% confidence intervals; "
        f"differences are called higher or lower only when a test finds them significant after adjusting "
        f"for the number of comparisons in the report (adjusted p below 0.05).\n\n"
        f"{report.suppression_note}",
        1.5,
        5.5,
        16,
    )
    if left.findings or left.headlines or left.quotes or left.clouds:
        _left_out(deck, report, left)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _narrative(deck: Any, section: Section) -> None:
    util = _pptx().util
    slide = _titled(deck, section.title)
    box = slide.shapes.add_textbox(util.Inches(0.6), util.Inches(1.5), util.Inches(12.1), util.Inches(5.5))
    box.text_frame.word_wrap = True
    for n, lines in enumerate(narrative_paragraphs(section.narrative)):
        paragraph = box.text_frame.paragraphs[0] if n == 0 else box.text_frame.add_paragraph()
        # "\v" is a line break inside the paragraph; space after, not an empty paragraph, parts them.
        paragraph.text = "\v".join(lines)
        paragraph.font.size = util.Pt(20)
        paragraph.space_after = util.Pt(12)


def _headlines(deck: Any, section: Section, report: FindingsReport) -> int:
    """Slides of headline figures (big number, then who, what and the base); returns how many were left out."""
    figures = chosen_headlines(section.headlines, HEADLINES_PER_SLIDE * MAX_HEADLINE_SLIDES)
    if not figures:
        return 0
    pages = [figures[i : i + HEADLINES_PER_SLIDE] for i in range(0, len(figures), HEADLINES_PER_SLIDE)]
    for n, page in enumerate(pages):
        title = section.title if len(pages) == 1 else f"{section.title} ({n + 1} of {len(pages)})"
        slide = _titled(deck, title)
        height = 5.2 / len(page)
        for i, h in enumerate(page):
            _headline(slide, h, 1.4 + i * height, height)
        if any(h.figure.suppressed or h.base.suppressed for h in page):
            _text(slide, report.suppression_note, 6.7, 0.6, 11)
    return len(section.headlines) - len(figures)


def _headline(slide: Any, h: HeadlineFigure, top: float, height: float) -> None:
    util = _pptx().util
    big, words = headline_lines(h)
    box = slide.shapes.add_textbox(util.Inches(0.6), util.Inches(top), util.Inches(12.1), util.Inches(height))
    box.text_frame.word_wrap = True
    paragraph = box.text_frame.paragraphs[0]
    figure = paragraph.add_run()
    figure.text = big
    figure.font.size = util.Pt(28)
    figure.font.bold = True
    # The figure stands above its sentence, as on a card: run on, it read "78% 78% of children …".
    paragraph.add_line_break()
    text = paragraph.add_run()
    text.text = words
    text.font.size = util.Pt(13)


def _priorities(deck: Any, section: Section) -> None:
    pptx = _pptx()
    header, rows = priority_grid(section.priorities)
    slide = _titled(deck, section.title)
    shape = slide.shapes.add_table(
        len(rows) + 1,
        len(header),
        pptx.util.Inches(0.6),
        pptx.util.Inches(1.5),
        pptx.util.Inches(12),
        pptx.util.Inches(4.5),
    )
    for j, text in enumerate(header):
        shape.table.cell(0, j).text = text
    for i, line in enumerate(rows, 1):
        for j, text in enumerate(line):
            shape.table.cell(i, j).text = text
    key = key_line(section.key)
    _text(slide, " ".join([*section.paragraphs, key]), 6.3, 0.8, 12)  # the paragraphs say why a key is not yet known
    answered: list[Priority] = [p for p in section.priorities if p.response.strip()]
    # Shared evenly between the slides needed (5 as 3 and 2, not 4 and a slide of one).
    per_slide = math.ceil(len(answered) / math.ceil(len(answered) / RESPONSES_PER_SLIDE)) if answered else 1
    pages = [answered[i : i + per_slide] for i in range(0, len(answered), per_slide)]
    for n, page in enumerate(pages):
        title = "What we will do" if len(pages) == 1 else f"What we will do ({n + 1} of {len(pages)})"
        _text(
            _titled(deck, title),
            "\n\n".join(f"{p.label}: {p.response.strip()}" for p in page),
            1.5,
            5.5,
            18,
        )


def _quotes(deck: Any, section: Section) -> int:
    """A slide of the first quotes; returns how many were left out."""
    slide = _titled(deck, section.title)
    lines = [f"\u201c{q.text}\u201d \u2014 {quote_source(q)}" for q in section.quotes[:MAX_QUOTES]]
    _text(slide, "\n\n".join(lines), 1.5, 5.5, 18)
    return max(0, len(section.quotes) - MAX_QUOTES)


def _clouds(deck: Any, section: Section) -> int:
    """A slide per word cloud: the picture, and its most used words with how many people used each."""
    util = _pptx().util
    for cloud in section.clouds[:MAX_CLOUDS]:
        slide = _titled(deck, cloud.label)
        words = [f"{row.label} ({row.cells[0].display})" for row in cloud.table.rows[:CLOUD_WORDS]]
        _text(slide, "Used by the most people: " + ", ".join(words) + ".", 1.4, 0.8, 16)
        picture = slide.shapes.add_picture(
            io.BytesIO(base64.b64decode(cloud.png_base64)), util.Inches(0.6), util.Inches(2.3), height=util.Inches(4.2)
        )
        picture._element.nvPicPr.cNvPr.set("descr", cloud.alt)
        picture._element.nvPicPr.cNvPr.set("title", cloud.label)
        # Who counts and why some words are missing; the paragraph after it points to tables the slide has not.
        _text(slide, section.paragraphs[0], 6.6, 0.6, 11)
    return max(0, len(section.clouds) - MAX_CLOUDS)


def _left_out(deck: Any, report: FindingsReport, left: _LeftOut) -> None:
    """Say what the full report has that the slides do not, and under which headings."""
    total = sum(len(_finding_blocks(s)) for s in report.sections if s.kind in FINDING_KINDS)
    lines = []
    if left.findings:
        omitted = sum(left.findings.values())
        titles = [f"\u201c{title}\u201d" for title in left.findings]
        where = (
            f": {join_words([f'{n} under {t}' for t, n in zip(titles, left.findings.values(), strict=True)])}"
            if len(titles) > 1
            else f" under {titles[0]}"
        )
        lines.append(
            f"These slides show {total - omitted} of the report's {total} charts. "
            f"The full report has the other {omitted}{where}."
        )
    if left.headlines:
        lines.append(f"{_more(left.headlines, 'headline figure')} in the full report.")
    if left.quotes:
        lines.append(f"{_more(left.quotes, 'quote')} in the full report.")
    if left.clouds:
        lines.append(f"{_more(left.clouds, 'word cloud')} in the full report.")
    lines.append(
        f"The full report is \u201c{report.title}\u201d (answers received by {long_date(report.data_date)}), "
        "as a web page, PDF and Word document, with the table behind every figure."
    )
    _text(_titled(deck, "More in the full report"), "\n\n".join(lines), 1.5, 5.5, 18)


def _more(n: int, thing: str) -> str:
    """ "1 more quote is", "3 more quotes are"."""
    return f"1 more {thing} is" if n == 1 else f"{n} more {thing}s are"


def _titled(deck: Any, title: str, size: int = 28) -> Any:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    slide.shapes.title.text = title
    _place(slide.shapes.title, 0.25, 1.1)  # above the body, which starts at 1.4 inches
    slide.shapes.title.text_frame.paragraphs[0].font.size = _pptx().util.Pt(size)
    return slide


def _place(shape: Any, top: float, height: float) -> None:
    """Across the slide's width, with the body's margins (the template's boxes are for a 10-inch slide)."""
    util = _pptx().util
    shape.left, shape.width = util.Inches(0.6), util.Inches(12.1)
    shape.top, shape.height = util.Inches(top), util.Inches(height)


#: Titles up to this many characters fit two lines at 28 pt; longer ones are set smaller, and beyond
#: TITLE_MOST cut at a whole word ("…spend their fre..." read as a typo).
TITLE_FULL_SIZE = 90
TITLE_MOST = 140


def _slide_title(title: str) -> str:
    if len(title) <= TITLE_MOST:
        return title
    return title[: TITLE_MOST - 1].rsplit(" ", 1)[0].rstrip(",;:(") + "\u2026"


def _text(slide: Any, text: str, top: float, height: float, size: int) -> None:
    util = _pptx().util
    box = slide.shapes.add_textbox(util.Inches(0.6), util.Inches(top), util.Inches(12.1), util.Inches(height))
    box.text_frame.word_wrap = True
    for n, part in enumerate(text.split("\n")):
        paragraph = box.text_frame.paragraphs[0] if n == 0 else box.text_frame.add_paragraph()
        paragraph.text = part
        paragraph.font.size = util.Pt(size)


def _finding(deck: Any, block: Block, report: FindingsReport) -> None:
    assert block.chart is not None
    util = _pptx().util
    slide = _titled(deck, _slide_title(block.title), 28 if len(block.title) <= TITLE_FULL_SIZE else 22)
    _text(slide, block.statement, 1.4, 1.2, 16)
    width, height = charts.size_inches(block.chart)
    scale = min(12.1 / width, 4.3 / height)
    picture = slide.shapes.add_picture(
        io.BytesIO(charts.png(block.chart)),
        util.Inches(0.6),
        util.Inches(2.7),
        util.Inches(width * scale),
        util.Inches(height * scale),
    )
    picture._element.nvPicPr.cNvPr.set("descr", block.chart.alt)
    picture._element.nvPicPr.cNvPr.set("title", block.chart.title)
    if block.table.has_hidden:
        # The chart marks a hidden bar "[c]"; the slide says why, as the table's footnote does elsewhere.
        _text(slide, report.suppression_note, 6.9, 0.45, 11)
