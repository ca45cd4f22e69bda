"""Free-text answers, composed in the respondent's voice from the fragment bank (free_text.yaml).

A voice (child, young, parent, pro) picks themes weighted by the person's traits, one to four
fragments from them, then joins, opens, closes and types them the way that voice would: young
people's slang, children's spelling, a typo, an emoji. Nothing in the bank identifies anyone.
"""

from __future__ import annotations

import math
import random
import re
from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml

from questionnaires.model import Answer as CanonicalAnswer
from questionnaires.model import Option, Question
from survey_app.demo.hints import has
from survey_app.demo.people import Person
from survey_app.demo.sampling import pick, weighted_order
from survey_app.survey.answer_types import OTHER_MAX_LENGTH


@lru_cache(maxsize=1)
def fragment_bank() -> dict[str, Any]:
    """free_text.yaml, read once, with every list made a tuple (the bank is never changed)."""
    return _frozen(yaml.safe_load(files("survey_app.demo").joinpath("free_text.yaml").read_text(encoding="utf-8")))


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    return value


_BANK = fragment_bank()
#: theme -> voice -> mode -> fragments. Voices: young (11-25), child, parent, pro; modes: problem, idea.
TEXT: dict[str, dict[str, dict[str, tuple[str, ...]]]] = _BANK["text"]
#: What is working well, by voice.
WORKS: dict[str, tuple[str, ...]] = _BANK["works"]
#: How often each voice talks about each theme (multiplied by the respondent's traits).
THEME_WEIGHTS: dict[str, dict[str, float]] = _BANK["theme_weights"]
VOICE: dict[str, str] = _BANK["voice"]
OPENERS: dict[str, tuple[str, ...]] = _BANK["openers"]
IMPERATIVES: frozenset[str] = frozenset(_BANK["imperatives"])
CLOSERS: dict[str, tuple[str, ...]] = _BANK["closers"]
JOINERS: tuple[str, ...] = _BANK["joiners"]
EMOJI: tuple[str, ...] = _BANK["emoji"]
SLANG: tuple[tuple[str, tuple[str, ...]], ...] = _BANK["slang"]
CHILD_SPELLING: tuple[tuple[str, str], ...] = _BANK["child_spelling"]
#: Short words typed into "Other - please tell us", by what the question is about.
OTHER_TEXT: dict[str, tuple[str, ...]] = _BANK["other_text"]


def other_topic(q: Question) -> str:
    """What a question's "Other" box is likely to be filled with, from its wording."""
    words = q.text.lower()
    for topic, keys in (
        ("tell", ("tell", "who would", "talk to", "go for help", "where would you go")),
        ("carry", ("carry", "carried")),
        ("seen", ("did you see", "have you seen")),
        ("unsafe", ("unsafe", "worr", "scare")),
        ("drivers", ("driving", "drives", "causes")),
        ("barriers", ("hard to", "gets in the way", "stop you")),
        ("wanted", ("help would", "useful", "support would")),
        ("doing", ("doing at the moment", "what are you doing")),
        ("you", ("describes you",)),
        ("safe", ("safe",)),
    ):
        if has(words, *keys):
            return topic
    return "generic"


def text_mode(q: Question) -> str:
    """Whether a free-text question asks about problems, ideas, what works, or anything."""
    words = q.text.lower()
    if has(words, "working well", "what works", "keep or grow", "going well"):
        return "works"
    if has(
        words,
        "unsafe",
        "worr",
        "scare",
        "afraid",
        "what makes",
        "why do",
        "why are",
        "problem",
        "changes have you",
        "noticed",
    ):
        return "problem"
    if has(
        words,
        "safer",
        "help",
        "should",
        "better",
        "improve",
        "change",
        "idea",
        "would make",
        "do more",
        "suggest",
        "working well",
        "keep",
        "what works",
        "differently",
    ):
        return "idea"
    return "any"


def free_text(rng: random.Random, q: Question, person: Person) -> CanonicalAnswer | None:
    """A short or long text answer that fits the question's length limit (or nothing)."""
    limit = q.max_length or (100 if q.type == "short_text" else 1000)
    text = compose(rng, q, person, short=q.type == "short_text" or limit <= 120, limit=limit)
    return {"text": text} if text else None


def with_other_text(rng: random.Random, q: Question, answer: CanonicalAnswer, chosen: list[Option]) -> CanonicalAnswer:
    """Add words for "Other - please tell us" (most people who tick it write something)."""
    if any(o.other_text for o in chosen) and q.demographic is None and rng.random() < 0.7:
        text = rng.choice(OTHER_TEXT[other_topic(q)])
        answer["text"] = (text.lower() if rng.random() < 0.4 else text)[:OTHER_MAX_LENGTH]
    return answer


