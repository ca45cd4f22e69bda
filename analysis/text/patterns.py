"""Finders for contact details and locations in free text: each returns `Span`s, never the values.

Every finder is written for what respondents actually type: lower case, no spaces, teen spellings
("m320hb", "07700-900-123", "sc: kayla.xo", "jordan dot lee at gmail dot com"). Each one also
knows the everyday text it must leave alone (see the comments), because a quote that loses its
meaning to over-eager redaction is as useless to a report as one that names someone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from analysis.text.stop_words import ENGLISH_STOP_WORDS


@dataclass(frozen=True)
class Span:
    """Characters `start`..`end` of a text hold something of `category` (name, phone...)."""

    start: int
    end: int
    category: str


# --- email addresses and links -------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# "jordan dot lee at gmail dot com": spelled out to dodge filters, or just how it was said.
_EMAIL_SPOKEN = re.compile(
    r"\b[\w+-]+(?:\s+dot\s+[\w+-]+)*\s+(?:at|@)\s+"
    r"(?:gmail|googlemail|hotmail|yahoo|outlook|icloud|live|aol|btinternet|sky|mail)\s+dot\s+"
    r"(?:com|net|org|co\s+dot\s+uk|co\.uk)\b",
    re.IGNORECASE,
)
_TLDS = r"(?:com|co\.uk|org\.uk|gov\.uk|ac\.uk|org|net|uk|io|ly|me|tv|gg|app|be|info|biz|link|site)"
_LINK = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"']+"
    r"|\b(?:[a-z0-9-]+\.)+" + _TLDS + r"\b(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)


def find_emails(text: str) -> Iterator[Span]:
    """Email addresses, written normally or spelled out ("x at gmail dot com")."""
    for pattern in (_EMAIL, _EMAIL_SPOKEN):
        for m in pattern.finditer(text):
            yield Span(m.start(), m.end(), "email")


def find_links(text: str) -> Iterator[Span]:
    """Web addresses, with or without http:// (a profile link names its owner)."""
    for m in _LINK.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in ".,;:!?)":  # sentence punctuation is not the link
            end -= 1
        yield Span(m.start(), end, "link")


# --- social-media handles ------------------------------------------------------------------------

# "@" is also shorthand for "at" ("@ the park", "meet @home"): a handle starts right after the @
# and is not one of these everyday words.
_AT_WORDS = {
    "the",
    "home",
    "school",
    "night",
    "work",
    "college",
    "uni",
    "mine",
    "my",
    "yours",
    "his",
    "hers",
    "theirs",
    "ours",
    "church",
    "mosque",
    "lunch",
    "break",
    "weekends",
    "weekend",
}
_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)")
_APPS = r"(?:snap|snapchat|sc|insta|instagram|ig|tiktok|tt|twitter|discord|twitch|youtube|yt)"
# "my snap is kayla.xo", "sc: kayla.xo", "add me on snap tylerb_2009". The handle must look like
# one (a digit, underscore or inner dot) unless it follows a colon, so "snapchat is bad" keeps "bad".
_HANDLE_CUED = re.compile(
    r"\b" + _APPS + r"\s*(?:(?P<colon>:)|\s(?:name\s+|username\s+|handle\s+|account\s+)?is|\s)\s*"
    r"(?P<handle>@?[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,28}[A-Za-z0-9_]))",
    re.IGNORECASE,
)


def find_handles(text: str) -> Iterator[Span]:
    """@handles, and usernames given after an app name ("my snap is ...")."""
    for m in _HANDLE.finditer(text):
        if m.group(1).lower() not in _AT_WORDS and not m.group(1).isdigit():
            yield Span(m.start(), m.end(), "handle")
    for m in _HANDLE_CUED.finditer(text):
        handle = m.group("handle")
        looks_like_handle = bool(re.search(r"[\d_]|\w\.\w", handle)) or handle.startswith("@")
        if handle.lower() in ENGLISH_STOP_WORDS or not (looks_like_handle or m.group("colon")):
            continue
        yield Span(m.start("handle"), m.end("handle"), "handle")


# --- phone numbers -------------------------------------------------------------------------------

# A UK number is 10 or 11 digits from its leading 0 (or +44 / 0044 and 9–10 more). Short service
# numbers (999, 101, 111, Childline's 0800 1111) are public, too short to match, and stay.
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+\s?44|0044)\s?(?:\(0\)\s?)?|\(?0)(?:[\s\-().]{0,2}\d){8,10}(?!\d)")
# Freephone numbers (0800, 0808) belong to helplines and services such as Crimestoppers, not people.
_FREEPHONE = ("800", "808")


