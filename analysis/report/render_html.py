"""The report as one accessible, self-contained HTML page (and the source of the PDF).

Headings in order (h1 title, h2 sections, h3 findings), tables with captions and header cells,
every chart an <img> with alt text stating its finding and the table of its numbers beside it, a
print stylesheet, and nothing fetched from anywhere: styles inline, images as data: URLs.
"""

from __future__ import annotations

import base64
from html import escape

from analysis.report import charts
from analysis.report.layout import (
    headline_lines,
    key_line,
    narrative_paragraphs,
    priority_grid,
    quote_source,
    subtitle,
    table_grid,
    table_notes,
)
from analysis.report.model import Block, FindingsReport, Section, Table
from analysis.wording import sentence

#: From this many columns (the label column included) a table is set "wide" in print: see the CSS.
WIDE_COLUMNS = 5
#: Up to this many rows a table is kept on one page in print; longer ones break between rows.
SHORT_ROWS = 15

CSS = """
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; line-height: 1.5; color: #0b0c0c;
  max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 2rem; margin-bottom: .25rem; }
h2 { font-size: 1.5rem; margin-top: 2.5rem; border-bottom: 2px solid #0b0c0c; }
h3 { font-size: 1.15rem; margin-top: 1.75rem; }
.subtitle { font-size: 1.1rem; color: #333; }
.narrative { border-left: 6px solid #0072B2; padding: .25rem 1rem; background: #f3f2f1; }
.headlines { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; }
.headlines li { border: 1px solid #b1b4b6; padding: .75rem; flex: 1 1 16rem; }
.big { font-size: 2.5rem; font-weight: bold; margin: 0; }
table { border-collapse: collapse; margin: .5rem 0 1rem; width: 100%; }
caption { text-align: left; font-weight: bold; padding-bottom: .25rem; }
th, td { border-bottom: 1px solid #b1b4b6; padding: .3rem .5rem; text-align: left; vertical-align: top; }
td { font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; }
figcaption, .note { font-size: .9rem; color: #333; }
blockquote { margin: 0; font-size: 1.1rem; }
.quote { border-left: 4px solid #E69F00; padding-left: 1rem; margin: 1rem 0; }
a { color: #1d70b8; }
@page { size: A4; margin: 2cm 1.8cm; @bottom-center { content: "Page " counter(page) " of " counter(pages); } }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav { display: none; }
  /* Sections run on from each other: a page break before every section left pages a third full. */
  h2 { margin-top: 1.75rem; }
  /* A heading, a chart and a caption stay with what follows them. (Not a finding's sentence: with it,
     WeasyPrint moved findings that fitted on to the next page, leaving pages half empty.) */
  h2, h3, figure.chart, figure.cloud, caption { break-after: avoid; }
  /* A short table moves whole to the next page rather than split; a long one would leave most of a
     page empty if moved, so it breaks between rows (its header repeats). Not on a wrapper around the
     chart and table: WeasyPrint then moved even groups that fitted on to the next page. */
  table.short, figure, .headlines li, .quote, tr { break-inside: avoid; }
  /* A flex box of cards is not split across pages by WeasyPrint: the whole set moved to the next page,
     leaving the section's heading alone at the foot of the one before. Printed, they are two a line. */
  .headlines { display: block; }
  .headlines li { display: inline-block; width: 46%; margin: 0 1.5% .6rem 0; vertical-align: top; }
  table + .note { break-before: avoid; }
  /* The word cloud's picture is a decoration of the table beside it (which has the words and counts):
     at full width it took half a page, pushing each cloud's table on to the next. */
  figure.cloud img { max-height: 7cm; }
  /* Fixed layout: column widths from the header row, not from measuring every cell (much faster to typeset). */
  table { table-layout: fixed; }
  thead th:first-child { width: 40%; }
  /* A table of many columns can't spare 40% for its labels, and equal fixed columns are narrower than
     some headings ("Compared with" ran into "Theirs") and squeeze a source to one word a line: let
     its columns size to their content, in smaller type, wrapping only between words. */
  table.wide { table-layout: auto; font-size: 8.5pt; }
  table.wide thead th:first-child { width: auto; }
  table.wide th, table.wide td { padding: .25rem .35rem; }
  th { overflow-wrap: normal; word-break: normal; hyphens: manual; }
  a { color: #0b0c0c; }
}
"""


