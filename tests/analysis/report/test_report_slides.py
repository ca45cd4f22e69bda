"""The slide pack a communications lead presents: nothing the report says is dropped without a word.

Open the .pptx and read it slide by slide, as the lead would: the date in words, the headline figures,
the lead's own narrative and "what we will do", findings from every section, and a last slide that
says what did not fit and where it is.
"""

from __future__ import annotations

import dataclasses
import io
import re

import docx
import pptx

from analysis.disclosure import SUPPRESSED
from analysis.report.layout import headline_lines
from analysis.report.model import Figure, FindingsReport, Section
from analysis.report.render_pptx import MAX_FINDING_SLIDES, MAX_QUOTES, chosen_headlines, render_pptx
from tests.analysis.report.conftest import Built


def _slides(data: bytes) -> list[tuple[str, str]]:
    """Each slide's title and the rest of its text."""
    deck = pptx.Presentation(io.BytesIO(data))
    out = []
    for slide in deck.slides:
        title = slide.shapes.title.text if slide.shapes.title is not None else ""
        parts = []
        for shape in slide.shapes:
            if shape == slide.shapes.title:
                continue
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [c.text for row in shape.table.rows for c in row.cells]
        out.append((title, _squash(" ".join(parts))))
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _section(report: FindingsReport, kind: str) -> Section:
    section = report.section(kind)
    assert section is not None
    return section


def test_the_pack_has_the_date_in_words_the_headlines_the_narrative_and_what_we_will_do(built: Built) -> None:
    slides = _slides(built.outputs["pptx"])
    text = " ".join(f"{t} {body}" for t, body in slides)
    assert "1 November 2026" in text
    assert "2026-11-01" not in text
    headlines = _section(built.report, "headlines")
    figures = next(body for title, body in slides if title == headlines.title and "Base:" in body)
    for h in headlines.headlines:
        big, words = headline_lines(h)
        assert big in figures and _squash(words) in figures
    assert any(body == "Most young people feel safe, but not all." for _, body in slides)
    promise = next(body for title, body in slides if title == "What we will do")
    assert "More patrols near parks in the evening." in promise
    # Everything fitted: no slide claims otherwise.
    assert "More in the full report" not in [t for t, _ in slides]


def test_a_large_report_shows_every_section_and_counts_what_was_left_out(built: Built) -> None:
    report = FindingsReport.from_json(built.report.to_json())
    comparisons, reasons, themes = (_section(report, k) for k in ("comparisons", "reasons", "themes"))
    comparisons.blocks = [
        dataclasses.replace(comparisons.blocks[0], id=f"compare-{i}", title=f"Comparison {i}") for i in range(14)
    ]
    reasons.blocks = [dataclasses.replace(reasons.blocks[0], id=f"reason-{i}", title=f"Reason {i}") for i in range(3)]
    themes.blocks = [dataclasses.replace(themes.blocks[0], id=f"theme-{i}", title=f"Themes {i}") for i in range(5)]
    slides = _slides(render_pptx(report))
    titles = [t for t, _ in slides]
    shown = [t for t in titles if re.fullmatch(r"(Comparison|Reason|Themes) \d+", t)]
    assert len(shown) == MAX_FINDING_SLIDES
    # Each section keeps its first findings; none is crowded out by the one before it.
    assert {"Comparison 0", "Reason 0", "Reason 1", "Reason 2", "Themes 0", "Themes 1"} <= set(shown)
    assert titles[-1] == "More in the full report"
    last = slides[-1][1]
    assert (
        f"These slides show 12 of the report's 22 charts. The full report has the other 10: "
        f"9 under \u201c{comparisons.title}\u201d and 1 under \u201c{themes.title}\u201d."
    ) in last
    assert report.title in last


def test_a_hidden_headline_figure_shows_the_marker_and_the_note(built: Built) -> None:
    report = FindingsReport.from_json(built.report.to_json())
    headline = _section(report, "headlines").headlines[0]
    headline.figure = Figure(None, SUPPRESSED, percent_display=SUPPRESSED)
    slides = _slides(render_pptx(report))
    figures = next(body for title, body in slides if title == _section(report, "headlines").title and "Base:" in body)
    assert f"{SUPPRESSED} {_squash(headline.statement)}" in figures
    assert _squash(report.suppression_note) in figures


