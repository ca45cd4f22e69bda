"""Safeguarding rules read from a YAML file a safeguarding lead can change, and matched against answers.

Plain Python (no Flask, no database) so the rules can be checked on their own. Rules look at chosen
answers (by question key or shared measure) and at free text (regular expressions, ignoring a match
that a negation just before it cancels: "I would never hurt myself"). Each rule names a support
topic (the help to show) and says whether it also flags the response for review.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from questionnaires import yamlsafe
from questionnaires.model import Answer, Questionnaire

RULES_FILE = Path(__file__).with_name("rules.yaml")
#: How many words before a match a negation may sit and still cancel it.
NEGATION_WINDOW = 3
#: Where one part of a sentence ends: a negation before these does not reach past them.
CLAUSE_BREAK = re.compile(r"[.!?;:,\n]|\b(?:but|and|because|so|although|though|except)\b")
WORD = re.compile(r"[a-z']+")


class RulesError(ValueError):
    """The rules file has a problem (named in the message)."""


@dataclass(frozen=True)
class Rule:
    """One safeguarding rule."""

    id: str
    reason: str
    support: str
    question: str | None = None
    values: tuple[str, ...] = ()
    words: tuple[re.Pattern[str], ...] = ()
    unless: tuple[re.Pattern[str], ...] = ()
    negation_aware: bool = True
    examples: tuple[str, ...] = ()
    not_examples: tuple[str, ...] = ()
    #: True: flag for review; False: help only; a tuple: flag only for these audiences
    flag: bool | tuple[str, ...] = True

    def flags_for(self, audience: str) -> bool:
        """Whether a match from this audience goes to the safeguarding review queue."""
        return audience in self.flag if isinstance(self.flag, tuple) else self.flag


#: Who the help's words are for: children (8 to 11), young people (11 to 18) or adults.
WORDING_GROUPS = ("children", "young", "adult")


def wording_group(audience: str) -> str:
    """Which wording an audience reads."""
    return {"children": "children", "young_people": "young"}.get(audience, "adult")


@dataclass(frozen=True)
class Topic:
    """The help for one kind of situation: words per wording group, who can help, how urgent."""

    id: str
    words: Mapping[str, str]
    urgency: int = 3
    services: tuple[str, ...] = ()
    suggest_trusted_adult: bool = False
    no_trusted_adult: bool = False

    def text(self, audience: str) -> str:
        group = wording_group(audience)
        return self.words.get(group) or (self.words.get("young", "") if group == "children" else "")


@dataclass(frozen=True)
class Plan:
    """What to show someone: messages (most urgent first) and who can help (each service once)."""

    messages: tuple[str, ...]
    services: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    """A rule that matched: which question, and for free text the words that matched."""

    rule: Rule
    question_key: str
    matched_text: str | None = None


@dataclass(frozen=True)
class RuleBook:
    """Every rule, the negation words, and the help to show for each support topic."""

    rules: tuple[Rule, ...]
    negations: frozenset[str]
    support: Mapping[str, Topic]
    #: "You could also tell an adult you trust", per wording group (children and young people only)
    trusted_adult: Mapping[str, str] = field(default_factory=dict)

    def text_matches(self, rule: Rule, text: str) -> list[str]:
        """The pieces of `text` that a free-text rule matches (negated matches left out)."""
        clean = normalise(text)
        found = []
        for pattern in rule.words:
            for hit in pattern.finditer(clean):
                if any(u.search(clean[max(0, hit.start() - 40) : hit.end() + 40]) for u in rule.unless):
                    continue
                if rule.negation_aware and self._negated(clean[: hit.start()]):
                    continue
                found.append(hit.group(0))
        return found

    def _negated(self, before: str) -> bool:
        clause = CLAUSE_BREAK.split(before)[-1]
        words = WORD.findall(clause)[-NEGATION_WINDOW:]
        joined = " ".join(words)
        return any(w in self.negations or w.endswith("n't") for w in words) or any(
            " " in n and n in joined for n in self.negations
        )

    def matches(self, questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> list[Match]:
        """Every rule these answers match, at most once per rule, in the file's order."""
        found: list[Match] = []
        for rule in self.rules:
            match = self._first_match(rule, questionnaire, answers)
            if match is not None:
                found.append(match)
        return found

    def _first_match(self, rule: Rule, questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> Match | None:
        for q in questionnaire.questions():
            answer = answers.get(q.key)
            if not answer:
                continue
            if rule.question is not None:
                if rule.question in (q.key, q.measure) and set(answer.get("values") or []) & set(rule.values):
                    return Match(rule, q.key)
            elif rule.words and answer.get("text"):
                hits = self.text_matches(rule, str(answer["text"]))
                if hits:
                    return Match(rule, q.key, "; ".join(dict.fromkeys(hits)))
        return None

    def support_text(self, topic: str, audience: str) -> str:
        """The help for a support topic, worded for children, young people or adults."""
        found = self.support.get(topic)
        return found.text(audience) if found else ""

    def topics(self, questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> list[str]:
        """The support topics these answers call for, most urgent first, each once."""
        return self.ordered(m.rule.support for m in self.matches(questionnaire, answers))

    def ordered(self, topics: Iterable[str]) -> list[str]:
        """Known topics, each once, most urgent first (ties keep the file's order)."""
        order = list(self.support)
        known = [t for t in dict.fromkeys(topics) if t in self.support]
        return sorted(known, key=lambda t: (self.support[t].urgency, order.index(t)))

    def plan(self, topics: Iterable[str], audience: str, known: Iterable[str] = ()) -> Plan:
        """The messages and services for these topics, for this audience: most urgent first, every
        service once (an emergency number first whenever a topic lists it), and no suggestion to tell
        a trusted adult to someone who said they have none (in these topics or the `known` ones, from
        answers given earlier)."""
        chosen = [self.support[t] for t in self.ordered(topics)]
        everything = chosen + [self.support[t] for t in self.ordered(known)]
        messages = [text for text in (t.text(audience) for t in chosen) if text]
        group = wording_group(audience)
        if (
            group != "adult"
            and any(t.suggest_trusted_adult for t in chosen)
            and not any(t.no_trusted_adult for t in everything)
        ):
            messages.append(self.trusted_adult.get(group) or self.trusted_adult.get("young", ""))
        services = list(dict.fromkeys(s for t in chosen for s in t.services))
        if "emergency" in services:
            services.remove("emergency")
            services.insert(0, "emergency")
        return Plan(tuple(m for m in messages if m), tuple(services))


def normalise(text: str) -> str:
    """Lower case, curly quotes made straight and spaces squeezed, so patterns stay simple."""
    text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text)


def _patterns(rule_id: str, field: str, items: Iterable[Any]) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for item in items:
        try:
            compiled.append(re.compile(str(item), re.IGNORECASE))
        except re.error as error:
            raise RulesError(f"rule {rule_id!r}: {field} pattern {item!r} is not a valid pattern ({error})") from error
    return tuple(compiled)


def _flag(rule_id: str, value: Any) -> bool | tuple[str, ...]:
    if value is None:
        return True
    if isinstance(value, bool):
        return value
    if isinstance(value, list) and all(isinstance(a, str) for a in value):
        return tuple(value)
    raise RulesError(f"rule {rule_id!r}: flag must be true, false or a list of audiences")


def _topic(topic_id: str, raw: Any) -> Topic:
    if not isinstance(raw, Mapping) or not raw.get("young") or not raw.get("adult"):
        raise RulesError(f"support {topic_id!r} needs both young: and adult: wording")
    urgency = raw.get("urgency", 3)
    if not isinstance(urgency, int) or isinstance(urgency, bool):
        raise RulesError(f"support {topic_id!r}: urgency must be a whole number (1 is the most urgent)")
    return Topic(
        id=topic_id,
        words={g: " ".join(str(raw[g]).split()) for g in WORDING_GROUPS if raw.get(g)},
        urgency=urgency,
        services=tuple(str(s) for s in raw.get("services") or ()),
        suggest_trusted_adult=bool(raw.get("suggest_trusted_adult", False)),
        no_trusted_adult=bool(raw.get("no_trusted_adult", False)),
    )


def parse(data: Mapping[str, Any]) -> RuleBook:
    """Check and build the rule book from the file's data; RulesError names any problem."""
    support = {str(k): _topic(str(k), v) for k, v in (data.get("support") or {}).items()}
    rules = []
    seen: set[str] = set()
    for raw in data.get("rules") or []:
        rule_id = str(raw.get("id") or "")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", rule_id) or rule_id in seen:
            raise RulesError(f"rule id {rule_id!r} is missing, not lower_case_with_underscores, or used twice")
        seen.add(rule_id)
        if raw.get("support") not in support:
            raise RulesError(f"rule {rule_id!r}: support {raw.get('support')!r} is not listed under support:")
        answer = raw.get("answer")
        if bool(answer) == bool(raw.get("words")):
            raise RulesError(f"rule {rule_id!r}: give either answer: or words:, not both or neither")
        rules.append(
            Rule(
                id=rule_id,
                reason=str(raw.get("reason") or ""),
                support=str(raw["support"]),
                question=str(answer["question"]) if answer else None,
                values=tuple(str(v) for v in (answer or {}).get("in", ())),
                words=_patterns(rule_id, "words", raw.get("words") or ()),
                unless=_patterns(rule_id, "unless", raw.get("unless") or ()),
                negation_aware=bool(raw.get("negation_aware", True)),
                examples=tuple(raw.get("examples") or ()),
                not_examples=tuple(raw.get("not_examples") or ()),
                flag=_flag(rule_id, raw.get("flag")),
            )
        )
    negations = frozenset(str(n).lower() for n in data.get("negations") or ())
    trusted = {str(k): " ".join(str(v).split()) for k, v in (data.get("trusted_adult") or {}).items()}
    return RuleBook(rules=tuple(rules), negations=negations, support=support, trusted_adult=trusted)


def extract_support(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method (babel.cfg): the thank-you page's help wording, so it is translated
    in messages.po with the rest of the interface. The file is parsed (and checked) as the app does."""
    text = fileobj.read().decode("utf-8")
    book = parse(yamlsafe.load(text) or {})
    lines = text.splitlines()
    who = {"children": "children (8 to 11)", "young": "young people", "adult": "adults"}
    found = [(t.id, group, words) for t in book.support.values() for group, words in t.words.items()]
    found += [("trusted_adult", group, words) for group, words in book.trusted_adult.items()]
    for topic, group, words in found:
        start = " ".join(words.split()[:6])
        line = next((n for n, content in enumerate(lines, 1) if start in " ".join(content.split())), 1)
        yield line, "gettext", words, [f"safeguarding help: {topic}, for {who.get(group, group)}"]


def load(path: Path = RULES_FILE) -> RuleBook:
    """The rule book in `path`, re-read whenever the file changes."""
    return _load(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _load(path: Path, _mtime: int) -> RuleBook:
    return parse(yamlsafe.load_path(path) or {})