def render_html(report: FindingsReport, images: str = "svg") -> str:
    """The whole report as an HTML document; `images="png"` embeds charts as PNG (for the PDF)."""
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(report.language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(report.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{escape(report.title)}</h1>",
        f'<p class="subtitle">{escape(subtitle(report))}</p>',
        '<nav aria-label="Contents"><p><strong>Contents</strong></p><ol>',
        *(f'<li><a href="#{escape(s.id)}">{escape(s.title)}</a></li>' for s in report.sections),
        "</ol></nav>",
    ]
    for section in report.sections:
        out += _section(section, report, images)
    if report.notes:
        out += ['<section aria-labelledby="sources">', '<h2 id="sources">Sources and notes</h2>', "<ul>"]
        out += [f"<li>{escape(n)}</li>" for n in report.notes]
        out += ["</ul>", "</section>"]
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def _section(section: Section, report: FindingsReport, images: str) -> list[str]:
    out = [
        f'<section aria-labelledby="{escape(section.id)}">',
        f'<h2 id="{escape(section.id)}">{escape(section.title)}</h2>',
    ]
    narrative = narrative_paragraphs(section.narrative)
    if narrative:
        out.append('<div class="narrative">')
        # Each line escaped on its own: the lead's text is untrusted, only the <br> between lines is ours.
        out += ["<p>" + "<br>".join(escape(line) for line in lines) + "</p>" for lines in narrative]
        out.append("</div>")
    if section.headlines:
        out.append('<ul class="headlines">')
        for h in section.headlines:
            big, words = headline_lines(h)
            out.append(f'<li><p class="big">{escape(big)}</p><p>{escape(words)}</p></li>')
        out.append("</ul>")
    out += [f"<p>{escape(p)}</p>" for p in section.paragraphs]
    for block in section.blocks:
        out += _block(block, report, images)
    if section.quotes:
        for q in section.quotes:
            who = quote_source(q)
            out.append(
                f'<figure class="quote"><blockquote><p>\u201c{escape(q.text)}\u201d</p></blockquote>'
                f"<figcaption>{escape(who)}</figcaption></figure>"
            )
    for cloud in section.clouds:
        if images == "png":
            source = f"data:image/png;base64,{cloud.png_base64}"
        else:
            source = "data:image/svg+xml;base64," + base64.b64encode(cloud.svg.encode("utf-8")).decode("ascii")
        out += [
            f"<h3>{escape(cloud.label)}</h3>",
            f'<figure class="cloud"><img src="{source}" alt="{escape(cloud.alt)}">'
            f"<figcaption>{escape(cloud.label)}: the table below lists the words and counts.</figcaption></figure>",
            *_table(cloud.table, report),
        ]
    if section.priorities:
        header, rows = priority_grid(section.priorities)
        out.append(f"<table{_classes(header, rows)}><caption>Our priorities and which groups raised them</caption>")
        out.append("<thead><tr>")
        out += [f'<th scope="col">{escape(h)}</th>' for h in header]
        out.append("</tr></thead><tbody>")
        for row in rows:
            out.append(
                f'<tr><th scope="row">{escape(row[0])}</th>'
                + "".join(f"<td>{escape(c)}</td>" for c in row[1:])
                + "</tr>"
            )
        out.append("</tbody></table>")
        out.append(f'<p class="note">{escape(key_line(section.key))}</p>')
        for p in section.priorities:
            if p.response or p.evidence:
                out.append(f"<h3>{escape(p.label)}</h3>")
                if p.response:
                    out.append(f"<p><strong>What we will do:</strong> {escape(p.response)}</p>")
                if p.evidence:
                    out.append("<ul>" + "".join(f"<li>{escape(e)}</li>" for e in p.evidence) + "</ul>")
    for table in section.tables:
        out += _table(table, report)
    out.append("</section>")
    return out


def _block(block: Block, report: FindingsReport, images: str) -> list[str]:
    out = [f'<h3 id="{escape(block.id)}">{escape(block.title)}</h3>']
    if block.statement:
        out.append(f"<p>{escape(block.statement)}</p>")
    if block.chart is not None:
        if images == "png":
            source = "data:image/png;base64," + base64.b64encode(charts.png(block.chart)).decode("ascii")
        else:
            source = "data:image/svg+xml;base64," + base64.b64encode(charts.svg(block.chart).encode()).decode("ascii")
        out.append(
            f'<figure class="chart"><img src="{source}" alt="{escape(block.chart.alt)}">'
            f"<figcaption>{escape(sentence(block.chart.title))} The numbers are in the table below.</figcaption></figure>"
        )
    out += _table(block.table, report)
    return out


def _table(table: Table, report: FindingsReport) -> list[str]:
    header, rows = table_grid(table)
    out = [
        f'<table id="{escape(table.id)}"{_classes(header, rows)}><caption>{escape(table.caption)}</caption><thead><tr>'
    ]
    out += [f'<th scope="col">{escape(h)}</th>' for h in header]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append(
            f'<tr><th scope="row">{escape(row[0])}</th>' + "".join(f"<td>{escape(c)}</td>" for c in row[1:]) + "</tr>"
        )
    out.append("</tbody></table>")
    out += [f'<p class="note">{escape(n)}</p>' for n in table_notes(table, report)]
    return out


def _classes(header: list[str], rows: list[list[str]]) -> str:
    """The class attribute of a table: "wide" (set smaller, sized to its content) and "short" (kept whole) in print."""
    classes = ["wide"] * (len(header) >= WIDE_COLUMNS) + ["short"] * (len(rows) <= SHORT_ROWS)
    return f' class="{" ".join(classes)}"' if classes else ""
