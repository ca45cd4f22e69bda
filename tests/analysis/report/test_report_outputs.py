"""Open every output of a findings report and check what a reader (or a screen reader) gets.

Headline numbers are the analysis engine's; hidden cells stay hidden, marked "[c]" with the footnote,
in every format; quotes carry no redacted detail; every chart has alt text; the PDF is tagged PDF/UA
with its title and language; the spreadsheet runs nothing as a formula and merges no cells.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from html.parser import HTMLParser

import docx
import pptx
import pypdf
import pytest
from openpyxl import load_workbook

from analysis.disclosure import NO_PERCENT, SUPPRESSED, DisclosurePolicy
from analysis.findings import Settings, finding
from analysis.report import charts
from analysis.report.blocks import answers_block, audience_view
from analysis.report.build import ReportData, ReportSpec, build_report
from analysis.report.findings_sections import reasons
from analysis.report.layout import headline_lines, priority_grid
from analysis.report.model import FindingsReport
from analysis.report.priorities import NOT_CODED
from analysis.report.render import render
from analysis.report.render_xlsx import FORMULA_START
from tests.analysis.report.conftest import SECRETS, Built, text_records


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.alts: list[str | None] = []
        self.headings: list[int] = []
        self.tables = 0
        self.captions = 0
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img":
            self.alts.append(values.get("alt"))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        self.tables += tag == "table"
        self.captions += tag == "caption"
        for name in ("src", "href"):
            link = values.get(name) or ""
            if link and not link.startswith(("data:", "#")):
                self.external.append(link)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _html(built: Built) -> _Page:
    page = _Page()
    page.feed(built.outputs["html"].decode("utf-8"))
    return page


def _pdf_text(built: Built) -> str:
    reader = pypdf.PdfReader(io.BytesIO(built.outputs["pdf"]))
    return _squash(" ".join(p.extract_text() for p in reader.pages))


def _docx_text(built: Built) -> str:
    document = docx.Document(io.BytesIO(built.outputs["docx"]))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return _squash(" ".join(parts))


def _xlsx_values(built: Built) -> list[object]:
    book = load_workbook(io.BytesIO(built.outputs["xlsx"]))
    return [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]


def _pptx_text(built: Built) -> str:
    deck = pptx.Presentation(io.BytesIO(built.outputs["pptx"]))
    parts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [c.text for row in shape.table.rows for c in row.cells]
    return _squash(" ".join(parts))


def test_headline_figures_are_the_engines(built: Built) -> None:
    engine = finding(
        audience_view(built.data, ["young_people"]), measure="feel_safe_area", settings=Settings(earlier=built.earlier)
    )
    top = engine.table.subtotals["Very safe or Fairly safe"]
    section = built.report.section("headlines")
    assert section is not None
    ours = next(h for h in section.headlines if h.who.startswith("young people"))
    assert (ours.figure.value, ours.figure.percent_display, ours.figure.ci_display) == (
        top.value,
        top.percent_display(),
        top.ci_display(),
    )
    assert ours.base.display == engine.base.display == "60"
    assert ours.statement == engine.statement
    assert [c.words for c in ours.comparisons] == [c.words for c in engine.comparisons]
    assert any(c.kind == "earlier" for c in ours.comparisons)
    sentence = _squash(engine.statement)
    assert sentence in _squash(" ".join(_html(built).text))
    assert sentence in _docx_text(built)
    assert sentence.replace("\u2013", "-")[:60] in _pdf_text(built).replace("\u2013", "-")
    assert 42 in _xlsx_values(built)  # the top box count, as a number
    comparisons = built.report.section("comparisons")
    assert comparisons is not None
    assert _squash(comparisons.blocks[0].statement) in _pptx_text(built)
    # The comparison with the earlier wave, in a table: ours, theirs and the words the test allows.
    table = next(t for t in comparisons.tables if t.id == "compare-benchmarks")
    earlier = next(c for c in engine.comparisons if c.kind == "earlier")
    assert [top.percent_display(), "2024", f"{earlier.theirs:g}%", earlier.words, "Youth Safety Survey 2024"] in [
        r.texts for r in table.rows
    ]


def test_hidden_cells_stay_hidden_in_every_format(built: Built) -> None:
    engine = finding(audience_view(built.data, ["young_people"]), measure="feel_safe_area")
    hidden = {label: cell for label, cell in engine.table.items() if cell.suppressed}
    assert list(hidden) == ["Fairly unsafe", "Don't know"]  # 5 and 3 young people
    true_counts = {"Fairly unsafe": "5", "Don't know": "3"}
    note = built.report.suppression_note

    def check(rows: list[list[str]], fmt: str) -> None:
        for label, count in true_counts.items():
            found = [r for r in rows if r and r[0] == label]
            assert any(r[1] == SUPPRESSED for r in found), fmt  # the young people's row
            assert not any(r[1].split(" ")[0] == count for r in found), fmt  # the hidden count, nowhere

    page = _Rows()
    page.feed(built.outputs["html"].decode("utf-8"))
    check(page.rows, "html")
    assert note in _squash(" ".join(_html(built).text))
    document = docx.Document(io.BytesIO(built.outputs["docx"]))
    check([[c.text for c in row.cells] for t in document.tables for row in t.rows], "docx")
    assert note in _docx_text(built)
    book = load_workbook(io.BytesIO(built.outputs["xlsx"]))
    check([[str(c.value) for c in row] for sheet in book.worksheets for row in sheet.iter_rows()], "xlsx")
    assert note in " ".join(map(str, _xlsx_values(built)))
    pdf = _pdf_text(built)
    for label, count in true_counts.items():
        assert re.search(rf"{re.escape(label)} {re.escape(SUPPRESSED)}", pdf)
        assert not re.search(rf"{re.escape(label)} {count}\b", pdf)
    assert _squash(note)[:80] in pdf
    # The model itself never held the hidden counts: nothing can print them later.
    table = next(t for t in built.report.tables() if t.id == "headline-young_people-feel_safe_area-table")
    assert [r.cells[0].value for r in table.rows if r.label in hidden] == [None, None]


class _Rows(HTMLParser):
    """Table rows of an HTML page as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_charts_never_draw_a_hidden_value(built: Built) -> None:
    themes = built.report.section("themes")
    assert themes is not None
    # Three parents raised gangs: too few to publish.
    table = next(t for t in themes.tables if t.id == "themes-table")
    gangs = next(r for r in table.rows if r.label.startswith("Gangs"))
    assert [c.display for c in gangs.cells] == ["0", SUPPRESSED]
    engine = finding(audience_view(built.data, ["young_people"]), measure="feel_safe_area")
    chart = answers_block(engine, "young", "How safe young people feel").chart
    assert chart is not None
    drawn = charts.svg(chart)
    # One bar per published share (a path in the bar colour); the two hidden ones say so in words.
    assert drawn.count(f"fill: {charts.BAR.lower()}") == 3
    assert drawn.count(f"{SUPPRESSED} hidden") == 2
    assert "2 values are not drawn, to protect privacy" in chart.alt


