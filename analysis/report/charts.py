"""Bar charts of shares with matplotlib: SVG for HTML (and the PDF made from it), PNG for documents.

Horizontal bars (labels stay readable), the axis from 0 to 100%, the 95% interval drawn as a line
with caps, each bar labelled with its percentage directly (no legend), one colour from the Okabe–Ito
palette so colour never carries meaning on its own. A hidden value is never drawn: its row says
"[c] hidden" in text and has no bar. A chart is drawn once per format and kept for the build.
"""

from __future__ import annotations

import io
import json
import textwrap
from dataclasses import asdict
from functools import lru_cache
from typing import Any

from analysis.report.model import HIDDEN, Chart

#: Okabe & Ito (2008), colour-blind safe: blue for bars, black for intervals and text.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}
BAR = OKABE_ITO["blue"]
INK = OKABE_ITO["black"]


def _pyplot() -> Any:
    # matplotlib takes about half a second to import: web workers must start fast, so it is
    # imported only when a chart is actually drawn, with the Agg backend (no display).
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {"svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 10, "svg.hashsalt": "report"}
    )
    return plt


def svg(chart: Chart) -> str:
    """The chart as SVG text (text kept as text, so it can be read and searched)."""
    return _draw(json.dumps(asdict(chart), sort_keys=True), "svg").decode("utf-8")


def png(chart: Chart) -> bytes:
    """The chart as a PNG image (for Word and PowerPoint)."""
    return _draw(json.dumps(asdict(chart), sort_keys=True), "png")


def size_inches(chart: Chart) -> tuple[float, float]:
    """Width and height the chart is drawn at."""
    return 7.0, 0.9 + 0.45 * max(1, len(chart.bars))


@lru_cache(maxsize=256)
def _draw(key: str, fmt: str) -> bytes:
    data = json.loads(key)
    bars = data["bars"]
    plt = _pyplot()
    width, height = 7.0, 0.9 + 0.45 * max(1, len(bars))
    fig, ax = plt.subplots(figsize=(width, height))
    try:
        labels = ["\n".join(textwrap.wrap(b["label"], 30)) for b in bars]
        # Margins worked out from the label lengths: tight_layout measures every text and takes
        # most of the drawing time.
        longest = max((len(line) for label in labels for line in label.split("\n")), default=4)
        left = min(0.45, (0.2 + 0.075 * longest) / width)
        fig.subplots_adjust(left=left, right=0.95, top=1 - 0.2 / height, bottom=0.62 / height)
        positions = list(range(len(bars)))[::-1]  # first bar at the top
        for y, bar in zip(positions, bars, strict=True):
            figure = bar["figure"]
            percent = figure["percent"]
            if figure["value"] is None or percent is None:
                # Never drawn: a hidden value or a base too small for a percentage.
                text = f"{HIDDEN} hidden" if figure["value"] is None else "too few to show"
                ax.text(1, y, text, va="center", ha="left", color=INK, fontstyle="italic")
                continue
            ax.barh(y, percent, color=BAR, height=0.6)
            right = percent
            if figure["ci"]:
                low, high = figure["ci"]
                # Rounding can put a share a hair outside its own interval (e.g. 100% vs 99.9999...).
                spread = [[max(0.0, percent - low)], [max(0.0, high - percent)]]
                ax.errorbar(percent, y, xerr=spread, fmt="none", ecolor=INK, capsize=3)
                right = high
            ax.text(right + 1.5, y, figure["percent_display"], va="center", ha="left", color=INK)
        ax.set_yticks(positions, labels)
        ax.set_xlim(0, 100)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.set_ylim(-0.6, len(bars) - 0.4)
        ax.set_xlabel(f"{data['axis_label']} (lines show 95% confidence intervals)")
        ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:.0f}%")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=130, metadata={"Date": None} if fmt == "svg" else None)
        return buffer.getvalue()
    finally:
        plt.close(fig)
