"""The quote bank: for each theme, a few representative answers proposed for the communications lead.

A good quote is *typical* of its theme rather than the most extreme thing anyone wrote, the coder
was *confident* it belongs there, it reads on its own (not a three-word fragment nor a page), and
the set for a theme comes from *different audiences*. Concretely, for each theme:

1. Candidates: answers coded with the theme at confidence >= `min_confidence` (answers a person
   coded count as certain). A theme with fewer than `threshold` answers gets no quotes at all.
2. Every candidate is redacted first (`Redactor`); one that needed more than `max_removals`
   removals is dropped, since it is probably a personal story that stays identifiable.
3. Length: `min_words` to `max_words` words after redaction.
4. Score = typicality x tone x confidence. *Typicality* is the cosine similarity between the
   answer's TF-IDF vector and the centroid of all the theme's answers: high when it says what many
   said, in words many used. *Tone* is 1 - |sentiment - theme median| / 2 (VADER compound), so an
   answer much angrier or much sunnier than the theme's usual tone ranks lower.
5. Picking: in rounds, the best remaining answer from each audience not yet picked this round, so
   the first quotes of a theme come from as many audiences as have candidates; near-duplicates of
   a quote already picked (cosine > 0.8) are skipped.
6. Attribution from `AttributionLadder`: as fine as the threshold allows, else coarser, else none.

The bank proposes; a person decides. Each quote carries its score parts and `index` (its position
in the records passed in) so the analyst can check it in context before anything is published.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from analysis.quotes.attribution import AttributionLadder
from analysis.text.records import DEFAULT_THRESHOLD, OTHER_CODES, TextAnswer, as_answers
from analysis.text.redaction import RedactionReport, Redactor, strip_tags
from analysis.text.sentiment import sentiment


@dataclass(frozen=True)
class ProposedQuote:
    """One quote proposed for a theme: redacted text, attribution and why it was chosen."""

    theme: str
    text: str
    attribution: str | None
    audience: str
    score: float
    typicality: float
    sentiment: float
    confidence: float
    index: int
    removed: Mapping[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the analyst screen or an export."""
        return {
            "theme": self.theme,
            "text": self.text,
            "attribution": self.attribution,
            "audience": self.audience,
            "score": round(self.score, 4),
            "typicality": round(self.typicality, 4),
            "sentiment": round(self.sentiment, 4),
            "confidence": round(self.confidence, 4),
            "index": self.index,
            "removed": dict(self.removed),
        }


@dataclass
class QuoteBank:
    """Proposed quotes by theme, the themes left without quotes and why, and the redaction audit."""

    quotes: dict[str, list[ProposedQuote]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    redaction: RedactionReport = field(default_factory=RedactionReport)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the analyst screen or an export (redacted text and counts only)."""
        return {
            "quotes": {theme: [q.as_dict() for q in quotes] for theme, quotes in self.quotes.items()},
            "skipped": dict(self.skipped),
            "redaction": self.redaction.as_dict(),
        }


@dataclass
class _Candidate:
    index: int
    answer: TextAnswer
    text: str
    confidence: float
    removed: Mapping[str, int]
    score: float = 0.0
    typicality: float = 0.0
    compound: float = 0.0
    vector: Any = None  #: its row of the theme's TF-IDF matrix (unit length), for spotting near-duplicates


def _typicality(texts: Sequence[str]) -> tuple[np.ndarray, Any]:
    """Each text's cosine similarity to the centroid of all of them in TF-IDF space, and the matrix."""
    from sklearn.feature_extraction.text import (
        TfidfVectorizer,  # only when quotes are proposed: keeps scikit-learn out of the web app
    )

    vectoriser = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    try:
        matrix = vectoriser.fit_transform([strip_tags(t) for t in texts])
    except ValueError:  # nothing but stop words
        return np.zeros(len(texts)), None
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid)
    if norm == 0:
        return np.zeros(len(texts)), matrix
    return np.asarray(matrix @ (centroid / norm)).ravel(), matrix