def test_quotes_carry_no_redacted_detail(built: Built) -> None:
    quotes = built.report.section("quotes")
    assert quotes is not None and quotes.quotes
    assert any("[name]" in q.text or "[school]" in q.text or "[phone]" in q.text for q in quotes.quotes)
    everything = {
        "html": " ".join(_html(built).text) + built.outputs["html"].decode("utf-8"),
        "pdf": _pdf_text(built),
        "docx": _docx_text(built),
        "xlsx": " ".join(map(str, _xlsx_values(built))),
        "pptx": _pptx_text(built),
        "json": built.report.to_json(),
    }
    for fmt, text in everything.items():
        for secret in SECRETS:
            assert secret.lower() not in text.lower(), f"{secret!r} in the {fmt}"
    assert all(q.attribution in ("", "Young person", "Parent/Carer") or "," in q.attribution for q in quotes.quotes)


def test_every_chart_and_picture_has_alt_text(built: Built) -> None:
    every = built.report.charts()
    clouds = built.report.section("word_clouds")
    assert every and clouds is not None and clouds.clouds
    page = _html(built)
    assert len(page.alts) == len(every) + len(clouds.clouds)
    assert all(alt and len(alt) > 20 for alt in page.alts)
    for chart in every:
        assert chart.title.rstrip("?.") in chart.alt and len(chart.alt) > len(chart.title) + 30
    with zipfile.ZipFile(io.BytesIO(built.outputs["docx"])) as z:
        body = z.read("word/document.xml").decode("utf-8")
    pictures = re.findall(r"<wp:docPr [^>]*>", body)
    assert len(pictures) == len(every) + len(clouds.clouds)
    assert all(re.search(r'descr="[^"]{20,}"', p) for p in pictures)
    deck = pptx.Presentation(io.BytesIO(built.outputs["pptx"]))
    pictures = [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]
    assert pictures and all(len(p._element.nvPicPr.cNvPr.get("descr", "")) > 20 for p in pictures)


