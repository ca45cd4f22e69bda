"""Finding what the codebook misses: candidate topics among answers no theme covers.

`discover_topics` takes the answers that matched no theme or were coded "other", and returns a
few candidate topics, each with its top terms, key phrases and redacted example answers, as plain
data an analyst screen can show. Promoting a candidate to a theme is a codebook edit made
elsewhere; `CandidateTopic.suggested_key` is only a starting name.

How: TF-IDF over words and word pairs (same stop words as the word clouds), then NMF, which gives
each answer a weight on each topic and each topic a weight on each term. NMF suits short answers
better than LDA and is deterministic with a fixed seed. Key phrases are word pairs that occur
together more than chance within the topic's answers (NLTK collocations, likelihood ratio, which
is steadier than PMI on small counts). The number of topics defaults to one per 25 answers,
between 2 and 8; pass `n_topics` to choose.

Disclosure: nothing runs on fewer answers than the threshold, a candidate needs at least
`threshold` answers of its own to be shown, and every example answer is redacted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from nltk.collocations import BigramCollocationFinder
from nltk.metrics import BigramAssocMeasures
from nltk.stem.snowball import SnowballStemmer
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis.text.records import DEFAULT_THRESHOLD, OTHER_CODES, TextAnswer, as_answers
from analysis.text.redaction import Redactor, strip_tags
from analysis.text.words import STOP_WORDS, TOKENISER


@dataclass(frozen=True)
class CandidateTopic:
    """A possible new theme: what it is about and what people wrote."""

    number: int
    answers: int
    share: float  #: of the unthemed answers
    top_terms: tuple[str, ...]
    key_phrases: tuple[str, ...]
    examples: tuple[str, ...]  #: redacted

    @property
    def suggested_key(self) -> str:
        """A starting key for the theme, from the top two terms ("bus_stop", "dogs_fouling")."""
        if not self.top_terms:
            return "new_theme"
        first = self.top_terms[0].split()
        words = first if len(first) > 1 else first + self.top_terms[1].split()[:1] if len(self.top_terms) > 1 else first
        return "_".join(words)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for an analyst screen or JSON."""
        return {
            "number": self.number,
            "answers": self.answers,
            "share": round(self.share, 4),
            "top_terms": list(self.top_terms),
            "key_phrases": list(self.key_phrases),
            "examples": list(self.examples),
            "suggested_key": self.suggested_key,
        }


def unthemed(
    records: Iterable[TextAnswer | Mapping[str, Any]], other_codes: Iterable[str] = OTHER_CODES
) -> list[TextAnswer]:
    """The answers with text that matched no theme, or only "other"."""
    others = set(other_codes)
    return [a for a in as_answers(records) if a.text.strip() and set(a.themes) <= others]


_STEMMER = SnowballStemmer("english")


def _tokens(text: str) -> list[str]:
    return [t for t in TOKENISER.tokenize(strip_tags(text)) if t.isalpha() and len(t) > 1]


class _StemmedTokens:
    """Tokenise to stems ("dogs" and "dog" count together) and remember the usual spelling of each."""

    def __init__(self) -> None:
        self.spellings: dict[str, Counter[str]] = {}

    def __call__(self, text: str) -> list[str]:
        stems = []
        for token in _tokens(text):
            if token in STOP_WORDS:
                continue
            stem = _STEMMER.stem(token)
            self.spellings.setdefault(stem, Counter())[token] += 1
            stems.append(stem)
        return stems

    def spell(self, term: str) -> str:
        """A stemmed term ("dog poo", "firework") in the words people used most ("fireworks")."""
        return " ".join(self.spellings[s].most_common(1)[0][0] if s in self.spellings else s for s in term.split())


def key_phrases(texts: Sequence[str], limit: int = 5, min_count: int = 3) -> list[str]:
    """Word pairs that go together in these texts more than chance (likelihood ratio), most telling first."""
    finder = BigramCollocationFinder.from_documents(_tokens(t) for t in texts)
    finder.apply_freq_filter(min_count)
    finder.apply_word_filter(lambda w: w in STOP_WORDS)
    ranked = finder.score_ngrams(BigramAssocMeasures.likelihood_ratio)
    return [" ".join(pair) for pair, _score in ranked[:limit]]


def discover_topics(
    records: Iterable[TextAnswer | Mapping[str, Any]],
    n_topics: int | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    redactor: Redactor | None = None,
    other_codes: Iterable[str] = OTHER_CODES,
    top_terms: int = 8,
    examples: int = 3,
    seed: int = 0,
) -> list[CandidateTopic]:
    """Candidate topics among the unthemed answers, largest first (empty if there are too few)."""
    answers = unthemed(records, other_codes)
    if len(answers) < max(threshold, 2):
        return []
    redactor = redactor or Redactor()
    # Redact before modelling, so no name or place can become a "top term" of a topic.
    texts = [redactor.redact(a.text).text for a in answers]
    tokeniser = _StemmedTokens()
    vectoriser = TfidfVectorizer(
        tokenizer=tokeniser,
        token_pattern=None,
        lowercase=True,
        ngram_range=(1, 2),
        min_df=2,
        max_df=0.6,
        sublinear_tf=True,
    )
    try:
        matrix = vectoriser.fit_transform([strip_tags(t) for t in texts])
    except ValueError:  # every word was a stop word or used once: nothing to model
        return []
    terms = vectoriser.get_feature_names_out()
    k = n_topics or max(2, min(8, len(texts) // 25))
    k = max(1, min(k, matrix.shape[0] - 1, matrix.shape[1]))
    model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=500)
    weights = model.fit_transform(matrix)
    # Each answer belongs to its strongest topic, if it has any weight at all.
    owner = np.where(weights.max(axis=1) > 1e-6, weights.argmax(axis=1), -1)
    candidates = []
    for topic in range(k):
        members = np.flatnonzero(owner == topic)
        if len(members) < threshold:
            continue  # too few answers to show, and too few to be a theme
        order = np.argsort(-model.components_[topic])
        chosen_terms: list[str] = []
        for index in order:
            term = tokeniser.spell(str(terms[index]))
            # Skip "bus" once "bus stop" is in, and the reverse, so the list says more.
            if model.components_[topic, index] <= 0 or any(
                term in t.split() or t in term.split() for t in chosen_terms
            ):
                continue
            chosen_terms.append(term)
            if len(chosen_terms) == top_terms:
                break
        member_texts = [texts[i] for i in members]
        by_weight = members[np.argsort(-weights[members, topic])]
        picked: list[str] = []
        for i in by_weight:
            if 4 <= len(texts[i].split()) <= 60 and texts[i] not in picked:
                picked.append(texts[i])
            if len(picked) == examples:
                break
        candidates.append(
            CandidateTopic(
                number=topic + 1,
                answers=len(members),
                share=len(members) / len(texts),
                top_terms=tuple(chosen_terms),
                key_phrases=tuple(key_phrases(member_texts)),
                examples=tuple(picked),
            )
        )
    candidates.sort(key=lambda c: -c.answers)
    return candidates