def _similar(a: _Candidate, b: _Candidate) -> float:
    if a.vector is None or b.vector is None:
        return float(a.text == b.text)
    return float((a.vector @ b.vector.T).toarray()[0, 0])


def propose_quotes(
    records: Iterable[TextAnswer | Mapping[str, Any]],
    themes: Iterable[str] | None = None,
    per_theme: int = 5,
    threshold: int = DEFAULT_THRESHOLD,
    min_confidence: float = 0.7,
    min_words: int = 6,
    max_words: int = 60,
    max_removals: int = 2,
    redactor: Redactor | None = None,
    population: Iterable[TextAnswer | Mapping[str, Any]] | None = None,
) -> QuoteBank:
    """The quote bank for these answers (see the module docstring for how quotes are chosen).

    `population` is every respondent in the campaign (for attribution counts); it defaults to the
    records themselves. Pass a `Redactor` configured with the campaign's schools and areas.
    """
    answers = as_answers(records)
    redactor = redactor or Redactor()
    ladder = AttributionLadder(answers if population is None else population, threshold)
    wanted = (
        list(themes) if themes is not None else sorted({t for a in answers for t in a.themes if t not in OTHER_CODES})
    )
    bank = QuoteBank()
    redacted: dict[int, tuple[str, Mapping[str, int]]] = {}
    for theme in wanted:
        members = [(i, a) for i, a in enumerate(answers) if theme in a.themes and a.text.strip()]
        if len(members) < threshold:
            bank.skipped[theme] = f"{len(members)} answers, fewer than the threshold of {threshold}"
            continue
        for i, a in members:
            if i not in redacted:
                result = redactor.redact(a.text)
                bank.redaction.add(result)
                redacted[i] = (result.text, result.removed)
        typicality, matrix = _typicality([redacted[i][0] for i, _ in members])
        compounds = [sentiment(redacted[i][0]).compound for i, _ in members]
        usual_tone = statistics.median(compounds)
        candidates = []
        for row, ((i, a), typical, compound) in enumerate(zip(members, typicality, compounds, strict=True)):
            text, removed = redacted[i]
            confidence = a.confidence_for(theme)
            words = len(text.split())
            if (
                confidence < min_confidence
                or not min_words <= words <= max_words
                or sum(removed.values()) > max_removals
            ):
                continue
            tone = 1 - abs(compound - usual_tone) / 2
            candidates.append(
                _Candidate(
                    i,
                    a,
                    text,
                    confidence,
                    removed,
                    float(typical) * tone * confidence,
                    float(typical),
                    compound,
                    None if matrix is None else matrix[row],
                )
            )
        if not candidates:
            bank.skipped[theme] = "no answer is confident, clean and the right length to quote"
            continue
        bank.quotes[theme] = [_propose(theme, c, ladder) for c in _pick(candidates, per_theme)]
    return bank


def _pick(candidates: list[_Candidate], count: int) -> list[_Candidate]:
    """Best first, one per audience per round, skipping near-duplicates of those already picked."""
    remaining = sorted(candidates, key=lambda c: (-c.score, c.index))
    picked: list[_Candidate] = []
    while remaining and len(picked) < count:
        used: set[str] = set()
        for candidate in list(remaining):
            if len(picked) == count:
                break
            if candidate.answer.audience in used:
                continue
            remaining.remove(candidate)
            if any(_similar(candidate, p) > 0.8 for p in picked):
                continue
            used.add(candidate.answer.audience)
            picked.append(candidate)
    return picked


def _propose(theme: str, c: _Candidate, ladder: AttributionLadder) -> ProposedQuote:
    attribution = ladder.attribute(c.answer)
    return ProposedQuote(
        theme=theme,
        text=c.text,
        attribution=attribution.label,
        audience=c.answer.audience,
        score=c.score,
        typicality=c.typicality,
        sentiment=c.compound,
        confidence=c.confidence,
        index=c.index,
        removed=c.removed,
    )
