"""Questionnaire wording in other languages, through the same gettext catalogues as the interface.

Translators use one workflow for everything a respondent reads. The questionnaire YAML files are
extracted by `extract` (a Babel extraction method, wired up in `questionnaires/babel.cfg`) into
`translations/questionnaires.pot`; each language's translations live in
`translations/<locale>/LC_MESSAGES/questionnaires.po` beside the interface's `messages.po`, and are
compiled to `.mo` like them. `flask translate extract|update|compile|status` runs the steps.

What is extracted: the title, respondent label and introduction; page titles, introductions and
content notes; each question's text, hint and unit; every answer label (including the built-in
scales, Yes/No, Don't know and Prefer not to say, which the loader expands into each question) and
answer group headings. Place names in area lists are names, not words, and are never extracted.

The English text is the message id, so the same words used in several questionnaires are translated
once; a comment on each entry says where it is used. Only words change: keys, answer values, order,
routing and limits always come from the stored questionnaire version, so an answer given in Urdu is
stored exactly as the same answer given in English. Anything without a translation (or a fuzzy one)
is shown in English. Catalogues are not part of a version's content hash: a response keeps the
version it answered and the `language` it was shown in.
"""

from __future__ import annotations

import dataclasses
import gettext
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from questionnaires.loader import load_file
from questionnaires.model import Option, Page, Question, Questionnaire

#: the gettext domain for questionnaire wording (the interface uses "messages")
DOMAIN = "questionnaires"


@dataclasses.dataclass(frozen=True)
class Message:
    """One piece of wording a respondent reads, and where it is used (for the translator)."""

    text: str
    where: str


def messages(questionnaire: Questionnaire) -> Iterator[Message]:
    """Every translatable piece of wording in a questionnaire, in the order a respondent meets it."""
    qid = questionnaire.id
    for name in ("title", "respondent_label", "intro", "thank_you"):
        if getattr(questionnaire, name):
            yield Message(getattr(questionnaire, name), f"{qid}: {name.replace('_', ' ')}")
    for page in questionnaire.pages:
        for name in ("title", "intro", "content_note"):
            if getattr(page, name):
                yield Message(getattr(page, name), f"{qid}: page {_source_page(page)} {name.replace('_', ' ')}")
        for q in page.questions:
            for name in ("text", "hint", "unit"):
                if getattr(q, name):
                    yield Message(getattr(q, name), f"{qid}: question {q.key} {name}")
            # Ward and neighbourhood names are proper names; only "Prefer not to say" and the like.
            for o in (o for o in q.options if o.special or q.type != "area"):
                yield Message(o.label, f"{qid}: question {q.key} answer {o.value}")
                if o.group:
                    yield Message(o.group, f"{qid}: question {q.key} answer heading")


def extract(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method for questionnaire YAML files (see questionnaires/babel.cfg).

    The file is read through the questionnaire loader, so built-in scales and answer lists are
    expanded exactly as respondents see them. A file with problems extracts nothing (and says so):
    `python -m questionnaires validate` names the problem.
    """
    path = Path(fileobj.name)
    definition, problems = load_file(path)
    if problems:
        raise ValueError(f"{path.name} has problems; run `python -m questionnaires validate`: {problems[0]}")
    questionnaire = Questionnaire.from_dict(definition)
    lines = fileobj.read().decode("utf-8").splitlines() if hasattr(fileobj, "read") else []
    for message in messages(questionnaire):
        yield _line_of(lines, message.text), "gettext", message.text, [message.where]


def _line_of(lines: list[str], text: str) -> int:
    """The first line of the file holding the start of the text (1 when it comes from a built-in scale)."""
    start = text.strip().splitlines()[0][:40] if text.strip() else ""
    for number, line in enumerate(lines, 1):
        if start and start in line:
            return number
    return 1


def catalogue(translations_folder: Path, locale: str) -> gettext.NullTranslations:
    """The compiled questionnaire catalogue for a language (English, unchanged, when there is none)."""
    mo = translations_folder / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not mo.exists():
        return gettext.NullTranslations()
    return _read_mo(mo, mo.stat().st_mtime_ns)


@lru_cache(maxsize=16)
def _read_mo(path: Path, _mtime: int) -> gettext.GNUTranslations:
    with path.open("rb") as f:
        return gettext.GNUTranslations(f)


def translate(questionnaire: Questionnaire, translations: gettext.NullTranslations | None) -> Questionnaire:
    """The same questionnaire with its words in another language (structure untouched)."""
    if translations is None or type(translations) is gettext.NullTranslations:
        return questionnaire
    t = translations.gettext

    def words(text: str) -> str:
        return t(text) if text else text

    def option(q: Question, o: Option) -> Option:
        if q.type == "area" and not o.special:
            return o
        return dataclasses.replace(o, label=words(o.label), group=words(o.group) if o.group else o.group)

    def question(q: Question) -> Question:
        return dataclasses.replace(
            q,
            text=words(q.text),
            hint=words(q.hint),
            unit=words(q.unit),
            options=tuple(option(q, o) for o in q.options),
        )

    def page(p: Page) -> Page:
        return dataclasses.replace(
            p,
            title=words(p.title),
            intro=words(p.intro),
            content_note=words(p.content_note),
            questions=tuple(question(q) for q in p.questions),
        )

    return dataclasses.replace(
        questionnaire,
        title=words(questionnaire.title),
        respondent_label=words(questionnaire.respondent_label),
        intro=words(questionnaire.intro),
        thank_you=words(questionnaire.thank_you),
        pages=tuple(page(p) for p in questionnaire.pages),
        _by_key={},  # rebuilt from the translated questions (never share the English one)
    )


def untranslated(questionnaire: Questionnaire, translations: gettext.NullTranslations) -> list[Message]:
    """Every piece of wording the catalogue leaves in English (for completeness checks)."""
    # A translation may rightly read the same as the English (a service's name, such as Childline), so
    # ask whether the catalogue has an entry rather than whether the words changed.
    known = getattr(translations, "_catalog", {})
    return [m for m in messages(questionnaire) if m.text not in known and _is_words(m.text)]


def _is_words(text: str) -> bool:
    """Numbers and bands such as "11–12" read the same in every language and need no translation."""
    return any(ch.isalpha() for ch in text)


def _source_page(p: Page) -> str:
    """One-question-per-page questionnaires name pages after their question: say which page it was."""
    return p.questions[0].page if p.questions else p.key