def _structure(reader: pypdf.PdfReader) -> tuple[dict[str, int], list[object]]:
    counts: dict[str, int] = {}
    alts: list[object] = []
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, pypdf.generic.ArrayObject):
            stack += list(node)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            kind = node.get("/S")
            if kind:
                counts[str(kind)] = counts.get(str(kind), 0) + 1
                if kind == "/Figure":
                    alts.append(node.get("/Alt"))
            if "/K" in node:
                stack.append(node["/K"])
    return counts, alts


def test_the_pdf_is_tagged_with_title_language_and_figures(built: Built) -> None:
    reader = pypdf.PdfReader(io.BytesIO(built.outputs["pdf"]))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"
    assert reader.metadata is not None and reader.metadata.title == built.report.title
    counts, alts = _structure(reader)
    assert counts["/H1"] == 1 and counts["/H2"] >= 6 and counts["/Table"] >= 5 and counts["/TH"] > 10
    assert len(alts) >= len(built.report.charts()) and all(isinstance(a, str) and len(a) > 20 for a in alts)
    assert b"pdfuaid" in built.outputs["pdf"] or b"PDF/UA" in built.outputs["pdf"] or reader.xmp_metadata


def test_html_is_accessible_and_self_contained(built: Built) -> None:
    page = _html(built)
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False))  # no level skipped
    assert page.tables == page.captions > 0
    assert page.external == []
    html = built.outputs["html"].decode("utf-8")
    assert '<html lang="en-GB">' in html and "@media print" in html and 'scope="col"' in html


def test_the_spreadsheet_runs_nothing_and_merges_nothing(built: Built) -> None:
    book = load_workbook(io.BytesIO(built.outputs["xlsx"]))
    assert book.sheetnames[0] == "Notes"
    assert len(book.sheetnames) == 1 + len(built.report.tables()) + 1  # Notes, one per table, Priorities
    # Names people can read, within Excel's 31 characters: not "12 headline-young_adults-carrie".
    assert all(len(name) <= 31 and "_" not in name and "headline" not in name for name in book.sheetnames)
    assert any(name.endswith("Responses by audience") for name in book.sheetnames)
    # A reason's sheet keeps its question's words whole.
    assert any(re.fullmatch(r"\d+ Parents unsafe reasons", name) for name in book.sheetnames), book.sheetnames
    assert any(re.fullmatch(r"\d+ Young people feel safe area", name) for name in book.sheetnames), book.sheetnames
    # One figure column reads "Number" and "%", not "Number (%): number".
    headers = [str(c.value) for sheet in book.worksheets for c in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert not any(h.endswith("(%): number") for h in headers) and "Number" in headers
    notes = " ".join(str(c.value) for row in book["Notes"].iter_rows() for c in row if c.value)
    for needed in (built.report.suppression_note, "2026-11-01", "Bases", "Youth Safety Survey 2026"):
        assert needed in notes
    for sheet in book.worksheets:
        assert not sheet.merged_cells.ranges
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_START), (sheet.title, cell.value)
                assert cell.data_type != "f"
    labels = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert '\'=HYPERLINK("http://example.invalid","police")' in labels


