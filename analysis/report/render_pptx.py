"""A short slide pack for briefings (python-pptx): one finding and its chart per slide.

Title slide; a slide per comparison between audiences, per audience's themes and per top-reasons
finding (up to `MAX_FINDING_SLIDES`); the priorities key; a few quotes; what the figures mean. Every
chart picture has alt text (its `p:cNvPr` `descr`), and the sentence on the slide says the finding
in words, so nothing rests on the picture alone.
"""

from __future__ import annotations

import io
from typing import Any

from analysis.report import charts
from analysis.report.layout import priority_grid, set_properties, subtitle
from analysis.report.model import Block, FindingsReport

MAX_FINDING_SLIDES = 12
TITLE_ONLY = 5  #: the default template's "Title Only" layout
TITLE_SLIDE = 0


def _pptx() -> Any:
    # python-pptx loads lxml and its template; only slide output needs it.
    import pptx

    return pptx


def render_pptx(report: FindingsReport) -> bytes:
    """The slide pack as .pptx bytes."""
    pptx = _pptx()
    deck = pptx.Presentation()
    deck.slide_width, deck.slide_height = pptx.util.Inches(13.333), pptx.util.Inches(7.5)
    set_properties(deck.core_properties, report)
    first = deck.slides.add_slide(deck.slide_layouts[TITLE_SLIDE])
    first.shapes.title.text = report.title
    first.placeholders[1].text = subtitle(report)
    blocks = [
        b
        for kind in ("comparisons", "themes", "reasons")
        for s in report.sections
        if s.kind == kind
        for b in s.blocks
        if b.chart is not None
    ][:MAX_FINDING_SLIDES]
    for block in blocks:
        _finding(deck, block)
    priorities = report.section("priorities")
    if priorities is not None and priorities.priorities:
        header, rows = priority_grid(priorities.priorities)
        slide = _titled(deck, priorities.title)
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
        _text(slide, "Key: " + "; ".join(f"{k} {v}" for k, v in priorities.key.items()) + ".", 6.3, 0.8, 12)
    quotes = report.section("quotes")
    if quotes is not None and quotes.quotes:
        slide = _titled(deck, quotes.title)
        lines = [
            f"\u201c{q.text}\u201d \u2014 {q.attribution or 'on ' + q.theme_label.lower()}" for q in quotes.quotes[:4]
        ]
        _text(slide, "\n\n".join(lines), 1.5, 5.5, 18)
    slide = _titled(deck, "About these figures")
    _text(
        slide,
        f"Answers received by {report.data_date}. Percentages have 95% confidence intervals; differences are "
        f"called higher or lower only when a test finds them significant.\n\n{report.suppression_note}",
        1.5,
        5.5,
        16,
    )
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _titled(deck: Any, title: str) -> Any:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    slide.shapes.title.text = title
    slide.shapes.title.text_frame.paragraphs[0].font.size = _pptx().util.Pt(28)
    return slide


def _text(slide: Any, text: str, top: float, height: float, size: int) -> None:
    util = _pptx().util
    box = slide.shapes.add_textbox(util.Inches(0.6), util.Inches(top), util.Inches(12.1), util.Inches(height))
    box.text_frame.word_wrap = True
    for n, part in enumerate(text.split("\n")):
        paragraph = box.text_frame.paragraphs[0] if n == 0 else box.text_frame.add_paragraph()
        paragraph.text = part
        paragraph.font.size = util.Pt(size)


def _finding(deck: Any, block: Block) -> None:
    assert block.chart is not None
    util = _pptx().util
    slide = _titled(deck, block.title if len(block.title) <= 90 else block.title[:87] + "...")
    _text(slide, block.statement, 1.4, 1.2, 16)
    width, height = charts.size_inches(block.chart)
    scale = min(12.1 / width, 4.6 / height)
    picture = slide.shapes.add_picture(
        io.BytesIO(charts.png(block.chart)),
        util.Inches(0.6),
        util.Inches(2.7),
        util.Inches(width * scale),
        util.Inches(height * scale),
    )
    picture._element.nvPicPr.cNvPr.set("descr", block.chart.alt)
    picture._element.nvPicPr.cNvPr.set("title", block.chart.title)
