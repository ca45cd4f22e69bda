"""Word clouds per theme or per audience, as PNG and SVG, that never give anyone away.

Three rules keep them safe, on top of the usual disclosure threshold:

1. A group with fewer answers than the threshold (default 10) gets no cloud: `GroupTooSmall`.
2. Every answer is redacted first and the tags ([name], [place]...) are dropped, so a name or a
   street can never be drawn.
3. A word is drawn only if at least `min_answers` different answers use it (default: the
   disclosure threshold, as for any published count). A word only a few people wrote is not the
   group's voice, and it is exactly where an unusual name or nickname that redaction missed would
   hide.

Sizes follow how many *answers* use a word, not how many times it appears, so one long answer that
repeats a word cannot dominate. Stop words are scikit-learn's English list plus words that carry
no meaning in these surveys: echoes of the questions ("area", "safer", "make"), fillers and
textspeak ("really", "literally", "innit", "tbh", "dont"), and vague nouns ("people", "things",
"stuff"). Words that matter here are kept even when short or common: "safe", "unsafe", "police",
"knife", "scared", "lights", "bus", "park". Negation is lost in a cloud ("not safe" draws "safe"):
use the theme and sentiment tables for meaning, and the cloud only as an illustration.

These functions draw a cloud on its own. A cloud published beside theme or tone tables (the staff
page, the findings report) must not be drawn from them: its words are chosen by
`analysis.disclosure.words`, which shows only words used by at least the threshold of answers and
protects their counts with the tables beside them, and `draw` is given only those words.

Colours are dark enough (contrast at least 7:1 on white) to read, and the font is the DroidSansMono
that ships inside the wordcloud package, so nothing is fetched. The SVG embeds that font, so it
looks the same in any browser or report. Always show the frequency table beside a cloud: a cloud
cannot be read by a screen reader.
"""

from __future__ import annotations

import base64
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.disclosure import SUPPRESSED
from analysis.text.records import DEFAULT_THRESHOLD, TextAnswer, as_answers
from analysis.text.redaction import Redactor, strip_tags
from analysis.text.stop_words import ENGLISH_STOP_WORDS

