"""The lead's own words keep their paragraphs in every format, and the PDF flows like a document.

The narrative comes from a browser's text box (Windows line endings) and is untrusted; the PDF must not
strand a caption, a chart or a heading away from its table, nor start every section on a new page.
"""

from __future__ import annotations

import io
import re

import docx
import pptx
import pypdf
from docx.oxml.ns import qn

from analysis.report.layout import narrative_paragraphs, table_grid
from analysis.report.model import FindingsReport, Section, Table
from analysis.report.render import render
from tests.analysis.report.conftest import Built

#: Two paragraphs as a browser sends them: "\r\n" line endings, a line break inside the first.
TYPED = "We asked 100 young people.\r\nThey told us <script>alert(1)</script>.\r\n\r\nWhat we will do next."


def _report(narrative: str) -> FindingsReport:
    section = Section("headlines", "headlines", "Headline figures", narrative=narrative)
    return FindingsReport(
        title="A report",
        campaign_slug="c",
        campaign_name="Campaign",
        data_date="2026-11-01",
        audiences=[],
        earlier=None,
        sections=[section],
        suppression_note="Hidden.",
    )


def test_blank_lines_part_paragraphs_whatever_the_line_endings() -> None:
    expected = [["One.", "Two."], ["Three."]]
    assert narrative_paragraphs("One.\r\nTwo.\r\n\r\nThree.") == expected
    assert narrative_paragraphs("One.\nTwo.\n  \t\nThree.\n") == expected
    assert narrative_paragraphs("\r\n\r\nOne.\rTwo.\r\r\r\rThree.\r\n\r\n") == expected
    assert narrative_paragraphs("   \r\n") == []


def test_html_and_pdf_narrative_has_its_paragraphs_and_stays_escaped() -> None:
    html = render(_report(TYPED), "html").decode("utf-8")
    box = html[html.index('<div class="narrative">') : html.index("</div>")]
    assert box.count("<p>") == 2
    assert "We asked 100 young people.<br>They told us &lt;script&gt;alert(1)&lt;/script&gt;.</p>" in box
    assert "<p>What we will do next.</p>" in box
    assert "<script>" not in html


def test_word_narrative_is_two_paragraphs_with_one_line_break() -> None:
    document = docx.Document(io.BytesIO(render(_report(TYPED), "docx")))
    quotes = [p for p in document.paragraphs if p.style is not None and p.style.name == "Intense Quote"]
    assert [p.text for p in quotes] == [
        "We asked 100 young people.\nThey told us <script>alert(1)</script>.",
        "What we will do next.",
    ]
    assert [len(p._p.findall(f".//{qn('w:br')}")) for p in quotes] == [1, 0]


def test_slide_narrative_is_two_paragraphs_with_one_line_break() -> None:
    deck = pptx.Presentation(io.BytesIO(render(_report(TYPED), "pptx")))
    frames = [
        s.text_frame for slide in deck.slides for s in slide.shapes if s.has_text_frame and "asked" in s.text_frame.text
    ]
    assert len(frames) == 1
    texts = [p.text for p in frames[0].paragraphs]
    assert texts == ["We asked 100 young people.\vThey told us <script>alert(1)</script>.", "What we will do next."]


def _pdf_pages(built: Built) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(built.outputs["pdf"]))
    return [re.sub(r"\s+", " ", p.extract_text()) for p in reader.pages]


def _tables(built: Built) -> list[Table]:
    tables = []
    for s in built.report.sections:
        tables += [b.table for b in s.blocks] + [c.table for c in s.clouds] + s.tables
    return tables


def test_every_table_caption_is_on_the_page_where_its_table_starts(built: Built) -> None:
    pages = _pdf_pages(built)
    checked = 0
    for table in _tables(built):
        caption = re.sub(r"\s+", " ", table.caption)[:50]
        _, rows = table_grid(table)
        # The first whole row that prints on one line: its cells side by side only the table prints.
        first = next((" ".join(r) for r in rows if any(" ".join(r) in p for p in pages)), None)
        if first is None:
            continue
        checked += 1
        assert any(caption in p and first in p for p in pages), table.caption
    assert checked >= 8


def test_a_word_cloud_sits_with_its_table(built: Built) -> None:
    pages = _pdf_pages(built)
    clouds = [c for s in built.report.sections for c in s.clouds]
    assert clouds
    for cloud in clouds:
        picture = next(i for i, p in enumerate(pages) if f"{cloud.label}: the table below" in p)
        assert re.sub(r"\s+", " ", cloud.table.caption)[:50] in pages[picture]


def test_sections_run_on_instead_of_each_starting_a_page(built: Built) -> None:
    reader = pypdf.PdfReader(io.BytesIO(built.outputs["pdf"]))
    title, sections = reader.outline[0], reader.outline[1]
    assert isinstance(sections, list)
    starts = [reader.get_destination_page_number(s) for s in sections if not isinstance(s, list)]
    assert title.title == built.report.title
    # Short sections share pages: the report is not one page a section plus a title page.
    assert len(set(starts)) < len(starts)
    # One page a section plus a title page would be len(starts) + 1; a section's tables may run on to the
    # next page, but not every section's.
    assert len(reader.pages) < 1.5 * len(starts)


def test_a_section_heading_is_never_alone_on_a_page(built: Built) -> None:
    """With more headline figures than fit a page, their box of cards moved whole to the next page and left "Headline figures"
    alone on page 2 (and the title alone on page 1)."""
    import dataclasses

    report = FindingsReport.from_json(built.report.to_json())
    section = next(s for s in report.sections if s.kind == "headlines")
    section.headlines = [dataclasses.replace(section.headlines[i % len(section.headlines)]) for i in range(40)]
    section.narrative = ""  # the lead's words would keep the heading company
    reader = pypdf.PdfReader(io.BytesIO(render(report, "pdf")))
    for n, page in enumerate(reader.pages, 1):
        text = re.sub(r"Page \d+ of \d+", "", re.sub(r"\s+", " ", page.extract_text())).strip()
        assert text not in {s.title for s in report.sections}, f"page {n} holds only the heading {text!r}"
