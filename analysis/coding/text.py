"""Turning an answer into tokens the rules can match: tweet tokenizer, teen spelling, Snowball stems.

Young people write "u", "coz", "skool", "sooo boooored", "dont" and emoji. The tweet tokenizer keeps
emoji and contractions whole; a small spelling table maps common text-speak to standard words; runs of
repeated letters are tried both shortened to two and to one ("boooored" matches "bored"); and every
word is reduced to its Snowball stem, so "bullied", "bullies" and "bullying" match "bully".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize import TweetTokenizer

_TOKENIZER = TweetTokenizer(preserve_case=False, reduce_len=False, strip_handles=False)
_STEMMER = SnowballStemmer("english")
_REPEATS = re.compile(r"(.)\1{2,}")
_WORDLIKE = re.compile(r"\w", re.UNICODE)

#: common text-speak and misspellings -> the standard word(s) the codebook phrases use
TEEN_SPELLING: dict[str, str] = {
    "u": "you",
    "ur": "your",
    "ya": "you",
    "yh": "yeah",
    "r": "are",
    "n": "and",
    "&": "and",
    "+": "and",
    "ppl": "people",
    "peeps": "people",
    "bc": "because",
    "bcos": "because",
    "bcoz": "because",
    "coz": "because",
    "cos": "because",
    "cuz": "because",
    "cause": "because",
    "cus": "because",
    "bcuz": "because",
    "b4": "before",
    "dont": "don't",
    "wont": "won't",
    "cant": "can't",
    "isnt": "isn't",
    "aint": "ain't",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "wasnt": "wasn't",
    "arent": "aren't",
    "havent": "haven't",
    "shouldnt": "shouldn't",
    "wouldnt": "wouldn't",
    "couldnt": "couldn't",
    "werent": "weren't",
    "hasnt": "hasn't",
    "im": "i'm",
    "ive": "i've",
    "idk": "i don't know",
    "dunno": "don't know",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "tho": "though",
    "thru": "through",
    "2": "to",
    "4": "for",
    "gr8": "great",
    "skool": "school",
    "skul": "school",
    "scool": "school",
    "shool": "school",
    "teachas": "teachers",
    "polise": "police",
    "polis": "police",
    "polic": "police",
    "poilce": "police",
    "plice": "police",
    "nife": "knife",
    "nifes": "knives",
    "knifes": "knives",
    "stabed": "stabbed",
    "stabing": "stabbing",
    "bulling": "bullying",
    "bullyed": "bullied",
    "buling": "bullying",
    "bulied": "bullied",
    "drugz": "drugs",
    "drgs": "drugs",
    "weeds": "weed",
    "alchohol": "alcohol",
    "alcahol": "alcohol",
    "achohol": "alcohol",
    "gangz": "gangs",
    "gansg": "gangs",
    "strets": "streets",
    "nite": "night",
    "nyt": "night",
    "lite": "light",
    "lites": "lights",
    "cctvs": "cctv",
    "mums": "mum's",
    "famly": "family",
    "familys": "families",
    "parants": "parents",
    "perants": "parents",
    "becuase": "because",
    "becasue": "because",
    "beacuse": "because",
    "bored": "bored",
    "bord": "bored",
    "borin": "boring",
    "nothin": "nothing",
    "nuthin": "nothing",
    "nufin": "nothing",
    "nuffin": "nothing",
    "sumthin": "something",
    "summat": "something",
    "sumfin": "something",
    "somefing": "something",
    "anyfing": "anything",
    "ting": "thing",
    "tings": "things",
    "fings": "things",
    "wiv": "with",
    "wid": "with",
    "da": "the",
    "dat": "that",
    "dis": "this",
    "dem": "them",
    "innit": "isn't it",
    "feds": "feds",
    "5-0": "police",
    "popo": "police",
    "mandem": "friends",
    "bredrin": "friends",
    "fam": "friends",
    "bruv": "friend",
    "socials": "social media",
    "snap": "snapchat",
    "insta": "instagram",
    "ig": "instagram",
    "tt": "tiktok",
    "yt": "youtube",
    "fb": "facebook",
    "vids": "videos",
    "vid": "video",
    "fone": "phone",
    "fones": "phones",
    "mh": "mental health",
    "anxeity": "anxiety",
    "anixety": "anxiety",
    "depresion": "depression",
    "jobz": "jobs",
    "munny": "money",
    "monies": "money",
    "p": "money",
    "pees": "money",
    "peas": "money",
    "skint": "skint",
    "yute": "youth",
    "yutes": "youths",
    "youts": "youths",
    "opp": "opps",
}
NEGATORS = frozenset(
    {
        "not",
        "no",
        "never",
        "nothing",
        "none",
        "nobody",
        "noone",
        "neither",
        "nor",
        "without",
        "cannot",
        "hardly",
        "barely",
    }
)
#: a negation followed by one of these is about wanting less or more of the thing, not denying it
NEGATION_BREAKERS = frozenset(
    {"more", "enough", "much", "many", "longer", "proper", "decent", "real", "safe", "good", "only", "just", "matter"}
)
CLAUSE_BREAKS = frozenset(
    {
        ".",
        ",",
        ";",
        ":",
        "!",
        "?",
        "but",
        "though",
        "although",
        "however",
        "because",
        "and",
        "so",
        "-",
        "–",
        "—",
        "(",
        ")",
        "yet",
        "whereas",
        "except",
    }
)
#: words that, next to a negation, deny a worry ("not bothered about", "isn't a problem")
CONCERN_WORDS = frozenset(
    {
        "bother",
        "bothered",
        "worri",
        "worry",
        "worried",
        "concern",
        "concerned",
        "care",
        "problem",
        "issu",
        "issue",
        "scare",
        "scared",
        "afraid",
        "fussed",
        "affect",
        "affected",
        "fear",
        "frighten",
        "frightened",
        "big",
        "deal",
        "interest",
        "interested",
        "experienc",
        "experience",
        "seen",
        "see",
        "saw",
        "notic",
        "noticed",
    }
)


def is_negator(token: str) -> bool:
    """Whether a (normalised) token negates what follows it."""
    return token in NEGATORS or token.endswith("n't")


@dataclass(frozen=True)
class Token:
    """One token of an answer: its text as written, where it is, and the stems it can match."""

    text: str
    start: int
    end: int
    #: the normalised word (teen spelling mapped; several tokens may come from one, e.g. "idk")
    norm: str
    #: stems this token matches: the stem of the word, and of its repeated-letter variants
    stems: frozenset[str]


@lru_cache(maxsize=50_000)
def stem_variants(word: str) -> frozenset[str]:
    """The stems one word can match: as written, and with letter runs shortened to two and to one."""
    word = word.lower().replace("’", "'")
    forms = {word, _REPEATS.sub(r"\1\1", word), _REPEATS.sub(r"\1", word)}
    out: set[str] = set()
    for form in forms:
        mapped = TEEN_SPELLING.get(form, form)
        if " " in mapped:  # "idk" -> several words: keep the first word's stem (tokens are expanded earlier)
            mapped = mapped.split()[0]
        out.add(stem(mapped))
        if len(mapped) > 1 and mapped[0] == "#":  # hashtags: #knifecrime is not split, but #knife matches knife
            out.add(stem(mapped[1:]))
    return frozenset(out)


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The Snowball stem of one word (emoji and punctuation are their own stem)."""
    if not _WORDLIKE.search(word):
        return word
    return _STEMMER.stem(word)