def test_the_word_document_uses_real_headings_and_tables(built: Built) -> None:
    document = docx.Document(io.BytesIO(built.outputs["docx"]))
    styles = [p.style.name for p in document.paragraphs if p.style is not None]
    assert styles[0] == "Title" and "Heading 1" in styles and "Heading 2" in styles
    assert len(document.tables) == len(built.report.tables()) + 1  # and the priorities key
    assert document.core_properties.title == built.report.title
    assert "Most young people feel safe, but not all." in _docx_text(built)


def test_word_and_slides_name_the_partnership_and_the_reports_date_not_the_library(built: Built) -> None:
    # Blank python-docx and python-pptx files say "python-docx", "Steve Canny" and 2013.
    when = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    for fmt, opened in (("docx", docx.Document), ("pptx", pptx.Presentation)):
        properties = opened(io.BytesIO(built.outputs[fmt])).core_properties
        found = {
            "title": properties.title,
            "author": properties.author,
            "last_modified_by": properties.last_modified_by,
            "comments": properties.comments,
            "created": properties.created.replace(tzinfo=dt.UTC),
            "modified": properties.modified.replace(tzinfo=dt.UTC),
        }
        assert found == {
            "title": "What young people and parents told us",
            "author": "Trafford Community Safety Partnership",
            "last_modified_by": "Trafford Community Safety Partnership",
            "comments": "",
            "created": when,
            "modified": when,
        }, fmt


def test_priorities_show_who_raised_them(built: Built) -> None:
    section = built.report.section("priorities")
    assert section is not None
    enforcement = next(p for p in section.priorities if p.key == "enforcement_criminal_justice")
    # Police was raised by young people and parents; nobody here is a professional.
    assert enforcement.raised_by == {
        "Children and young people": True,
        "Parents and carers": True,
        "Professionals": False,
    }
    assert enforcement.response == "More patrols near parks in the evening."
    tertiary = next(p for p in section.priorities if p.key == "tertiary_prevention")
    assert not any(tertiary.raised_by.values())  # gangs: only three parents, a hidden cell, so not shown
    text = _squash(" ".join(_html(built).text))
    assert "● Raised" in text and "○ Too few or none" in text
    # The tables' "—" (no percentage) is not the key's mark: one mark, one meaning.
    assert "\u2014 means" not in text


def test_before_any_answer_is_coded_the_key_says_not_yet_known_rather_than_not_raised(built: Built) -> None:
    """Published before the analyst has coded a single answer, "— Not raised" for every group told the
    public that nobody had raised any priority."""
    uncoded = [dataclasses.replace(r, themes=()) for r in text_records()]
    spec = ReportSpec(sections=["priorities"], data_date="2026-11-01")
    report = build_report(ReportData(built.data, None, uncoded), spec)
    section = report.section("priorities")
    assert section is not None and section.priorities
    assert all(v is None for p in section.priorities for v in p.raised_by.values())
    assert section.paragraphs == [NOT_CODED]
    assert list(section.key) == ["Not yet known"]  # the key explains the words the table uses
    outputs = Built(
        built.data, built.earlier, report, {f: render(report, f) for f in ("html", "docx", "pptx")}, built.folder
    )
    page = _Page()
    page.feed(outputs.outputs["html"].decode("utf-8"))
    for text in (_squash(" ".join(page.text)), _docx_text(outputs), _pptx_text(outputs)):
        assert "Not yet known" in text and "Too few or none" not in text
        assert "not yet been analysed for themes" in text


def test_the_model_round_trips_through_json(built: Built) -> None:
    again = FindingsReport.from_json(built.report.to_json())
    assert again == built.report
    assert render(again, "html") == built.outputs["html"]


@pytest.mark.parametrize("fmt", ["txt", "odt"])
def test_unknown_formats_are_refused(built: Built, fmt: str) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render(built.report, fmt)


def test_a_weighted_or_small_headline_says_so(built: Built) -> None:
    section = built.report.section("headlines")
    assert section is not None
    figure = section.headlines[0]
    assert not figure.weighted  # nothing in this report is weighted: no label
    assert "weighted" not in headline_lines(figure)[1]
    figure = dataclasses.replace(figure, weighted=True, small_base=True)
    words = headline_lines(figure)[1]
    assert "weighted to the population" in words and "unweighted number of people" in words
    assert "treat with caution" in words