_FILLER_TEXT = """
think thought really people person just like get got gets getting lot lots loads thing things stuff
would could should make makes making need needs want wants know say said says going go goes gonna
wanna gotta kinda sorta sort kind actually basically literally maybe probably also way much many
yeah yes yea ya nah na ok okay lol tbh idk dunno innit ur im ive id dont doesnt didnt cant wont
isnt arent wasnt werent cos coz cuz bc tho though anyway etc area areas safer partnership council
something someone somebody everyone everybody anyone anybody anything nothing everything
sure bit quite pretty good bad better feel feels felt time times day days lots young honestly
moment currently instead coming especially clear changed real
"""
#: Words that mean one thing together and something else apart: "grown ups" drew "ups" and "grown",
#: "real life" drew "real". Written as one hyphenated word, they are counted as one.
_COMPOUNDS = (
    "grown up",
    "grown ups",
    "real life",
    "after school",
    "youth club",
    "youth clubs",
    "youth centre",
    "youth centres",
    "drug dealer",
    "drug dealers",
    "drug dealing",
    "knife crime",
    "youth worker",
    "youth workers",
    "youth work",
    "police officer",
    "police officers",
    "school holidays",
)
_COMPOUND = re.compile(
    r"\b(" + "|".join(c.replace(" ", "[ -]?") for c in sorted(_COMPOUNDS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_HYPHENATED = {c.replace(" ", ""): c.replace(" ", "-") for c in _COMPOUNDS}
#: Survey filler: words that answer no question in these consultations (see the module docstring).
SURVEY_FILLER = frozenset(_FILLER_TEXT.split())
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS | SURVEY_FILLER) - {"police", "safe", "unsafe", "alone", "night"}

#: Dark colours (contrast >= 7:1 on white) for the words.
PALETTE = ("#0b3c5d", "#6b1d3c", "#1b4d2b", "#3b2a6b", "#5a3300", "#18453b")


class _Tokeniser:
    """NLTK's TweetTokenizer, built on first use: the web app imports this module, and its workers
    never need NLTK (nor wordcloud and matplotlib, imported where clouds are drawn)."""

    _made: Any = None

    def tokenize(self, text: str) -> list[str]:
        if self._made is None:
            from nltk.tokenize import TweetTokenizer

            self._made = TweetTokenizer(preserve_case=False, reduce_len=True, strip_handles=True)
        return list(self._made.tokenize(text))


TOKENISER = _Tokeniser()
_WORD = re.compile(r"^[a-z][a-z'’-]*[a-z]$")


class GroupTooSmall(ValueError):
    """The group has fewer answers than the disclosure threshold, so nothing may be drawn."""


class NoWordsToDraw(ValueError):
    """No word is used by enough answers in the group to be drawn."""


def answer_words(text: str) -> set[str]:
    """The distinct countable words in one (already redacted) answer."""
    words = set()
    text = _COMPOUND.sub(lambda m: _HYPHENATED[re.sub(r"[ -]", "", m[0].lower())], strip_tags(text))
    for token in TOKENISER.tokenize(text):
        token = token.replace("’", "'")
        if token.endswith("'s"):
            token = token[:-2]
        token = token.replace("'", "")
        if len(token) >= 3 and _WORD.match(token) and token not in STOP_WORDS:
            words.add(token)
    return words


def one_form(words_of: Sequence[frozenset[str]]) -> list[frozenset[str]]:
    """Each unit's words with a plural counted as its singular where both are used ("schools" as "school",
    "activities" as "activity"), so one idea is not split across two smaller words in a cloud.

    Only a plural whose singular someone also wrote is merged, so "news" or "always" stay as they are.
    """
    used = frozenset().union(*words_of) if words_of else frozenset()
    singular: dict[str, str] = {}
    for word in used:
        if word.endswith("ies") and f"{word[:-3]}y" in used:
            singular[word] = f"{word[:-3]}y"
        elif word.endswith("s") and not word.endswith("ss") and word[:-1] in used:
            singular[word] = word[:-1]
    if not singular:
        return list(words_of)
    return [frozenset(singular.get(w, w) for w in words) for words in words_of]


def word_frequencies(texts: Iterable[str], redactor: Redactor | None = None, min_answers: int = 3) -> Counter[str]:
    """How many answers use each word, after redaction, keeping words used by `min_answers` or more."""
    redactor = redactor or Redactor()
    counts: Counter[str] = Counter()
    for words in one_form([frozenset(answer_words(redactor.redact(text).text)) for text in texts]):
        counts.update(words)
    kept = sorted(((w, n) for w, n in counts.items() if n >= min_answers), key=lambda wn: (-wn[1], wn[0]))
    return Counter(dict(kept))  # most used first, so the table beside the cloud reads top-down


@dataclass(frozen=True)
class WordCloudImage:
    """One drawn cloud: the group, how many answers it came from, its words, PNG bytes and SVG text."""

    group: str
    answers: int
    frequencies: Mapping[str, int]
    png: bytes
    svg: str
    threshold: int = DEFAULT_THRESHOLD

    def table(self) -> list[tuple[str, str]]:
        """The words and how many answers used each, for the table beside the cloud; a count under
        the disclosure threshold is shown as "[c]" like any other small count."""
        return [(word, str(n) if n >= self.threshold else SUPPRESSED) for word, n in self.frequencies.items()]

    def write(self, stem: Path) -> tuple[Path, Path]:
        """Write `<stem>.png` and `<stem>.svg`; returns both paths."""
        png, svg = stem.with_suffix(".png"), stem.with_suffix(".svg")
        png.write_bytes(self.png)
        svg.write_text(self.svg, encoding="utf-8")
        return png, svg


def _colour(word: str, *args: Any, **kwargs: Any) -> str:
    # The same word gets the same colour in every cloud, so clouds side by side compare easily.
    return PALETTE[sum(map(ord, word)) % len(PALETTE)]


def _embed_font(svg: str, characters: str) -> str:
    """The SVG with the glyphs it uses embedded as WOFF, so it renders the same anywhere.

    wordcloud's own `embed_font=True` leaves the font file open; this closes it.
    """
    from fontTools import subset  # on use: about 20 MB the web workers never need
    from fontTools.ttLib import TTFont

    options = subset.Options(hinting=False, desubroutinize=True, ignore_missing_glyphs=True)
    from wordcloud.wordcloud import FONT_PATH

    with TTFont(FONT_PATH, lazy=False) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(sorted(set(characters))))
        subsetter.subset(font)
        font.flavor = "woff"
        buffer = io.BytesIO()
        font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    face = (
        "<style>@font-face{font-family:'Droid Sans Mono';font-weight:normal;font-style:normal;"
        f'src:url("data:font/woff;base64,{data}")format("woff");}}</style>'
    )
    head_end = svg.index(">") + 1
    return svg[:head_end] + face + svg[head_end:]


def draw(
    frequencies: Mapping[str, int],
    group: str,
    answers: int,
    width: int = 800,
    height: int = 450,
    max_words: int = 100,
    seed: int = 7,
    threshold: int = DEFAULT_THRESHOLD,
) -> WordCloudImage:
    """Draw a cloud from word frequencies (already filtered) as PNG and SVG."""
    if not frequencies:
        raise NoWordsToDraw(f"no word is used by enough answers in {group!r} to draw")
    from wordcloud import WordCloud

    cloud = WordCloud(
        width=width,
        height=height,
        max_words=max_words,
        background_color="white",
        prefer_horizontal=0.95,
        random_state=seed,
        color_func=_colour,
        collocations=False,
    )
    cloud.generate_from_frequencies(dict(frequencies))
    buffer = io.BytesIO()
    cloud.to_image().save(buffer, format="PNG", optimize=True)
    svg = _embed_font(cloud.to_svg(embed_font=False), "".join(frequencies))
    return WordCloudImage(group, answers, dict(frequencies), buffer.getvalue(), svg, threshold)


def word_cloud(
    records: Iterable[TextAnswer | Mapping[str, Any]],
    group: str,
    by: str = "theme",
    threshold: int = DEFAULT_THRESHOLD,
    redactor: Redactor | None = None,
    min_answers: int | None = None,
    **drawing: Any,
) -> WordCloudImage:
    """The cloud for one theme (`by="theme"`) or audience (`by="audience"`); refuses small groups.
    Words need `min_answers` answers each (default the threshold)."""
    texts = _group_texts(as_answers(records), by).get(group, [])
    if len(texts) < threshold:
        raise GroupTooSmall(f"{group!r} has {len(texts)} answers; a word cloud needs at least {threshold}")
    least = threshold if min_answers is None else min_answers
    return draw(word_frequencies(texts, redactor, least), group, len(texts), threshold=threshold, **drawing)


def word_clouds(
    records: Iterable[TextAnswer | Mapping[str, Any]],
    by: str = "theme",
    threshold: int = DEFAULT_THRESHOLD,
    redactor: Redactor | None = None,
    min_answers: int | None = None,
    **drawing: Any,
) -> dict[str, WordCloudImage | None]:
    """A cloud for every theme or audience; None for groups too small (or too sparse) to draw.
    Words need `min_answers` answers each (default the threshold)."""
    redactor = redactor or Redactor()
    least = threshold if min_answers is None else min_answers
    clouds: dict[str, WordCloudImage | None] = {}
    for group, texts in sorted(_group_texts(as_answers(records), by).items()):
        if len(texts) < threshold:
            clouds[group] = None
            continue
        try:
            clouds[group] = draw(
                word_frequencies(texts, redactor, least), group, len(texts), threshold=threshold, **drawing
            )
        except NoWordsToDraw:
            clouds[group] = None
    return clouds


def _group_texts(answers: list[TextAnswer], by: str) -> dict[str, list[str]]:
    if by not in {"theme", "audience"}:
        raise ValueError(f"group word clouds by 'theme' or 'audience', not {by!r}")
    groups: dict[str, list[str]] = {}
    for answer in answers:
        if not answer.text.strip():
            continue
        for key in answer.themes if by == "theme" else (answer.audience,):
            groups.setdefault(key, []).append(answer.text)
    return groups
