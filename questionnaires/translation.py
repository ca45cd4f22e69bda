"""Questionnaire wording in other languages, as overlays that never touch what answers mean.

An overlay is a YAML file in `<questionnaire folder>/translations/`:

- `<questionnaire id>.<locale>.yaml` holds the title, introduction, page titles and notes, and each
  question's text, hint and option labels, keyed by page key, question key and option value;
- `common.<locale>.yaml` holds labels used by many questions (built-in scales, Yes/No, Don't know,
  Prefer not to say, demographic answers and their group headings), keyed by option value.

Only words are replaced: keys, option values, order, routing and limits come from the stored
questionnaire version, so a translated page stores exactly the same answers as the English one.
Anything without a translation is shown in English. Overlays are not part of a version's content
hash: a response keeps the version it answered and the `language` it was shown in, and the wording
in that language is whatever overlay was current (keep overlays in version control alongside the
questionnaire file; when English wording changes in meaning, update the overlays in the same change).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from questionnaires.model import Option, Page, Question, Questionnaire

FOLDER_NAME = "translations"


@dataclasses.dataclass(frozen=True)
class Overlay:
    """The translated words for one questionnaire in one language (missing parts stay English)."""

    locale: str
    own: Mapping[str, Any]
    common: Mapping[str, Any]

    def option_label(self, question: Mapping[str, Any], value: str, english: str) -> str:
        return str((question.get("options") or {}).get(value)
                   or (self.common.get("options") or {}).get(value) or english)

    def group(self, english: str | None) -> str | None:
        if english is None:
            return None
        return str((self.common.get("groups") or {}).get(english) or english)


def overlay_paths(folder: Path, questionnaire_id: str, locale: str) -> tuple[Path, Path]:
    """Where the questionnaire's own overlay and the shared labels for a language live."""
    base = folder / FOLDER_NAME
    return base / f"{questionnaire_id}.{locale}.yaml", base / f"common.{locale}.yaml"


def load_overlay(folder: Path, questionnaire_id: str, locale: str) -> Overlay | None:
    """The overlay for this questionnaire and language, or None when there is none."""
    own, common = overlay_paths(folder, questionnaire_id, locale)
    if not own.exists():
        return None
    return Overlay(locale, _read(own, own.stat().st_mtime_ns),
                   _read(common, common.stat().st_mtime_ns) if common.exists() else {})


@lru_cache(maxsize=64)
def _read(path: Path, _mtime: int) -> Mapping[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def translate(questionnaire: Questionnaire, overlay: Overlay | None) -> Questionnaire:
    """The same questionnaire with its words replaced by the overlay's (structure untouched)."""
    if overlay is None:
        return questionnaire
    own = overlay.own
    pages_words = own.get("pages") or {}
    questions_words = own.get("questions") or {}

    def question(q: Question) -> Question:
        words = questions_words.get(q.key) or {}
        options = tuple(dataclasses.replace(o, label=overlay.option_label(words, o.value, o.label),
                                            group=overlay.group(o.group)) for o in q.options)
        return dataclasses.replace(q, text=str(words.get("text") or q.text), hint=str(words.get("hint") or q.hint),
                                   unit=str(words.get("unit") or q.unit), options=options)

    def page(p: Page) -> Page:
        # One-question-per-page questionnaires name pages after their question: look up both.
        words = pages_words.get(p.key) or pages_words.get(_source_page(p)) or {}
        return dataclasses.replace(
            p, title=str(words.get("title") or p.title),
            intro=str(words.get("intro") or p.intro) if p.intro else "",
            content_note=str(words.get("content_note") or p.content_note) if p.content_note else "",
            questions=tuple(question(q) for q in p.questions),
        )

    return dataclasses.replace(
        questionnaire, title=str(own.get("title") or questionnaire.title),
        respondent_label=str(own.get("respondent_label") or questionnaire.respondent_label),
        intro=str(own.get("intro") or questionnaire.intro),
        pages=tuple(page(p) for p in questionnaire.pages),
        _by_key={},  # rebuilt from the translated questions (never share the English one)
    )


def _source_page(p: Page) -> str:
    return p.questions[0].page if p.questions else p.key


def untranslated(questionnaire: Questionnaire, overlay: Overlay) -> list[str]:
    """Every piece of wording the overlay leaves in English (for completeness checks)."""
    missing: list[str] = []
    own = overlay.own
    for name in ("title", "respondent_label", "intro"):
        if getattr(questionnaire, name) and not own.get(name):
            missing.append(name)
    pages_words = own.get("pages") or {}
    for p in questionnaire.pages:
        words = pages_words.get(p.key) or pages_words.get(_source_page(p)) or {}
        for name in ("title", "intro", "content_note"):
            if getattr(p, name) and not words.get(name):
                missing.append(f"page {p.key}: {name}")
    questions_words = own.get("questions") or {}
    for q in questionnaire.questions():
        words = questions_words.get(q.key) or {}
        for name in ("text", "hint"):
            if getattr(q, name) and not words.get(name):
                missing.append(f"question {q.key}: {name}")
        for o in q.options:
            listed = o.value in (words.get("options") or {}) or o.value in (overlay.common.get("options") or {})
            if not listed and not _proper_name(q, o):
                missing.append(f"question {q.key}: option {o.value}")
    return missing


def unknown_keys(questionnaire: Questionnaire, overlay: Overlay) -> list[str]:
    """Keys in the overlay that the questionnaire does not have (renamed or removed questions)."""
    problems = []
    page_keys = {p.key for p in questionnaire.pages} | {_source_page(p) for p in questionnaire.pages}
    problems += [f"page {k}" for k in (overlay.own.get("pages") or {}) if k not in page_keys]
    by_key = {q.key: q for q in questionnaire.questions()}
    for key, words in (overlay.own.get("questions") or {}).items():
        if key not in by_key:
            problems.append(f"question {key}")
            continue
        values = {o.value for o in by_key[key].options}
        problems += [f"question {key}: option {v}" for v in (words or {}).get("options") or {} if v not in values]
    return problems


def _proper_name(q: Question, o: Option) -> bool:
    """Place names in area lists are names, not words to translate."""
    return q.type == "area" and not o.special