def test_the_adjustment_is_stated_once_in_the_methodology(built: Built) -> None:
    from analysis.adjustment import methodology_note

    note = methodology_note()
    methodology = next(s for s in built.report.sections if s.kind == "methodology")
    assert any(note in p for p in methodology.paragraphs), "the methodology says how comparisons were adjusted"
    assert note not in built.report.notes, "and the notes do not say it again"
    assert built.outputs["html"].decode("utf-8").count(note.split(".")[0]) == 1


#: Where a table caption goes on from the question it is about.
AFTER_THE_QUESTION = re.compile(r"(.)( Answers from | Share answering | The \d+ most common answers )")


def test_captions_read_as_whole_sentences(built: Built) -> None:
    captions = [t.caption for t in built.report.tables()]
    joins = [m.group(1) for c in captions for m in AFTER_THE_QUESTION.finditer(c)]
    assert joins and set(joins) <= {".", "?", "!"}, captions
    figcaptions = re.findall(r"<figcaption>(.*?)</figcaption>", built.outputs["html"].decode())
    assert figcaptions
    assert not [c for c in captions + figcaptions if re.search(r"[?!.]\.(\s|$)", c)]


def test_a_statement_and_a_question_each_end_their_own_sentence_in_a_caption(built: Built) -> None:
    engine = finding(audience_view(built.data, ["young_people"]), measure="feel_safe_area")
    statement = dataclasses.replace(engine, question="I feel like I belong in my local area")
    caption = answers_block(statement, "belong", "Belonging").table.caption
    assert caption.startswith("I feel like I belong in my local area. Answers from young people")
    asked = answers_block(engine, "safe", "Safety").table.caption
    assert asked.startswith("How safe do you feel when in your local area? Answers from young people")


def test_a_why_question_with_every_answer_hidden_says_so_in_one_sentence(built: Built) -> None:
    # 15 young people said why they feel unsafe; at a threshold of 20, no answer can be shown.
    view = audience_view(built.data, ["young_people"])
    hidden = finding(view, key="unsafe_reasons", settings=Settings(policy=DisclosurePolicy(threshold=20)))
    assert not [cell for _, cell in hidden.table.items() if cell.percent is not None]
    section = reasons({"young_people": [hidden]}, ReportSpec())
    assert section.blocks == []  # no empty chart, no "The 0 most common answers", no caution
    assert section.paragraphs == [
        f"The answers {hidden.subject} gave to \u201c{hidden.question}\u201d are too few to show without risking "
        "that someone could be recognised."
    ]
    html = render(dataclasses.replace(built.report, sections=[section]), "html").decode()
    assert "caution" not in html and "<img" not in html and "The 0 most" not in html


def test_you_said_we_did_says_what_each_number_means_for_each_audience(built: Built) -> None:
    """The child-friendly page read "78% of children aged 8 to 11: How safe do you feel…?" and dated
    its numbers "2026-11-01"."""
    from survey_app.public.you_said import you_said_page

    page = you_said_page(built.report)
    section = built.report.section("headlines")
    assert section is not None
    lines = [f"{n.percent} of {n.who} {n.said}" for n in page.numbers]
    # The parents' figure (40 answered) needs a caution a big number cannot carry, so it is left out.
    assert [n.who for n in page.numbers] == ["young people aged 11 to 18"]
    for line in lines:
        # The engine's own headline sentence, without the interval and comparisons.
        assert any(h.statement.startswith(f"{line} (") for h in section.headlines), line
    assert lines == ["70% of young people aged 11 to 18 said they feel very or fairly safe in their local area"]
    assert page.data_date == "1 November 2026"


def test_the_benchmark_table_says_what_each_row_measured_and_reads_in_the_pdf(built: Built) -> None:
    """Rows were labelled "Yes: young people" (so knife-carrying and trusted adult looked alike), and
    with the label column fixed at 40% of the page "Compared with" ran into "Theirs" and the source
    ran one word a line."""
    comparisons = built.report.section("comparisons")
    assert comparisons is not None
    table = next(t for t in comparisons.tables if t.id == "compare-benchmarks")
    assert [r.label for r in table.rows] == [
        "Young people aged 11 to 18 who said they feel very or fairly safe in their local area",
        "Parents and carers who said they feel very or fairly safe in their local area",
    ]
    pages = [p.extract_text(extraction_mode="layout") for p in pypdf.PdfReader(io.BytesIO(built.outputs["pdf"])).pages]
    page = next(t for t in pages if "Headline figures compared with published benchmarks" in t)
    header = next((line for line in page.splitlines() if line.lstrip().startswith("Figure ")), "")
    assert re.search(r"Ours\s+Compared with\s+Theirs\s+Difference\s+Source", header), header
    assert "GMCA Police and Crime" in page


