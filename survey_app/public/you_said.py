"""What "You said, we did" shows: a few big numbers, a few quotes, and the partnership's promises.

Everything comes from the frozen snapshot: a number hidden by disclosure control there is never shown
here, and the quotes are the snapshot's own (already redacted and coarsely attributed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.report.model import FindingsReport, Quote

#: Enough to read at a glance: a child's page, not a report.
BIG_NUMBERS = 3
QUOTES = 3


@dataclass
class BigNumber:
    """One published percentage and the engine's own sentence about it."""

    percent: str
    question: str
    who: str


@dataclass
class Promise:
    """One priority and what the partnership will do about it, in the lead's words."""

    label: str
    response: str


@dataclass
class YouSaidPage:
    """The page's content."""

    title: str
    campaign_name: str
    data_date: str
    numbers: list[BigNumber] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    promises: list[Promise] = field(default_factory=list)


def you_said_page(report: FindingsReport) -> YouSaidPage:
    """The few things worth telling the children and young people who took part."""
    page = YouSaidPage(report.title, report.campaign_name, report.data_date)
    headlines = report.section("headlines")
    for h in headlines.headlines if headlines else []:
        # Only figures the snapshot publishes with a percentage: hidden cells stay hidden.
        if h.figure.suppressed or h.figure.percent is None or h.small_base:
            continue
        page.numbers.append(BigNumber(h.figure.percent_display, h.question, h.who))
        if len(page.numbers) == BIG_NUMBERS:
            break
    quotes = report.section("quotes")
    page.quotes = list(quotes.quotes[:QUOTES]) if quotes else []
    priorities = report.section("priorities")
    page.promises = [
        Promise(p.label, p.response) for p in (priorities.priorities if priorities else []) if p.response.strip()
    ]
    return page
