"""The "free text at a glance" page as one publication: coding progress, themes by audience, tone and
the words beside the clouds, all counting the same answers and protected together.

Protected one table at a time, a reader could combine them: a word every answer of a theme uses
repeats that theme's count (so a count the theme table hides comes back from the word table), the
per-theme and per-audience word tables split the same answers two ways (a word used only in one
audience's answers, subtracted across audiences), and the tone counts (shares of a published
number of answers) add up to the theme's count. So every table on the page (both tabs of clouds
included: a reader can open either) is a `LinkedTable` over the page's answers, solved with the
progress tables by `protect_publication` (`progress_with`):

* words count answers that use them (not occurrences), from redacted text;
* a word used by fewer than the threshold of a group's answers is not shown at all, and one whose
  count must be hidden to protect another figure is left out of the table and of the cloud;
* a cloud draws only the words its table shows, at their published counts.

Redaction is the slow part, so each answer's words and tone score are remembered per campaign
setting and text (`_READ`); the protection itself is remembered by what it protects (`_PAGES`).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from analysis.disclosure import DisclosurePolicy, LinkedTable, ProtectedCounts, ProtectedTable, published_rank
from analysis.disclosure.words import shown_words, word_table
from analysis.report.model import audience_label
from analysis.text.records import DEFAULT_THRESHOLD, TextAnswer
from survey_app.models.campaigns import Campaign
from survey_app.staff.free_text.insights import GROUPINGS, CampaignText, campaign_text
from survey_app.staff.free_text.progress import CodingProgress, progress_tables, progress_with, text_answers

if TYPE_CHECKING:
    from analysis.text.sentiment import SentimentSummary
    from analysis.text.words import WordCloudImage

#: (campaign redaction setting, answer text) -> (its words after redaction, its tone score)
_READ: OrderedDict[tuple[Hashable, str], tuple[frozenset[str], float]] = OrderedDict()
_READ_LIMIT = 200_000
#: what the tables hold (a digest) -> the page's protected tables
_PAGES: OrderedDict[str, tuple[CodingProgress, list[ProtectedTable]]] = OrderedDict()
_PAGES_LIMIT = 16
#: a web process serves pages on several threads
_LOCK = threading.Lock()


@dataclass
class CloudGroup:
    """One theme's or audience's word cloud, as the page lists it."""

    key: str
    label: str
    answers: int
    #: no cloud is drawn and the group's count is hidden, because it is small or to protect another
    #: figure: the page says the same for both, or the message would tell one from the other
    too_small: bool
    #: (word, answers using it) rows for the table beside the cloud: only published words
    table: list[tuple[str, str]] = field(default_factory=list)
    #: the group's answer count is hidden (to protect another figure), so the caption must not give it
    count_hidden: bool = False
    #: the shown words and their published counts: all the cloud may draw
    words: dict[str, int] = field(default_factory=dict)


@dataclass
class TextPage:
    """Everything the page shows, protected as one publication."""

    progress: CodingProgress
    #: "theme" / "audience" -> tone rows
    sentiment: dict[str, list[SentimentSummary]]
    #: "theme" / "audience" -> the clouds of that tab
    clouds: dict[str, list[CloudGroup]]
    #: every table of the page as sets of answers, with what it publishes (for audits and tests)
    publication: list[tuple[LinkedTable, ProtectedTable]] = field(default_factory=list, repr=False)


def _read(data: CampaignText, text: str) -> tuple[frozenset[str], float]:
    """An answer's words (after redaction) and tone score, remembered: redaction takes milliseconds."""
    from analysis.text.sentiment import sentiment  # heavy (NLTK, VADER): see insights
    from analysis.text.words import answer_words

    key = (data.redacting, text)
    with _LOCK:
        found = _READ.get(key)
    if found is None:
        found = (frozenset(answer_words(data.redactor.redact(text).text)), sentiment(text).compound)
    with _LOCK:
        _READ[key] = found
        _READ.move_to_end(key)
        while len(_READ) > _READ_LIMIT:
            _READ.popitem(last=False)
    return found


def _groups(records: Sequence[TextAnswer], by: str) -> dict[str, np.ndarray]:
    """Each theme's or audience's answers as a mask, by name (the page lists them by what it shows)."""
    keys = {k for r in records for k in (r.themes if by == "theme" else (r.audience,))}
    masks = {
        k: np.array([k in (r.themes if by == "theme" else (r.audience,)) for r in records], dtype=bool) for k in keys
    }
    return dict(sorted(masks.items()))


def _digest(tables: Sequence[LinkedTable], threshold: int) -> str:
    """What a publication protects, as a digest: the same tables give the same protection."""
    h = hashlib.blake2b(str(threshold).encode(), digest_size=20)
    for t in tables:
        h.update(repr((t.link, t.exclusive, t.keep, list(t.row_labels), list(t.col_labels))).encode())
        for mask in (*t.rows, *t.columns):
            h.update(np.packbits(mask).tobytes())
    return h.hexdigest()