def test_generated_sentences_do_not_count_all_of_something_as_n_of_n(built: Built) -> None:
    """ "Responses came through 12 of the campaign's 12 collection points" reads as a puzzle aloud."""
    text = _squash(" ".join(_html(built).text))
    assert "Responses came through" in text
    assert not re.search(r"\b(\d+) of the campaign's \1 collection points", text)


def test_a_reasons_table_with_hidden_answers_lists_the_most_common_that_can_be_shown(built: Built) -> None:
    """Its own note says a hidden answer may be as common or more: "the 3 most common answers" would not be."""
    section = built.report.section("reasons")
    assert section is not None
    (caption,) = [b.table.caption for b in section.blocks if b.id == "reasons-parents_carers-unsafe_reasons"]
    # 12 of 15 parents ticked drugs: hidden, as the 3 who did not tick would show. One answer is left.
    assert "The most common answer that can be shown from parents and carers" in caption, caption


def test_the_spreadsheet_gives_counts_no_percentage_mark(built: Built) -> None:
    """ "Children | 375 | —" read, by the sheet's own legend, as "fewer than 10 people answered"."""
    book = load_workbook(io.BytesIO(built.outputs["xlsx"]))
    sheet = next(s for s in book.worksheets if any(c.value == "Total" for row in s.iter_rows() for c in row[:1]))
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "—" not in values and not any(isinstance(v, str) and v.endswith(": %") for v in values)
    # In a table of shares, the count of who answered leaves its % cell empty rather than marked.
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            if row and row[0] == "Total who answered":
                assert "—" not in row, row


def test_a_long_slide_title_is_kept_whole_or_cut_at_a_word() -> None:
    """ "…spend their fre..." on a slide read as a typo."""
    from analysis.report.render_pptx import TITLE_MOST, _slide_title

    question = "There are good places for children and young people to spend their free time near where they live"
    title = f"Top two answers: {question} (young people aged 11 to 18, standard and easy read versions)"
    assert len(title) > TITLE_MOST
    cut = _slide_title(title)
    assert cut.endswith("\u2026") and title.startswith(cut[:-1]) and title[len(cut) - 1] == " "
    assert _slide_title(question) == question


def test_the_spreadsheet_has_the_priorities_key_and_every_points_total(built: Built) -> None:
    book = load_workbook(io.BytesIO(built.outputs["xlsx"]))
    section = built.report.section("priorities")
    assert section is not None and section.priorities
    sheet = book["Priorities"]
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    header, grid = priority_grid(section.priorities)
    assert rows[0] == [section.title]
    assert rows[1][: len(header)] == header
    for priority, line in zip(section.priorities, grid, strict=True):
        row = next(r for r in rows if r and r[0] == priority.label)
        assert row[: len(line)] == line
        if priority.response.strip():
            assert row[-1] == priority.response.strip()
    assert any(str(r[0]).startswith("Key: ") for r in rows if r)
    # The collection points' table adds up to the responses, as the audiences' table beside it does.
    points = next(t for t in built.report.tables() if t.id == "method-points")
    audiences = next(t for t in built.report.tables() if t.id == "method-audiences")
    assert points.rows[-1].label == "Total"
    assert points.rows[-1].cells[0].display == audiences.rows[-1].cells[0].display


def test_the_key_reads_as_a_sentence() -> None:
    """ "Key: Not yet known no free-text answer has been coded…" ran the symbol into its meaning."""
    from analysis.report.layout import key_line
    from analysis.report.priorities import KEY, NOT_YET_KNOWN

    assert key_line({NOT_YET_KNOWN: "no answer has been coded"}) == "Key: Not yet known means no answer has been coded."
    line = key_line(KEY)
    assert line.startswith("Key: \u25cf means raised by this group") and "; \u25cb means raised by too few" in line