def find_phones(text: str) -> Iterator[Span]:
    """UK phone numbers in any usual spacing: 07700 900123, (0161) 496 0000, +44 7700 900123."""
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if m.group().startswith("+") or digits.startswith("0044"):
            national = digits[4:] if digits.startswith("0044") else digits[2:]
            if national.startswith("0"):  # "+44 (0) 7700 ..." writes the trunk 0 as well
                national = national[1:]
        else:
            national = digits[1:]
        if 9 <= len(national) <= 10 and not national.startswith(("0", *_FREEPHONE)):
            yield Span(m.start(), m.end(), "phone")


# --- postcodes -----------------------------------------------------------------------------------

_AREAS_TEXT = """
AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH
EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M
ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST
SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE
"""
#: The UK postcode areas (the letters at the start of a postcode), with Guernsey, Jersey and the Isle of Man.
POSTCODE_AREAS = frozenset(_AREAS_TEXT.split())
_LONDON_AREAS = frozenset({"E", "EC", "N", "NW", "SE", "SW", "W", "WC"})  # only they have "W1A"-style districts
#: Manchester's districts: M56, M62 and M67 are motorways, never postcodes.
_M_DISTRICTS = frozenset({*range(1, 36), 38, 40, 41, *range(43, 47), 50, 60, 61, 90, 99})
# Text that looks like an outward code but is not one: gases, vitamins, consoles.
_NOT_POSTCODES = frozenset({"co2", "b12", "b6", "n64", "s4c", "e10"})
_FULL_POSTCODE = re.compile(
    r"\b(?P<area>[A-Za-z]{1,2})(?P<district>\d[A-Za-z\d]?)\s*\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}\b"
)
_OUTWARD = re.compile(r"\b(?P<area>[A-Za-z]{1,2})(?P<district>\d{1,2}[A-Za-z]?)\b")
# Motorways that share a name with a Manchester district; "the M32" (Stretford) is a district here.
_MOTORWAYS = frozenset({1, 6, 25, 60, 61})
_MOTORWAY_AFTER = re.compile(r"^\s*(?:motorway|junction|j\d|services|toll|northbound|southbound|slip)", re.I)


def _valid_outward(area: str, district: str) -> bool:
    area, district = area.upper(), district.upper()
    if area not in POSTCODE_AREAS:
        return False
    if district[-1].isalpha():
        return area in _LONDON_AREAS and district[:-1].isdigit()
    if area == "M":
        return int(district) in _M_DISTRICTS
    return True


def find_postcodes(text: str) -> Iterator[Span]:
    """Full postcodes in any case ("m320hb"), and outward codes alone ("M32", "people in wa15")."""
    for m in _FULL_POSTCODE.finditer(text):
        if _valid_outward(m.group("area"), m.group("district")):
            yield Span(m.start(), m.end(), "postcode")
    for m in _OUTWARD.finditer(text):
        area, district, token = m.group("area"), m.group("district"), m.group()
        if not _valid_outward(area, district) or token.lower() in _NOT_POSTCODES:
            continue
        before = text[: m.start()].lower()
        cued = bool(re.search(r"post\s*code(?:\s+(?:is|starts|starts with|was))?\s*$", before))
        # Teen spellings are single-digit and lower case ("my m8", "b4 school", "sk8"), so a
        # lower-case outward code needs two digits or the word "postcode" before it.
        if not (cued or token.isupper() or sum(c.isdigit() for c in district) == 2):
            continue
        # "the M60", "M6 services": motorways share their names with Manchester districts.
        motorway_context = re.search(r"(?:^|\s)the\s*$", before) or _MOTORWAY_AFTER.match(text[m.end() :])
        if area.upper() == "M" and district.isdigit() and int(district) in _MOTORWAYS and motorway_context:
            continue
        yield Span(m.start(), m.end(), "postcode")


# --- street addresses ----------------------------------------------------------------------------

_STREET_WORDS = (
    r"road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|crescent|grove|terrace|gardens"
    r"|court|place|walk|mews|row|square|rise|parade|boulevard"
)
# Named streets without a house number need capitals ("Moss Lane"): "the main road" and "down the
# road" are not addresses. Parks, greens and hills are places people talk about, not addresses.
_STREET_LONG = r"Road|Street|Avenue|Lane|Close|Drive|Way|Crescent|Grove|Terrace|Gardens|Court|Mews|Row|Square|Rise|Parade|Boulevard"
_ADDRESS = re.compile(
    r"\b\d{1,4}[a-zA-Z]?(?:\s*-\s*\d{1,4}[a-zA-Z]?)?\s+(?P<words>(?:[A-Za-z][A-Za-z'’]+\s+){1,3})"
    r"(?:" + _STREET_WORDS + r")\b",
    re.IGNORECASE,
)
_STREET = re.compile(r"\b(?P<words>(?:[A-Z][a-z'’]+\s+){1,3})(?:" + _STREET_LONG + r")\b")
_STREET_NOT_NAMES = ENGLISH_STOP_WORDS | {"high", "main", "back", "dark", "busy", "long", "big", "side", "same"}