def test_each_word_cloud_has_a_slide_with_its_picture_and_its_words(built: Built) -> None:
    clouds = _section(built.report, "word_clouds").clouds
    assert clouds
    deck = pptx.Presentation(io.BytesIO(built.outputs["pptx"]))
    slides = {slide.shapes.title.text: slide for slide in deck.slides if slide.shapes.title is not None}
    for cloud in clouds:
        slide = slides[cloud.label]
        [picture] = [s for s in slide.shapes if s.shape_type == 13]
        assert picture._element.nvPicPr.cNvPr.get("descr") == cloud.alt
        text = _squash(" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame))
        # The words the picture shows, with their counts, for anyone who cannot see it.
        first = cloud.table.rows[0]
        assert f"Used by the most people: {first.label} ({first.cells[0].display})" in text
        assert "counted once however often they wrote it" in text


def test_every_box_is_on_the_slide_and_titles_span_it(built: Built) -> None:
    """The default template is 10 inches wide; its title boxes sat left of centre on a 13.33-inch slide."""
    deck = pptx.Presentation(io.BytesIO(built.outputs["pptx"]))
    width, height = deck.slide_width, deck.slide_height
    for slide in deck.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, shape.name
            assert shape.left + shape.width <= width and shape.top + shape.height <= height, shape.name
        title = slide.shapes.title
        assert abs((title.left + title.width / 2) - width / 2) < pptx.util.Inches(0.1)
        below = [s for s in slide.shapes if s != title and s.top > title.top]
        assert all(s.top >= title.top + title.height for s in below), "the title overlaps the body"


def test_a_headline_figure_is_not_read_twice_on_a_line(built: Built) -> None:
    deck = pptx.Presentation(io.BytesIO(built.outputs["pptx"]))
    headlines = _section(built.report, "headlines")
    texts = [s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame]
    for h in headlines.headlines[:4]:
        big, words = headline_lines(h)
        # The big figure on its own line ("\v" is a line break), the sentence under it.
        assert f"{big}\v{words}" in texts
    document = docx.Document(io.BytesIO(built.outputs["docx"]))
    h = headlines.headlines[0]
    big, words = headline_lines(h)
    assert any(p.text == f"{big}\n{words}" for p in document.paragraphs)
    # A British document on A4, as the PDF.
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_one_more_quote_is_in_the_full_report(built: Built) -> None:
    report = FindingsReport.from_json(built.report.to_json())
    quotes = _section(report, "quotes")
    quotes.quotes = [quotes.quotes[0]] * (MAX_QUOTES + 1)
    last = _slides(render_pptx(report))[-1]
    assert last[0] == "More in the full report"
    assert "1 more quote is in the full report." in last[1]
    quotes.quotes = [quotes.quotes[0]] * (MAX_QUOTES + 3)
    assert "3 more quotes are in the full report." in _slides(render_pptx(report))[-1][1]


def test_the_pack_takes_headline_figures_from_every_audience(built: Built) -> None:
    """The first eight in order were all young people's: no parent's figure reached the pack."""
    report = FindingsReport.from_json(built.report.to_json())
    section = _section(report, "headlines")
    young = next(h for h in section.headlines if h.who.startswith("young people"))
    parent = next(h for h in section.headlines if h.who.startswith("parents"))
    section.headlines = [dataclasses.replace(young, finding_id=f"y{i}") for i in range(10)] + [
        dataclasses.replace(parent, finding_id=f"p{i}") for i in range(3)
    ]
    chosen = chosen_headlines(section.headlines, 8)
    assert [h.finding_id for h in chosen] == ["y0", "y1", "y2", "y3", "y4", "p0", "p1", "p2"]
    slides = _slides(render_pptx(report))
    assert sum(body.count(_squash(parent.statement)) for _, body in slides) == 3
    assert "5 more headline figures are in the full report." in slides[-1][1]


def test_what_we_will_do_is_shared_evenly_between_its_slides(built: Built) -> None:
    """Five responses made a slide of four and a slide of one."""
    report = FindingsReport.from_json(built.report.to_json())
    section = _section(report, "priorities")
    for n, p in enumerate(section.priorities[:5]):
        p.response = f"Response number {n}."
    assert len(section.priorities) >= 5
    promised = [body for title, body in _slides(render_pptx(report)) if title.startswith("What we will do")]
    assert [body.count("Response number") for body in promised] == [3, 2]


def test_a_hidden_headline_does_not_give_its_base_twice(built: Built) -> None:
    report = FindingsReport.from_json(built.report.to_json())
    h = _section(report, "headlines").headlines[0]
    hidden = dataclasses.replace(
        h,
        figure=Figure(None, SUPPRESSED, percent_display=SUPPRESSED),
        statement=f"Of the {h.base.display} {h.who} who answered \u201cSafe?\u201d, the number who gave \u201cYes\u201d is hidden.",
    )
    big, words = headline_lines(hidden)
    assert big == SUPPRESSED and "Base:" not in words
    assert "Base:" in headline_lines(h)[1]


def test_a_quote_is_attributed_alike_on_slides_and_in_the_report(built: Built) -> None:
    from html import escape

    from analysis.report.layout import quote_source

    quotes = _section(built.report, "quotes").quotes
    assert quotes
    slides = " ".join(body for _, body in _slides(built.outputs["pptx"]))
    html = built.outputs["html"].decode("utf-8")
    for q in quotes[:MAX_QUOTES]:
        who = quote_source(q)
        assert ", on " in who or who.startswith("On ")
        assert _squash(f"\u2014 {who}") in slides
        assert escape(who, quote=True) in html


def test_the_pack_takes_an_audiences_significant_differences_first(built: Built) -> None:
    from analysis.report.model import Comparison

    section = _section(built.report, "headlines")
    young = next(h for h in section.headlines if h.who.startswith("young people"))
    lower = Comparison("benchmark", "the national figure", 90.0, "lower than", "…", 0.001, True)
    same = Comparison("benchmark", "the national figure", 80.0, "similar to", "…", 0.4, False)
    figures = [dataclasses.replace(young, finding_id=f"y{i}", comparisons=[same]) for i in range(6)]
    figures[5] = dataclasses.replace(figures[5], comparisons=[lower])
    chosen = chosen_headlines(figures, 3)
    # The significant one is in; the report's order is kept on the slides.
    assert [h.finding_id for h in chosen] == ["y0", "y1", "y5"]
