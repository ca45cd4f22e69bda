"""Safeguarding rules read from a YAML file a safeguarding lead can change, and matched against answers.

Plain Python (no Flask, no database) so the rules can be checked on their own. Rules look at chosen
answers (by question key or shared measure) and at free text (regular expressions, ignoring a match
that a negation just before it cancels: "I would never hurt myself").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
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
    support: Mapping[str, Mapping[str, str]]

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
        """The help for a support topic, worded for children and young people or for adults."""
        group = "young" if audience in ("children", "young_people") else "adult"
        return self.support.get(topic, {}).get(group, "")


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


def parse(data: Mapping[str, Any]) -> RuleBook:
    """Check and build the rule book from the file's data; RulesError names any problem."""
    support = data.get("support") or {}
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
            )
        )
    for topic, words in support.items():
        if not isinstance(words, Mapping) or not words.get("young") or not words.get("adult"):
            raise RulesError(f"support {topic!r} needs both young: and adult: wording")
    negations = frozenset(str(n).lower() for n in data.get("negations") or ())
    return RuleBook(rules=tuple(rules), negations=negations, support=support)


def extract_support(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method (babel.cfg): the thank-you page's help wording, so it is translated
    in messages.po with the rest of the interface. The file is parsed (and checked) as the app does."""
    text = fileobj.read().decode("utf-8")
    book = parse(yamlsafe.load(text) or {})
    lines = text.splitlines()
    for topic, words in book.support.items():
        for group in ("young", "adult"):
            start = str(words[group])[:40]
            line = next((n for n, content in enumerate(lines, 1) if start in content), 1)
            who = "children and young people" if group == "young" else "adults"
            yield line, "gettext", str(words[group]), [f"thank-you page help: {topic}, for {who}"]


def load(path: Path = RULES_FILE) -> RuleBook:
    """The rule book in `path`, re-read whenever the file changes."""
    return _load(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _load(path: Path, _mtime: int) -> RuleBook:
    return parse(yamlsafe.load_path(path) or {})
