"""The report's matplotlib charts, made fit to sit inside a workspace page as inline SVG.

The workspace's Content-Security-Policy allows no inline styles, and matplotlib writes its colours
and fonts as `style` attributes: they are rewritten as SVG presentation attributes, which the policy
does not touch, so bars keep their colour. Every id inside a chart gets the chart's own prefix, as a
page shows many charts and ids must be unique on it. The root element is an image named by the
chart's alt text; the numbers are in the table beside it.
"""

from __future__ import annotations

import re
from html import escape

from markupsafe import Markup

from analysis.report import charts
from analysis.report.model import Chart

_STYLE = re.compile(r'\sstyle="([^"]*)"')
_ID = re.compile(r'\sid="([^"]*)"')
_REFERENCE = re.compile(r'(url\(#|href="#)([^)"]+)')
_ROOT = re.compile(r"<svg\b[^>]*>")
_VIEWBOX = re.compile(r'viewBox="([^"]*)"')


def _attributes(match: re.Match[str]) -> str:
    out = []
    for declaration in match.group(1).split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if not name:
            continue
        if name == "font":  # shorthand "10px 'DejaVu Sans'": SVG has no attribute for it
            size, _, family = value.partition(" ")
            out += [f'font-size="{size}"', f'font-family="{escape(family.strip())}"']
        else:
            out.append(f'{name}="{escape(value)}"')
    return " " + " ".join(out) if out else ""


def inline_svg(chart: Chart) -> Markup:
    """The chart as an `<svg>` element for a page: no inline styles, ids prefixed, named by its alt text."""
    text = charts.svg(chart)
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.DOTALL)
    text = re.sub(r"<style[^>]*>.*?</style>", "", text, flags=re.DOTALL)
    text = _STYLE.sub(_attributes, text)
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", chart.id)
    text = _ID.sub(lambda m: f' id="{prefix}-{m.group(1)}"', text)
    text = _REFERENCE.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", text)
    root = _ROOT.search(text)
    assert root is not None
    view_box = _VIEWBOX.search(root.group(0))
    attributes = f'viewBox="{view_box.group(1)}"' if view_box else ""
    new_root = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" {attributes} '
        f'class="chart" role="img" aria-label="{escape(chart.alt)}" focusable="false">'
    )
    return Markup(text[: root.start()] + new_root + text[root.end() :])  # noqa: S704 - built from our own chart, text escaped above
