"""Coding from the codebook's phrases, for a cold start: stemmed phrase matching with negation and evidence.

Every match says which words triggered which theme, and whether a negation cancelled it, so an analyst
can see why an answer was coded and correct the codebook rather than guess at a black box.

Negation is about denying a worry, not about absence. "Not bothered about social media", "gangs aren't
a problem" and "never been bullied" cancel the theme; "no youth clubs" and "not enough police" *are*
the theme for themes marked `absence_is_theme`, and "no more knife crime" is still about knives.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from analysis.coding.codebook import Codebook, Theme
from analysis.coding.text import CLAUSE_BREAKS, NEGATION_BREAKERS, Token, is_negator, phrase_stems, stem, tokenize

#: words that, with a negation, deny a worry about the theme ("not bothered about", "isn't a problem")
DENIAL_STEMS = frozenset(
    stem(w)
    for w in (
        "bothered",
        "bother",
        "worried",
        "worry",
        "concerned",
        "concern",
        "care",
        "problem",
        "problems",
        "issue",
        "issues",
        "scared",
        "afraid",
        "fussed",
        "fear",
        "frightened",
        "deal",
        "affected",
        "affect",
        "interested",
    )
)
#: after a match, only these deny it ("gangs aren't a problem", "social media doesn't bother me")
POST_DENIAL_STEMS = frozenset(
    stem(w) for w in ("problem", "issue", "worry", "concern", "deal", "bother", "affect", "scare", "fuss")
)
_NEEDS_OBJECT = frozenset(stem(w) for w in ("bother", "affect", "scare"))
_OBJECTS = frozenset({"me", "us", "anyone", "people", "them", "him", "her", "my"})
#: small words the text may add inside a phrase ("carry *a* knife" matches "carry knife" and vice versa)
SKIPPABLE = frozenset({"a", "an", "the", "my", "their", "his", "her", "your", "our", "some", "any", "of", "to"})
#: the words the *text* may add inside a phrase: articles only. A possessive changes the meaning too
#: often ("called my name" is not "called names", "on my own" is not "on own").
TEXT_SKIPPABLE = frozenset({"a", "an", "the", "some", "any"})
#: "don't carry knives" at the start of a clause is advice about knives, not a denial
IMPERATIVES = frozenset({"don't", "do"})
PRE_WINDOW = 3
DENIAL_WINDOW = 6
POST_WINDOW = 4
STRENGTH_MULTIWORD = 0.85
STRENGTH_SINGLE = 0.7
NEGATED_SCORE = 0.03
NO_MATCH_SCORE = 0.02


@dataclass(frozen=True)
class RuleMatch:
    """One phrase found in an answer: the evidence shown to the analyst."""

    theme: str
    phrase: str
    #: the words as the respondent wrote them, and where they are in the answer
    text: str
    start: int
    end: int
    negated: bool = False
    #: the words that negated the match, if any
    cue: str = ""

    def explain(self) -> str:
        """One line for the review screen, e.g. `"snapchat" (social media)` or `"not bothered" negates "social media"`."""
        if self.negated:
            return f'"{self.text}" negated by "{self.cue}"'
        return f'"{self.text}" (phrase: {self.phrase})'


@dataclass(frozen=True)
class _Pattern:
    theme: str
    phrase: str
    stems: tuple[str, ...]
    absence_is_theme: bool


class RulesCoder:
    """Codes answers with the phrases in a codebook. Scores are rough confidences in [0, 1]."""

    def __init__(self, codebook: Codebook, *, sub_themes: bool = True) -> None:
        self.codebook = codebook
        self.themes: list[Theme] = codebook.active_themes(sub_themes=sub_themes)
        self.keys = [t.key for t in self.themes]
        self._by_first: dict[str, list[_Pattern]] = defaultdict(list)
        self._blockers: dict[str, list[tuple[str, ...]]] = {}
        for theme in self.themes:
            absence = theme.absence_is_theme or bool(theme.parent and codebook[theme.parent].absence_is_theme)
            for phrase in theme.phrases:
                stems = phrase_stems(phrase)
                if stems:
                    self._by_first[stems[0]].append(_Pattern(theme.key, phrase, stems, absence))
            self._blockers[theme.key] = [s for s in (phrase_stems(p) for p in theme.exclude_phrases) if s]

    @property
    def has_phrases(self) -> bool:
        """Whether there is anything to match (a codebook built from CSV columns has no phrases)."""
        return bool(self._by_first)

    def matches(self, text: str) -> list[RuleMatch]:
        """Every phrase match in `text`, negated ones included, in order of position."""
        tokens = tokenize(text)
        found: list[RuleMatch] = []
        for i, token in enumerate(tokens):
            seen: set[tuple[str, str]] = set()
            for s in sorted(token.stems):  # sorted: evidence in the same order in every process
                for pattern in self._by_first.get(s, ()):
                    if (pattern.theme, pattern.phrase) in seen:
                        continue
                    end = _match_at(tokens, i, pattern.stems)
                    if end is None or self._blocked(tokens, i, end, pattern.theme):
                        continue
                    seen.add((pattern.theme, pattern.phrase))
                    cue = _negation(tokens, i, end, pattern.absence_is_theme)
                    start_char, end_char = tokens[i].start, tokens[end - 1].end
                    found.append(
                        RuleMatch(
                            pattern.theme,
                            pattern.phrase,
                            text[start_char:end_char],
                            start_char,
                            end_char,
                            bool(cue),
                            cue,
                        )
                    )
        return _drop_nested(found)

    def _blocked(self, tokens: list[Token], start: int, end: int, theme: str) -> bool:
        for stems in self._blockers.get(theme, ()):
            for begin in range(max(0, start - len(stems) + 1), start + 1):
                stop = _match_at(tokens, begin, stems)
                if stop is not None and begin <= start and stop >= end:
                    return True
        return False

    def score(self, text: str) -> tuple[dict[str, float], list[RuleMatch]]:
        """Per-theme confidence from the matches, and the matches as evidence."""
        found = self.matches(text)
        scores = dict.fromkeys(self.keys, NO_MATCH_SCORE)
        miss: dict[str, float] = {}
        for m in found:
            if m.negated:
                scores[m.theme] = NEGATED_SCORE
            else:
                strength = STRENGTH_MULTIWORD if " " in m.phrase.strip() else STRENGTH_SINGLE
                miss[m.theme] = miss.get(m.theme, 1.0) * (1.0 - strength)
        for theme in self.themes:
            if theme.parent and theme.key in miss:  # a sub-theme is evidence for its parent too
                miss[theme.parent] = miss.get(theme.parent, 1.0) * miss[theme.key]
        for key, unmatched in miss.items():
            if key in scores:
                scores[key] = round(1.0 - unmatched, 4)
        return scores, found

    def score_many(self, texts: list[str]) -> list[dict[str, float]]:
        """Per-theme confidences for many answers."""
        return [self.score(t)[0] for t in texts]


def _match_at(tokens: list[Token], i: int, stems: tuple[str, ...]) -> int | None:
    """The index after the match if `stems` match starting at token i, else None."""
    j, k, skipped = i, 0, 0
    while k < len(stems):
        if j >= len(tokens):
            return None
        if stems[k] in tokens[j].stems:
            j, k = j + 1, k + 1
        elif stems[k] in SKIPPABLE and k > 0:
            k += 1
        elif k > 0 and tokens[j].norm in TEXT_SKIPPABLE and skipped == 0:
            j, skipped = j + 1, 1
        else:
            return None
    return j


def _clause_start(tokens: list[Token], i: int) -> int:
    while i > 0 and tokens[i - 1].norm not in CLAUSE_BREAKS:
        i -= 1
    return i


def _negation(tokens: list[Token], start: int, end: int, absence_is_theme: bool) -> str:
    """The words that negate the match tokens[start:end], or "" when it stands."""
    begin = _clause_start(tokens, start)
    # Before the match: "not bothered about X" (any theme), "never been bullied" (not for absence themes).
    for k in range(start - 1, max(begin, start - DENIAL_WINDOW) - 1, -1):
        if not is_negator(tokens[k].norm):
            continue
        after = tokens[k + 1].norm if k + 1 < start else ""
        if after in NEGATION_BREAKERS:
            return ""
        between = tokens[k + 1 : start]
        denial = next((t for t in between if t.stems & DENIAL_STEMS), None)
        if denial is not None:
            return " ".join(t.text for t in tokens[k : tokens.index(denial) + 1])
        imperative = k == begin and tokens[k].norm in IMPERATIVES
        if not absence_is_theme and start - k <= PRE_WINDOW and not imperative:
            return tokens[k].text
        return ""
    # After the match: "X isn't a problem", "X doesn't bother me".
    stop = min(len(tokens), end + POST_WINDOW + 3)
    for k in range(end, min(stop, end + POST_WINDOW)):
        if tokens[k].norm in CLAUSE_BREAKS:
            return ""
        if not is_negator(tokens[k].norm):
            continue
        for j in range(k + 1, min(stop, k + 4)):
            if tokens[j].norm in CLAUSE_BREAKS:
                break
            if tokens[j].stems & POST_DENIAL_STEMS:
                needs_object = bool(tokens[j].stems & _NEEDS_OBJECT)
                if needs_object and not (j + 1 < len(tokens) and tokens[j + 1].norm in _OBJECTS):
                    break
                return " ".join(t.text for t in tokens[k : j + 1])
        return ""
    return ""


def _drop_nested(found: list[RuleMatch]) -> list[RuleMatch]:
    """Within a theme, keep the longest phrase where matches overlap ("knife crime" over "knife")."""
    keep: list[RuleMatch] = []
    for m in sorted(found, key=lambda m: (m.start, -(m.end - m.start))):
        if any(k.theme == m.theme and k.start <= m.start and m.end <= k.end for k in keep):
            continue
        keep.append(m)
    return keep
