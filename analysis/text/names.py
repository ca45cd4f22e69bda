"""Finding people's names in free text without a named-entity model.

There is no NER model we can ship, so names are found by three heuristics, in order of trust:

1. **Titles**: "Mr Hughes", "mrs khan", "Miss Patel", "PC Walsh", "sir thompson" (what pupils call
   teachers). "miss" in lower case is a verb ("i miss Tyrone"), so it counts only with a capital.
2. **The first-names list** in `analysis/data/first_names_uk.txt` (curated; see its header for the
   caveat): a listed name is a name in any case, because teenagers write "liam n josh got robbed".
   A capitalised word straight after it is taken as the surname ("Olivia Brown").
3. **Context** for everything else: names that are also words (`first_names_ambiguous.txt`: Will,
   Grace, Jack, Charlie...) and names missing from the list are redacted only when the sentence
   says a person is meant — "my mate Will", "a lad called Gaz", "me and Jack", "Charlie said".

What this misses: unusual names in lower case with no cue, nicknames ("they call him Ghost" is
caught, "Ghost was there" is not) and surnames on their own. The labelled set in
tests/analysis/text/data/redaction_cases.txt measures how much that matters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources

from analysis.text.patterns import Span
from analysis.text.stop_words import ENGLISH_STOP_WORDS

_TOKEN = re.compile(r"[A-Za-z][A-Za-z\-]*(?:['’][A-Za-z]+)?")
_TITLES_ANY_CASE = {"mr", "mrs", "ms", "mx"}
_TITLES_CAPITALISED = {"miss", "dr", "pc", "sgt", "sergeant", "officer", "inspector", "coach", "sir", "dc"}
# People words after which the next capitalised word is a name: "my mate Will", "my son Reggie".
_CUES_BEFORE = {
    "mate",
    "friend",
    "bro",
    "brother",
    "sister",
    "sis",
    "cousin",
    "cuz",
    "son",
    "daughter",
    "boyfriend",
    "girlfriend",
    "bf",
    "gf",
    "neighbour",
    "uncle",
    "aunt",
    "auntie",
    "nan",
    "nana",
    "grandad",
    "grandma",
    "dad",
    "mum",
    "stepdad",
    "stepmum",
    "called",
    "named",
    "pcso",
    "worker",
    "teacher",
    "coach",
    "bestie",
}
_CUE_PHRASES = re.compile(r"(?:\b(?:name\s+is|names|name's|call\s+(?:him|her|them)|me\s+and|me\s+n)\s*)$", re.I)
_CUES_AFTER = {
    "said",
    "says",
    "told",
    "tells",
    "keeps",
    "and me",
    "n me",
    "reckons",
    "my friend",
    "my mate",
    "my bro",
    "my cousin",
}
# Words that follow a title or a first name without being a surname.
_NOT_SURNAMES = ENGLISH_STOP_WORDS | {"said", "says", "told", "and", "n", "is", "was", "got", "keeps", "from", "at"}
# Things people are "called" that are not people.
_NOT_NAMES = {
    "snapchat",
    "snap",
    "tiktok",
    "instagram",
    "insta",
    "youtube",
    "whatsapp",
    "facebook",
    "twitter",
    "discord",
    "kooth",
    "childline",
    "google",
    "fortnite",
    "roblox",
    "minecraft",
    "xbox",
    "playstation",
}
_VERB_AFTER_SIR = {
    "said",
    "says",
    "told",
    "tells",
    "was",
    "is",
    "did",
    "does",
    "gave",
    "made",
    "took",
    "got",
    "never",
    "always",
    "just",
    "called",
    "shouted",
    "thinks",
    "knows",
}


@cache
def _name_lists() -> tuple[frozenset[str], frozenset[str]]:
    data = resources.files("analysis").joinpath("data")

    def read(name: str) -> frozenset[str]:
        text = data.joinpath(name).read_text(encoding="utf-8")
        return frozenset(
            line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
        )

    ambiguous = read("first_names_ambiguous.txt")
    return read("first_names_uk.txt") - ambiguous, ambiguous


def known_first_names() -> frozenset[str]:
    """First names redacted wherever they appear (lower case)."""
    return _name_lists()[0]


def ambiguous_first_names() -> frozenset[str]:
    """First names that are also words, redacted only with a cue (lower case)."""
    return _name_lists()[1]


def _without_possessive(token: str) -> str:
    """ "Ruby's" -> "Ruby", but "O'Connor" stays whole."""
    return re.sub(r"['’]s$", "", token, flags=re.IGNORECASE)


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def find_names(text: str, extra_names: frozenset[str] = frozenset()) -> Iterator[Span]:
    """Spans that hold people's names (and their titles and surnames), by the rules above."""
    names, ambiguous = _name_lists()
    names = names | extra_names
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    skip_until = -1
    for i, (start, end, token) in enumerate(tokens):
        if start < skip_until:
            continue
        base = _without_possessive(token)
        base_end = start + len(base)
        lower = base.lower()
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        gap = text[end : nxt[0]] if nxt else ""
        adjacent = nxt is not None and re.fullmatch(r"\.?\s{1,2}", gap) is not None

        # 1. Titles and the name after them.
        is_title = (
            lower in _TITLES_ANY_CASE or lower == "sir" or (lower in _TITLES_CAPITALISED and _is_capitalised(base))
        )
        if is_title and nxt and adjacent:
            after = _without_possessive(nxt[2])
            word = after.lower()
            takes = _is_capitalised(after) and word not in ENGLISH_STOP_WORDS
            if not takes and lower in _TITLES_ANY_CASE | {"sir"}:
                # "mrs khan", "sir thompson" — but not "sir said", "sir doesnt care".
                takes = (
                    word not in ENGLISH_STOP_WORDS
                    and word not in _VERB_AFTER_SIR
                    and not re.search(r"n['’]?t$", word)
                    and not word.endswith(("ed", "ing"))
                )
            if takes:
                span_end = nxt[0] + len(after)
                skip_until = span_end
                yield Span(start, span_end, "name")
                continue

        before = text[max(0, start - 40) : start]
        prev_word = before.split()[-1].lower().strip(".,:;!?") if before.split() else ""
        cued_before = prev_word in _CUES_BEFORE or bool(_CUE_PHRASES.search(before))
        rest = text[base_end : base_end + 12].lower()
        cued_after = any(re.match(r"['’]?s?\s+" + re.escape(w) + r"\b", rest) for w in _CUES_AFTER)

        listed = lower in names or ("-" in lower and all(part in names | ambiguous for part in lower.split("-")))
        if lower == "spencer" and re.search(r"\bmarks\s+(?:and|&|n)\s+$", before, re.IGNORECASE):
            continue  # the shop
        if not listed and len(lower) > 4 and lower.endswith("s") and lower[:-1] in names:
            listed = True  # "Masons older brother": the possessive as teenagers type it
        if lower in ambiguous and not listed:
            listed = cued_before or (_is_capitalised(base) and cued_after)
        elif not listed and _is_capitalised(base) and lower not in ENGLISH_STOP_WORDS:
            # 3. An unlisted capitalised word is a name only straight after a strong cue.
            listed = cued_before and prev_word not in {"mum", "dad"}
        if not listed or len(base) < 2 or lower in _NOT_NAMES:
            continue
        span_end = base_end
        # 2. "Olivia Brown": a capitalised word right after a first name is its surname.
        if nxt and adjacent and base == token and _is_capitalised(nxt[2]) and nxt[2].lower() not in _NOT_SURNAMES:
            surname = _without_possessive(nxt[2])
            if surname.lower() not in names or surname.lower() in ambiguous:
                span_end = nxt[0] + len(surname)
                skip_until = span_end
        yield Span(start, span_end, "name")