def test_themes_say_how_much_coding_is_left_and_do_not_compare_an_unfinished_audience(built: Built) -> None:
    """With most parents' answers waiting for review, "raised more often by young people (58%) than by
    parents and carers (0%)" read as a finding; the parents' 0% was only unreviewed answers."""
    from analysis.disclosure import DisclosurePolicy
    from analysis.report.build import ReportData
    from analysis.report.text_sections import NOT_FINISHED, themes
    from analysis.text.records import WAITING
    from tests.analysis.report.conftest import text_records

    records = text_records()
    finished, _ = themes(
        ReportData(built.data, None, records), ["young_people", "parents_carers"], DisclosurePolicy(), "T"
    )
    assert not any(p.startswith(NOT_FINISHED) for p in finished.paragraphs)
    assert any("parents and carers" in p for p in finished.paragraphs)  # compared when all is coded
    waiting = [
        dataclasses.replace(r, themes=(), extra={WAITING: True}) if r.audience == "parents_carers" and i % 4 else r
        for i, r in enumerate(records)
    ]
    section, _ = themes(
        ReportData(built.data, None, waiting), ["young_people", "parents_carers"], DisclosurePolicy(), "T"
    )
    [note] = [p for p in section.paragraphs if p.startswith(NOT_FINISHED)]
    assert note.startswith("Coding is not finished: 12 of the 40 free-text answers are still waiting")
    assert "answers of parents and carers are waiting, so their figures are not compared" in note
    assert not any("parents and carers (" in p for p in section.paragraphs if p != note)
    # Every audience waiting: there are no "other audiences" to compare with.
    everyone = [dataclasses.replace(r, themes=r.themes[:1], extra={WAITING: True}) for r in records]
    section_all, _ = themes(
        ReportData(built.data, None, everyone), ["young_people", "parents_carers"], DisclosurePolicy(), "T"
    )
    [note_all] = [p for p in section_all.paragraphs if p.startswith(NOT_FINISHED)]
    assert note_all.endswith("so many are waiting that no audiences are compared yet.")
    # Publishing warns first, as it does when nothing is coded.
    from survey_app.staff.reports.service import gaps

    report = FindingsReport.from_json(built.report.to_json())
    assert not any(g.startswith("Themes: some free-text answers are still waiting") for g in gaps(report))
    report.sections = [section if s.kind == "themes" else s for s in report.sections]
    assert any(g.startswith("Themes: some free-text answers are still waiting") for g in gaps(report))


def test_the_method_names_the_general_link_only_when_someone_used_it(built: Built) -> None:
    from analysis.report.methodology import NO_POINT

    method = built.report.section("methodology")
    assert method is not None
    points = next(t for t in method.tables if t.id == "method-points")
    used = any(row.label == NO_POINT for row in points.rows)
    [paragraph] = [p for p in method.paragraphs if p.startswith("Responses came through")]
    assert ("general link" in paragraph) == used


def test_the_no_percentage_mark_is_explained_only_under_a_table_that_shows_it(built: Built) -> None:
    from analysis.report.layout import table_notes

    hidden = [t for t in built.report.tables() if t.has_hidden]
    assert hidden
    for table in hidden:
        shows_dash = any(c.percent_display == NO_PERCENT for r in table.rows for c in r.cells)
        note = " ".join(table_notes(table, built.report))
        assert "[c] = hidden to protect privacy" in note
        assert ("no percentage" in note) == shows_dash, table.id


def test_a_note_on_a_benchmark_left_out_says_whose_figure_it_is_about(built: Built) -> None:
    """Under "Sources and notes", far from its finding, "Not compared with the Greater Manchester average
    for adults …: these answers come from people aged 11 to 18" did not say which figure it was about."""
    left_out = [n for n in built.report.notes if "ot compared with" in n]
    assert left_out
    for note in left_out:
        assert re.match(r"^[A-Z][^,]+ aged \d+ to \d+, \u201c[^\u201d]+\u201d: not compared with ", note), note
