"""PII redaction for free-text answers: every quote, example answer and word cloud goes through here.

`Redactor.redact(text)` replaces what could identify a person with a tag and says which kinds of
thing it removed (never the removed words themselves, so the audit trail holds no PII):

| category | tag | examples it removes |
|---|---|---|
| name | [name] | Jayden, mrs khan, Mr. Davies, my mate Will, a lad called Gaz, Olivia Brown |
| phone | [phone] | 07700 900123, +44 7700 900123, (0161) 496 0000 — not 999, 101, 111 or 0800 1111 |
| email | [email] | kayla_xx@hotmail.co.uk, jordan dot lee at gmail dot com |
| link | [link] | https://…, www.…, instagram.com/… |
| handle | [handle] | @jaydenxx_09, "my snap is jaydenxx09", "sc: kayla.xo" — not "@ the park" |
| postcode | [postcode] | M32 0JG, m320hb, ST16, wa15 — not "the M60", "my m8", "b4 school", CO2 |
| address | [address] | 12 Acacia Avenue, 3a moss road |
| street | [street] | Chester Road, Moss Lane (capitalised only: "down the road" stays) |
| school | [school] | configured schools in any case; "Stretford High", "St Antony's Catholic College", "broadoak academy" |
| place | [place] | configured areas (wards, towns): "Stretford", "old trafford" |
| age | [age] | "im 15", "as a 14 year old girl" — not "a 15 year old got stabbed" |

Places are redacted in quotes because attribution drops the area first when a group is small: an
answer that says "round my way in Sale Moor" would put it back. Single-word places that are also
everyday words (Sale, Hale, Manor, Stone, Leek...) count only with a capital and not before "of",
so "the shops have a sale on" and "Sale of drugs is everywhere" keep their words, while "Sale is
dead boring" loses the town. That is a judgement call, documented in the tests.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache

from analysis.text.names import find_names
from analysis.text.patterns import (
    Span,
    find_addresses,
    find_ages,
    find_emails,
    find_handles,
    find_links,
    find_phones,
    find_postcodes,
    find_schools,
)

#: The tag each category becomes in redacted text.
TAGS = {
    "name": "[name]",
    "phone": "[phone]",
    "email": "[email]",
    "link": "[link]",
    "handle": "[handle]",
    "postcode": "[postcode]",
    "address": "[address]",
    "street": "[street]",
    "school": "[school]",
    "place": "[place]",
    "age": "[age]",
}
# When two finds overlap and are the same length, the earlier category in this order wins.
_PRIORITY = ["email", "link", "handle", "phone", "postcode", "address", "school", "street", "place", "age", "name"]
#: Single-word places that are also everyday words: matched only capitalised, never before "of".
AMBIGUOUS_PLACE_WORDS = frozenset(
    {
        "sale",
        "hale",
        "manor",
        "stone",
        "leek",
        "moss",
        "heath",
        "bank",
        "cross",
        "park",
        "green",
        "mill",
        "wood",
        "hill",
        "bridge",
        "ash",
        "oak",
        "march",
        "barton",
        "longford",
        "central",
        "north",
        "south",
    }
)
_TAG_PATTERN = re.compile(r"\[(?:" + "|".join(TAGS) + r")\]")


@dataclass(frozen=True)
class Redaction:
    """One answer after redaction: the safe text and how many things of each kind were removed."""

    text: str
    removed: Mapping[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """Whether anything was removed."""
        return bool(self.removed)


@dataclass
class RedactionReport:
    """The audit record for a batch: answers seen, answers changed, and removals by category."""

    answers: int = 0
    answers_changed: int = 0
    removed: Counter[str] = field(default_factory=Counter)

    def add(self, redaction: Redaction) -> None:
        """Count one more redacted answer."""
        self.answers += 1
        self.answers_changed += redaction.changed
        self.removed.update(redaction.removed)

    def as_dict(self) -> dict[str, object]:
        """Plain data for an audit log or a report appendix (counts only, no removed text)."""
        return {
            "answers": self.answers,
            "answers_changed": self.answers_changed,
            "removed": dict(sorted(self.removed.items())),
        }


def _phrase_pattern(phrase: str, case_sensitive: bool) -> re.Pattern[str]:
    words = [re.escape(w) for w in re.split(r"[\s\-]+", phrase.strip()) if w]
    body = r"[\s\-]+".join(words)
    body = body.replace(r"\&", r"(?:&|and)").replace("'", "['’]?")
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(r"(?<![\w'])" + body + r"(?:['’]s)?(?![\w'])", flags)


def _place_phrases(places: Iterable[str]) -> list[str]:
    """Each place, plus the parts of two-part ward names ("Gorse Hill & Cornbrook" -> "Gorse Hill")."""
    phrases: set[str] = set()
    for place in places:
        place = place.strip()
        if not place:
            continue
        phrases.add(place)
        for part in re.split(r"\s*(?:&|\band\b|/|,)\s*|(?<=\w)-(?=[A-Z])", place):
            if part.strip() and part.strip().lower() not in {"north", "south", "east", "west", "central"}:
                phrases.add(part.strip())
    return sorted(phrases, key=len, reverse=True)


class Redactor:
    """Finds and replaces PII in free text; configure it with the campaign's schools and areas."""

    def __init__(
        self, schools: Iterable[str] = (), places: Iterable[str] = (), extra_names: Iterable[str] = ()
    ) -> None:
        self._schools = [_phrase_pattern(s, case_sensitive=False) for s in schools if s.strip()]
        self._places: list[re.Pattern[str]] = []
        for phrase in _place_phrases(places):
            ambiguous = phrase.lower() in AMBIGUOUS_PLACE_WORDS
            self._places.append(_phrase_pattern(phrase, case_sensitive=ambiguous))
        self._extra_names = frozenset(n.strip().lower() for n in extra_names if n.strip())

    def find(self, text: str) -> list[Span]:
        """Every span to remove, without overlaps, in text order."""
        found: list[Span] = [
            *find_emails(text),
            *find_links(text),
            *find_handles(text),
            *find_phones(text),
            *find_postcodes(text),
            *find_addresses(text),
            *find_schools(text),
            *find_ages(text),
            *self._configured(text),
            *find_names(text, self._extra_names),
        ]
        chosen: list[Span] = []
        for span in sorted(found, key=lambda s: (-(s.end - s.start), _PRIORITY.index(s.category), s.start)):
            if all(span.end <= c.start or span.start >= c.end for c in chosen):
                chosen.append(span)
        return sorted(chosen, key=lambda s: s.start)

    def _configured(self, text: str) -> Iterator[Span]:
        for pattern in self._schools:
            for m in pattern.finditer(text):
                yield Span(m.start(), m.end(), "school")
        for pattern in self._places:
            for m in pattern.finditer(text):
                if not pattern.flags & re.IGNORECASE and re.match(r"\s+of\b", text[m.end() :]):
                    continue  # "Sale of drugs": the word, not the town
                end = m.end() - 2 if m.group().endswith(("'s", "’s")) else m.end()
                yield Span(m.start(), end, "place")

    def redact(self, text: str, categories: Collection[str] | None = None) -> Redaction:
        """The text with each find (of these categories, or all) replaced by its tag, and the count
        of finds by category."""
        spans = [s for s in self.find(text) if categories is None or s.category in categories]
        parts: list[str] = []
        cursor = 0
        for span in spans:
            parts.append(text[cursor : span.start])
            parts.append(TAGS[span.category])
            cursor = span.end
        parts.append(text[cursor:])
        return Redaction("".join(parts), dict(Counter(s.category for s in spans)))

    def redact_all(self, texts: Iterable[str]) -> tuple[list[Redaction], RedactionReport]:
        """Redact many answers and keep the audit report for the batch."""
        report = RedactionReport()
        results = []
        for text in texts:
            result = self.redact(text)
            report.add(result)
            results.append(result)
        return results, report


#: What names or reaches one person outright: taken out of free text before an answer is stored, so
#: no respondent's answers hold a name, a phone number or a home. Streets, places, schools and ages
#: stay (they say where, and of whom in general, which the findings need) and are redacted whenever
#: an answer is shown.
IDENTIFIERS = frozenset({"name", "phone", "email", "link", "handle", "postcode", "address"})


@cache
def _plain_redactor() -> Redactor:
    return Redactor()


def without_identifiers(text: str) -> str:
    """The text with every name, phone number, email, link, handle, postcode and address replaced
    by its tag ("a boy called [name] at [address]"), everything else as written."""
    return _plain_redactor().redact(text, IDENTIFIERS).text


def is_tag(token: str) -> bool:
    """Whether a token is a redaction tag such as "[name]" (word clouds and topics leave them out)."""
    return bool(_TAG_PATTERN.fullmatch(token))


def strip_tags(text: str) -> str:
    """The text without redaction tags, for counting words (never for showing to anyone)."""
    return _TAG_PATTERN.sub(" ", text)