def tokenize(text: str) -> list[Token]:
    """Tokens of an answer with their character offsets, teen spelling expanded, stems attached."""
    text = (text or "").replace("’", "'").replace("‘", "'")
    raw = _TOKENIZER.tokenize(text)
    lowered = text.lower()
    tokens: list[Token] = []
    pos = 0
    for piece in raw:
        at = lowered.find(piece, pos)
        start, end = (at, at + len(piece)) if at >= 0 else (pos, pos)
        pos = max(pos, end)
        shortened = _REPEATS.sub(r"\1\1", piece)
        mapped = (
            TEEN_SPELLING.get(piece)
            or TEEN_SPELLING.get(shortened)
            or TEEN_SPELLING.get(_REPEATS.sub(r"\1", piece))
            or piece
        )
        surface = text[start:end] or piece
        if " " in mapped:  # "idk" -> "i don't know": one token per word, all pointing at the original
            for word in mapped.split():
                tokens.append(Token(surface, start, end, word, frozenset({stem(word)})))
        else:
            tokens.append(Token(surface, start, end, mapped, stem_variants(mapped) | stem_variants(piece)))
    return tokens


def phrase_stems(phrase: str) -> tuple[str, ...]:
    """A codebook phrase as the sequence of stems it must match."""
    out: list[str] = []
    for token in tokenize(phrase):
        out.append(stem(token.norm))
    return tuple(out)


_PIECES = re.compile(r"[\w']+|[^\w\s]")


def normalise_for_features(text: str) -> str:
    """Lower-cased text with teen spelling mapped and letter runs shortened, for the learned coder.

    Words (with their apostrophes) and single punctuation marks or emoji, like the tweet tokenizer
    but a plain regular expression: this runs on every answer coded, 100,000 in a few seconds.
    """
    words = []
    for piece in _PIECES.findall((text or "").replace("’", "'").lower()):
        short = _REPEATS.sub(r"\1\1", piece)
        words.append(TEEN_SPELLING.get(piece) or TEEN_SPELLING.get(short) or short)
    return " ".join(words)