def themes(rng: random.Random, person: Person, voice: str, mode: str) -> list[str]:
    """Themes this person has something to say about, most likely first."""
    z = person.z
    found, weights = [], []
    for theme, w in THEME_WEIGHTS[voice].items():
        banks = TEXT.get(theme, {}).get(voice, {})
        if not banks or (mode != "any" and mode not in banks):
            continue
        if theme in ("asb", "gangs", "knives", "unsafe_places", "drugs_alcohol", "police"):
            w *= math.exp(-0.5 * z["safe"])
        if theme in ("poverty", "jobs"):
            w *= math.exp(0.5 * z["depr"]) * (1.3 if person.age >= 16 else 1.0)
        if theme == "social_media":
            w *= math.exp(0.4 * z["online"])
        if theme in ("bullying", "mental_health"):
            w *= math.exp(-0.4 * z["well"])
        if theme == "community" and mode != "problem":
            w *= math.exp(0.3 * z["safe"])
        found.append(theme)
        weights.append(w)
    return weighted_order(rng, found, weights)


def compose(rng: random.Random, q: Question, person: Person, short: bool, limit: int) -> str:
    """A plausible answer in this person's voice, made of one to three fragments."""
    voice = VOICE.get(person.audience, "young")
    mode = text_mode(q)
    if mode == "works":
        if voice in WORKS:
            return fit(
                " ".join(
                    sentence(f)
                    for f in weighted_order(rng, WORKS[voice], [1.0] * len(WORKS[voice]))[
                        : 1 if short else pick(rng, [1, 2, 3], [0.5, 0.35, 0.15])
                    ]
                ),
                limit,
            )
        mode = "idea"
    ordered = themes(rng, person, voice, mode) or themes(rng, person, voice, "any")
    if not ordered:
        return ""
    lengths = [0.35, 0.35, 0.22, 0.08] if voice != "child" else [0.7, 0.3, 0, 0]
    count = 1 if short else pick(rng, [1, 2, 3, 4], lengths)
    fragments: list[str] = []
    for theme in ordered[:count]:
        banks = TEXT[theme][voice]
        modes = [mode] if mode in banks else [rng.choice(sorted(banks))]
        if mode == "any":
            modes = ["problem", "idea"] if rng.random() < 0.5 else ["idea", "problem"]
            modes = [m for m in modes if m in banks][: 1 + (rng.random() < 0.3)]
        for m in modes:
            fragments.append(rng.choice(banks[m]))
    if voice in ("parent", "pro"):
        text = " ".join(sentence(f) for f in fragments)
        if rng.random() < 0.25:
            unsuitable = {"female": "dad", "male": "mum"}.get(person.gender, "Speaking as a")
            lead = rng.choice([o for o in OPENERS[voice] if unsuitable not in o])
            text = f"{lead} {text[0].lower()}{text[1:]}" if not text.startswith("I ") else f"{lead} {text}"
        if not short and rng.random() < 0.08:
            text += " " + rng.choice(CLOSERS[voice])
    else:
        text = fragments[0]
        for fragment in fragments[1:]:
            text += rng.choice(JOINERS) + fragment
        if rng.random() < (0.3 if voice == "young" else 0.25):
            text = f"{opener(rng, voice, mode, text)} {text}".lstrip()
        if not short and rng.random() < 0.06:
            text += ". " + rng.choice(CLOSERS[voice])
        text = style(rng, text, voice, person)
    return fit(text, limit)


def opener(rng: random.Random, voice: str, mode: str, text: str) -> str:
    """A natural lead-in for this fragment: "i would like a bigger park", never "i would like stop ..."."""
    first = text.split(" ", 1)[0].lower()
    if voice == "young":
        choices = OPENERS["young"] + (() if first in IMPERATIVES else OPENERS["young_clause"])
    elif mode == "problem" or first in IMPERATIVES:
        return ""
    else:
        choices = OPENERS["child_idea"] if mode == "idea" else OPENERS["child"]
    return rng.choice(choices)


def style(rng: random.Random, text: str, voice: str, person: Person) -> str:
    """Young people's and children's typing: sometimes all lower case, slang, a typo or an emoji."""
    lower = rng.random() < (0.45 if person.audience == "young_people" else 0.3 if voice == "child" else 0.2)
    if voice == "young" and rng.random() < (0.35 if person.age < 18 else 0.15):
        pattern, choices = rng.choice(SLANG)
        text = re.sub(pattern, rng.choice(choices), text, count=2, flags=re.IGNORECASE)
    if voice == "child" and rng.random() < 0.3:
        wrong, spelt = rng.choice(CHILD_SPELLING)
        text = text.replace(wrong, spelt)
    if rng.random() < (0.12 if person.age < 18 else 0.06):
        text = typo(rng, text)
    if not lower:
        text = re.sub(r"\bi\b", "I", text)
        text = re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)
        if rng.random() < 0.6:
            text += "."
    elif rng.random() < 0.1:
        text += "!!"
    if voice == "young" and rng.random() < 0.03:
        text += rng.choice(EMOJI)
    return text


def sentence(fragment: str) -> str:
    """A capitalised fragment ending in a full stop (or its own ! or ?)."""
    fragment = fragment.strip()
    fragment = fragment[0].upper() + fragment[1:]
    return fragment if fragment[-1] in ".!?" else fragment + "."


def typo(rng: random.Random, text: str) -> str:
    """Swap two neighbouring letters in one longer word."""
    words = text.split(" ")
    long_words = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long_words:
        return text
    i = rng.choice(long_words)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def fit(text: str, limit: int) -> str:
    """Cut text to the limit at a word boundary."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:-") or text[:limit]
