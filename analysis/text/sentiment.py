"""Sentiment of free-text answers with VADER, summarised by theme and by audience.

**Mapping.** VADER gives each answer a `compound` score from -1 (most negative) to +1 (most
positive). We use the thresholds its authors recommend (Hutto & Gilbert 2014, and the
vaderSentiment README): compound >= 0.05 is *positive*, <= -0.05 is *negative*, anything between is
*neutral*. Reports show the three shares and the mean compound per group.

**What VADER gets wrong here, and what we do about it.**

- It was built on adult social-media English. Teen and UK slang is mostly missing or reversed:
  "sick", "wicked" and "fire" score negative, "peng" and "bare" are unknown. We correct only what we
  can test honestly without context we do not have: "sick" in constructions that are always
  approving ("well sick", "proper sick", "would be sick", "so sick!" at the end of a sentence is
  *not* among them: "my mum is so sick" means ill) and "peng" (always approving). "sick of", "feel
  sick" and "my mum is sick" keep VADER's negative reading.
- Its lexicon lacks words that carry the sentiment in community-safety answers: "unsafe" is
  missing altogether (so "I feel unsafe in the park" scored neutral), as are "stabbing(s)",
  "mugged" and "robbed". We add them with valences matched to their nearest VADER entries
  ("safe" +1.9, "dangerous" -2.1, "stab" -2.8, "threatened" -2.0).
- "lit" is left alone on purpose: "well lit" and "badly lit" are about street lighting here.
- Sentiment is about the *words*, not the respondent's view of the partnership: "more police would
  help" is positive, "there aren't enough police" is neutral. Read the shares as the tone of what
  people wrote, alongside the themes, never as a satisfaction score.

Summaries follow the disclosure rules (`analysis.disclosure`): a group with fewer answers than the
threshold is reported as suppressed, with no counts or shares, and inside a larger group the
negative / neutral / positive counts go through `protect_counts`, so a count of 1–9 (and whatever
would reveal it) is hidden.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from analysis.disclosure import DisclosurePolicy, ProtectedCounts, protect_counts, published_rank
from analysis.text.records import DEFAULT_THRESHOLD, TextAnswer, as_answers, audience_label

if TYPE_CHECKING:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

#: compound >= this is positive; <= minus this is negative (VADER's recommended cut-off).
POSITIVE_AT = 0.05
LABELS = ("negative", "neutral", "positive")

#: Words VADER lacks that carry the tone of community-safety answers (see the module docstring).
DOMAIN_LEXICON = {"unsafe": -2.0, "stabbing": -2.8, "stabbings": -2.8, "mugged": -2.0, "robbed": -2.0, "peng": 2.0}
# "sick" as praise: only where it cannot mean ill, disgusted or fed up.
_SICK_PRAISE = re.compile(
    r"\b(?:well|proper|bare|mad|hella)\s+sick\b|\bwould\s+be\s+(?:so\s+|well\s+)?sick\b"
    r"|\b(?:is|was|looks?)\s+(?:so\s+|well\s+)?sick\s+(?:tho|though|innit|bro|fam)\b",
    re.IGNORECASE,
)
_PRAISE_WORD = "great"  # "sick" is read as VADER reads "great" (+3.1) where it is praise


@cache
def _analyser() -> SentimentIntensityAnalyzer:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # on first use, not at import

    analyser = SentimentIntensityAnalyzer()
    analyser.lexicon.update(DOMAIN_LEXICON)
    return analyser


@dataclass(frozen=True)
class Sentiment:
    """VADER's reading of one answer: the compound score and its label."""

    compound: float
    label: str


def label_for(compound: float) -> str:
    """negative / neutral / positive for a VADER compound score (the documented mapping)."""
    if compound >= POSITIVE_AT:
        return "positive"
    if compound <= -POSITIVE_AT:
        return "negative"
    return "neutral"