def find_addresses(text: str) -> Iterator[Span]:
    """House-number addresses ("12 acacia avenue") and named streets ("Chester Road")."""
    for m in _ADDRESS.finditer(text):
        if not any(w.lower() in ENGLISH_STOP_WORDS for w in m.group("words").split()):
            yield Span(m.start(), m.end(), "address")
    for m in _STREET.finditer(text):
        words = m.group("words").split()
        while words and words[0].lower() in _STREET_NOT_NAMES:
            words = words[1:]
        if words:
            start = m.end() - len(m.group()) + m.group().index(words[0])
            yield Span(start, m.end(), "street")


# --- schools -------------------------------------------------------------------------------------

_SCHOOL_SUFFIX = (
    r"(?:High School|Grammar School|Primary School|Junior School|Infant School|Secondary School"
    r"|Girls'? School|Boys'? School|Catholic College|Catholic High School|C of E Primary|CE Primary"
    r"|RC Primary|Academy|College|School|High|Grammar|Primary)(?:\s+for\s+(?:Girls|Boys))?"
)
_SCHOOL = re.compile(r"\b(?P<words>(?:(?:St\.?|Saint)\s+)?(?:[A-Z][\w'’]*\s+){1,4})" + _SCHOOL_SUFFIX + r"\b")
_SCHOOL_LOWER = re.compile(
    r"\b(?P<words>(?:[a-z][\w'’]*\s+){1,3})(?:high school|grammar school|primary school|junior school"
    r"|infant school|primary|academy)(?:\s+for\s+(?:girls|boys))?\b"
)
#: Words that make "… school" generic rather than a school's name ("my old high school").
GENERIC_SCHOOL_WORDS = ENGLISH_STOP_WORDS | {
    "good",
    "bad",
    "new",
    "old",
    "local",
    "big",
    "small",
    "nearest",
    "whole",
    "state",
    "private",
    "catholic",
    "church",
    "girls",
    "boys",
    "secondary",
    "primary",
    "high",
    "junior",
    "infant",
    "grammar",
    "special",
    "sixth",
    "form",
    "kids",
    "children",
    "every",
    "public",
    "free",
    "faith",
    "best",
    "worst",
    "same",
    "nice",
    "rough",
    "decent",
    "year",
    "at",
    "go",
    "goes",
    "went",
    "attend",
    "attends",
    "from",
    "to",
    "the",
    "police",
    "football",
    "dance",
    "driving",
    "sunday",
    "after",
    "holiday",
    "summer",
    "boarding",
    "independent",
}


def find_schools(text: str) -> Iterator[Span]:
    """School and college names by their shape: "Stretford High", "St Antony's Catholic College"."""
    for pattern, lower_case in ((_SCHOOL, False), (_SCHOOL_LOWER, True)):
        for m in pattern.finditer(text):
            words = m.group("words").split()
            lead = 0
            while lead < len(words) and words[lead].lower().strip(".") in GENERIC_SCHOOL_WORDS - {"st"}:
                lead += 1
            name = words[lead:]
            # "start in primary school" is not a school's name: the word before the suffix must be a
            # name word, and in lower case (no capitals to go by) every word must be.
            if not name or name[-1].lower() in ENGLISH_STOP_WORDS:
                continue
            if lower_case and any(w.lower() in GENERIC_SCHOOL_WORDS - {"st"} for w in name):
                continue
            start = m.start()
            for word in words[:lead]:
                start = text.index(word, start) + len(word)
            start = text.index(name[0], start)
            yield Span(start, m.end(), "school")


# --- ages ----------------------------------------------------------------------------------------

_NUMBER_WORDS = (
    r"eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    r"|twenty|twenty[- ]one|twenty[- ]two|twenty[- ]three|twenty[- ]four|twenty[- ]five"
)
# Only someone's own exact age: "i'm 14", "as a 14 year old girl". Ages of others ("a 15 year old
# got stabbed", "14 year olds shouldn't be out") describe the area, not the respondent.
_AGE = re.compile(
    r"\b(?:i['’]?m|i\s+am)\s+(?:\d{1,2}|" + _NUMBER_WORDS + r")\b(?!\s*(?:%|per|percent|mins?|minutes|hours?|miles"
    r"|times|x\b|away|sure|years?\s+(?:late|in|into|from|at)))"
    r"|(?:(?<=\bas\sa\s)|(?<=\bas\san\s))(?:\d{1,2}|" + _NUMBER_WORDS + r")\s*-?\s*(?:years?|yrs?)\s*-?\s*old"
    r"(?:\s+(?:girl|boy|lad|lass|woman|man|kid|female|male))?"
    r"|\b\d{1,2}\s*(?:yo|y/o)\b",
    re.IGNORECASE,
)


def find_ages(text: str) -> Iterator[Span]:
    """A respondent's own exact age ("im 15"), which with a coarse attribution narrows them down."""
    for m in _AGE.finditer(text):
        yield Span(m.start(), m.end(), "age")