def text_page(campaign: Campaign, threshold: int = DEFAULT_THRESHOLD) -> TextPage:
    """The page's figures: progress, tone by theme and audience, and both tabs' word tables, protected together."""
    from analysis.text.sentiment import LABELS, label_for  # heavy: see insights

    data = campaign_text(campaign)
    tables, themes, ever_coded = progress_tables(campaign.id)
    index = {data.key_of(i): i for i in range(len(data.records))}
    records = [data.records[index[(r, q)]] for r, q, _ in text_answers(campaign.id)]
    read = [_read(data, r.text) for r in records]
    from analysis.text.words import one_form

    words_of = one_form([words for words, _ in read])
    tone = np.array([LABELS.index(label_for(score)) for _, score in read], dtype=int)
    link = tables[0].link
    groups = {by: _groups(records, by) for by in GROUPINGS}
    # One table per group, a tone table and a word table: a table of several groups would also
    # publish, to the attacker's model, totals over groups that the page never shows.
    beside: list[LinkedTable] = []
    for by in GROUPINGS:
        for k, m in groups[by].items():
            beside.append(LinkedTable([m], [m & (tone == s) for s in range(len(LABELS))], [k], LABELS, link=link))
            beside.append(word_table(m, words_of, label=k, threshold=threshold, link=link))
    key = _digest([*tables, *beside], threshold)
    with _LOCK:
        kept = _PAGES.get(key)
    if kept is None:
        kept = progress_with(tables, themes, ever_coded, threshold, beside)
    with _LOCK:
        _PAGES[key] = kept
        _PAGES.move_to_end(key)
        while len(_PAGES) > _PAGES_LIMIT:
            _PAGES.popitem(last=False)
    progress, every = kept
    publication = list(zip([*tables, *beside], every, strict=True)) if every else []
    protected = list(every[len(tables) :])
    policy = DisclosurePolicy(threshold=threshold)
    sentiment: dict[str, list[SentimentSummary]] = {by: [] for by in GROUPINGS}
    clouds: dict[str, list[CloudGroup]] = {by: [] for by in GROUPINGS}
    every_score = np.array([score for _, score in read], dtype=float)
    for by in GROUPINGS:
        for k, mask in groups[by].items():
            tones, words = protected.pop(0), protected.pop(0)
            sentiment[by].append(_tone(k, _label(data, by, k), every_score[mask], tones, policy))
            shown = shown_words(words)
            size = int(mask.sum())
            clouds[by].append(
                CloudGroup(
                    k,
                    _label(data, by, k),
                    size,
                    words.row_totals[0].suppressed and not shown,
                    [(w, cell.display) for w, cell in shown],
                    words.row_totals[0].suppressed,
                    {w: cell.value or 0 for w, cell in shown},
                )
            )
    # Listed by what the page shows, hidden groups last by name: the true sizes would place them.
    for by in GROUPINGS:
        sentiment[by].sort(key=lambda row: published_rank(_shown_size(row), row.label))
        place = {row.group: n for n, row in enumerate(sentiment[by])}
        clouds[by].sort(key=lambda group: place[group.key])
    return TextPage(progress, sentiment, clouds, publication)


def _shown_size(row: SentimentSummary) -> int | None:
    """How many answers a tone row publishes (None when hidden)."""
    return None if row.suppressed or row.counts is None else row.counts.total.value


def _label(data: CampaignText, by: str, key: str) -> str:
    """A theme's label, or an audience named as the results page names it ("Young people"): a group of
    answers, not one person (quotes keep the singular, "Young person", of `analysis.text.records`)."""
    return data.theme_labels.get(key, key) if by == "theme" else audience_label(key)


def _tone(
    key: str, label: str, scores: np.ndarray, table: ProtectedTable, policy: DisclosurePolicy
) -> SentimentSummary:
    """A group's tone row: its counts as the publication protected them, none when its count is hidden."""
    from analysis.text.sentiment import SentimentSummary, mean_score  # heavy: see insights

    base = table.row_totals[0]
    if base.suppressed:
        return SentimentSummary(key, label, len(scores), suppressed=True)
    counts = ProtectedCounts(table.col_labels, table.cells[0], base, policy)
    return SentimentSummary(key, label, len(scores), False, counts, mean_score(scores, counts))


def cloud_image(campaign: Campaign, by: str, group: str, threshold: int = DEFAULT_THRESHOLD) -> WordCloudImage | None:
    """One group's cloud, drawn from the words its table shows; None when it shows none."""
    from analysis.text.words import draw  # heavy: see insights

    found = next((g for g in text_page(campaign, threshold).clouds.get(by, []) if g.key == group), None)
    if found is None or found.too_small or not found.words:
        return None
    return draw(found.words, group, found.answers, threshold=threshold)