def sentiment(text: str) -> Sentiment:
    """The sentiment of one answer, with the slang corrections described above."""
    text = _SICK_PRAISE.sub(lambda m: re.sub(r"sick", _PRAISE_WORD, m.group(), flags=re.IGNORECASE), text)
    compound = float(_analyser().polarity_scores(text)["compound"])
    return Sentiment(compound, label_for(compound))


@dataclass(frozen=True)
class SentimentSummary:
    """The sentiment of one group of answers, with its counts protected by `analysis.disclosure`.

    `counts` is None for a group under the threshold (nothing about it is published); otherwise a
    count from 1 to threshold - 1 inside it is hidden too (`count()` gives None), as in every table.
    """

    group: str
    label: str
    answers: int
    suppressed: bool
    counts: ProtectedCounts | None = None
    mean_compound: float | None = None

    def count(self, label: str) -> int | None:
        """How many answers had this label, or None when hidden."""
        return None if self.counts is None else self.counts[label].value

    def share(self, label: str) -> float | None:
        """The share of answers with this label (0–1), or None when hidden."""
        percent = None if self.counts is None else self.counts[label].percent
        return None if percent is None else percent / 100

    @property
    def negative(self) -> int | None:
        """Negative answers (None when hidden)."""
        return self.count("negative")

    @property
    def neutral(self) -> int | None:
        """Neutral answers (None when hidden)."""
        return self.count("neutral")

    @property
    def positive(self) -> int | None:
        """Positive answers (None when hidden)."""
        return self.count("positive")

    def as_dict(self) -> dict[str, Any]:
        """Plain data for a table or JSON: only published figures."""
        row: dict[str, Any] = {
            "group": self.group,
            "label": self.label,
            "answers": None if self.suppressed else self.answers,
            "suppressed": self.suppressed,
            "mean_compound": self.mean_compound,
        }
        for label in LABELS:
            row[label] = self.count(label)
            row[f"{label}_share"] = self.share(label)
        return row


def mean_score(scores: Iterable[float], counts: ProtectedCounts) -> float | None:
    """A group's average score, only when all its tone counts are published.

    With a count hidden, the average would give back what it hides: near −0.8, nearly every
    answer was negative.
    """
    if any(cell.suppressed for cell in counts.cells):
        return None
    return round(float(statistics.fmean([float(s) for s in scores])), 4)


def summarise(
    records: Iterable[TextAnswer | Mapping[str, Any]], by: str = "theme", threshold: int = DEFAULT_THRESHOLD
) -> list[SentimentSummary]:
    """Sentiment per theme (`by="theme"`, an answer counts once in each of its themes) or per
    audience (`by="audience"`), largest group first; groups under `threshold` answers suppressed (and listed
    last, by name, so that their order gives nothing away)."""
    keys: Callable[[TextAnswer], Iterable[str]]
    if by == "theme":
        keys = lambda a: a.themes  # noqa: E731 - a one-line key function reads better inline
        label = lambda k: k  # noqa: E731
    elif by == "audience":
        keys = lambda a: (a.audience,)  # noqa: E731
        label = audience_label
    else:
        raise ValueError(f"summarise by 'theme' or 'audience', not {by!r}")
    policy = DisclosurePolicy(threshold=threshold)
    groups: dict[str, list[float]] = defaultdict(list)
    for answer in as_answers(records):
        if not answer.text.strip():
            continue
        score = sentiment(answer.text).compound
        for key in keys(answer):
            groups[key].append(score)
    rows = []
    shown = {key: len(scores) if len(scores) >= threshold else None for key, scores in groups.items()}
    for key, scores in sorted(groups.items(), key=lambda kv: published_rank(shown[kv[0]], kv[0])):
        if len(scores) < threshold:
            rows.append(SentimentSummary(key, label(key), len(scores), suppressed=True))
            continue
        labels = [label_for(s) for s in scores]
        counts = protect_counts({name: labels.count(name) for name in LABELS}, policy=policy)
        rows.append(
            SentimentSummary(
                key,
                label(key),
                len(scores),
                suppressed=False,
                counts=counts,
                mean_compound=mean_score(scores, counts),
            )
        )
    return rows
