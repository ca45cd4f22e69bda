"""What "You said, we did" shows: a few big numbers, a few quotes, and the partnership's promises.

Everything comes from the frozen snapshot: a number hidden by disclosure control there is never shown
here, and the quotes are the snapshot's own (already redacted and coarsely attributed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.report.layout import long_date
from analysis.report.model import FindingsReport, HeadlineFigure, Quote
from analysis.report.priorities import SEED_PRIORITIES
from questionnaires.model import AUDIENCES

#: Enough to read at a glance: a child's page, not a report.
BIG_NUMBERS = 3
QUOTES = 3


@dataclass
class BigNumber:
    """One published percentage and what it means, in the engine's own words: "78%" "of children aged
    8 to 11" "said they feel safe in their local area"."""

    percent: str
    who: str
    said: str


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
    page = YouSaidPage(report.title, report.campaign_name, long_date(report.data_date))
    headlines = report.section("headlines")
    page.numbers = [_big_number(h) for h in _across_audiences(headlines.headlines if headlines else [])]
    quotes = report.section("quotes")
    page.quotes = list(quotes.quotes[:QUOTES]) if quotes else []
    priorities = report.section("priorities")
    page.promises = [
        Promise(_plain(p.key, p.label), p.response)
        for p in (priorities.priorities if priorities else [])
        if p.response.strip()
    ]
    return page


#: The seed priorities' strategy terms in words a nine-year-old reads ("Primary prevention" is jargon
#: on a page written for the children who took part); a name the partnership chose is kept as it is.
PLAIN_NAMES = {
    "attitudinal_change": "Changing how people think about violence",
    "primary_prevention": "Stopping trouble before it starts",
    "secondary_prevention": "Helping early when someone is at risk",
    "tertiary_prevention": "Helping people already caught up in violence",
    "enforcement_criminal_justice": "Police and keeping streets safe",
}
_SEED_LABELS = {p.key: p.label for p in SEED_PRIORITIES}


def _plain(key: str, label: str) -> str:
    return PLAIN_NAMES[key] if key in PLAIN_NAMES and _SEED_LABELS.get(key) == label else label


def _across_audiences(headlines: list[HeadlineFigure]) -> list[HeadlineFigure]:
    """Up to `BIG_NUMBERS` headlines taking turns across the audiences, children and young people first.

    The report lists every headline of one audience before the next, so the first few were all
    about the youngest: a young person or parent who took part should find their own group too.
    """
    by_audience: dict[str, list[HeadlineFigure]] = {}
    for h in headlines:
        # Only figures the snapshot publishes with a percentage: hidden cells stay hidden.
        if h.figure.suppressed or h.figure.percent is None or h.small_base:
            continue
        by_audience.setdefault(h.audience, []).append(h)
    order = sorted(by_audience, key=lambda a: AUDIENCES.index(a) if a in AUDIENCES else len(AUDIENCES))
    chosen: list[HeadlineFigure] = []
    for turn in range(max((len(v) for v in by_audience.values()), default=0)):
        chosen += [by_audience[a][turn] for a in order if turn < len(by_audience[a])]
    return chosen[:BIG_NUMBERS]


def _big_number(h: HeadlineFigure) -> BigNumber:
    """A headline as a plain sentence; a snapshot saved before `said` was kept names the answers counted."""
    said = h.said or f"answered \u201c{h.what}\u201d to \u201c{h.question}\u201d"
    return BigNumber(h.figure.percent_display, h.who, said)
