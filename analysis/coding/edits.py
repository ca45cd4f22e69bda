"""Analysts' changes to a codebook, each a new version with a note, and what old codes mean under it.

Every operation takes a `Codebook` and returns a `CodebookChange`: the new codebook (version one
higher), a note for the version history, and the theme keys it touched (what the audit log records).
Nothing is deleted: retired and merged themes stay in the book, so a code made under any earlier
version can still be shown, and `theme_now` says what it counts as today.

    change = add_theme(book, "dog_fouling", "Dog fouling", phrases=["dog poo"])
    change = merge_themes(change.book, "media_representation", into="social_media")
    theme_now(change.book, "media_representation").current   # "social_media"
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from analysis.coding.codebook import KEY_RE, Codebook, CodebookError, Theme

__all__ = [
    "CodebookChange",
    "CodeCounts",
    "ThemeNow",
    "add_theme",
    "count_codes",
    "edit_theme",
    "merge_themes",
    "phrase_list",
    "promotion_fields",
    "retire_theme",
    "theme_now",
]

#: Fields an analyst writes as lists (one item a line in the workspace's forms).
LIST_FIELDS = ("includes", "excludes", "phrases", "examples")


@dataclass(frozen=True)
class CodebookChange:
    """One edit: the new version, a note for its history, and the theme keys it touched."""

    book: Codebook
    note: str
    action: str
    keys: tuple[str, ...]


def phrase_list(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Phrases from a textarea (one a line, or separated by semicolons) or a list, blanks and repeats dropped."""
    if value is None:
        return ()
    items = re.split(r"[\n;]", value) if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        text = " ".join(str(item).split())
        if text and text not in out:
            out.append(text)
    return tuple(out)


def _noted(note: str, reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        return note
    return f"{note} Why: {reason}" + ("" if reason[-1] in ".!?" else ".")


def add_theme(
    book: Codebook,
    key: str,
    label: str,
    *,
    definition: str = "",
    includes: str | Iterable[str] | None = None,
    excludes: str | Iterable[str] | None = None,
    phrases: str | Iterable[str] | None = None,
    examples: str | Iterable[str] | None = None,
    parent: str | None = None,
    reason: str = "",
    promoted: bool = False,
) -> CodebookChange:
    """A new version with a new theme (or a sub-theme of `parent`); `promoted` when it was a discovered topic."""
    key = key.strip()
    if not KEY_RE.match(key):
        raise CodebookError(f"theme '{key}': the key must be lower-case letters, numbers and _, like dog_fouling")
    theme = Theme(
        key=key,
        label=" ".join(label.split()),
        definition=definition.strip(),
        includes=phrase_list(includes),
        excludes=phrase_list(excludes),
        phrases=phrase_list(phrases),
        examples=phrase_list(examples),
    )
    new = book.add_theme(theme, parent=parent or None)
    where = f" under {parent}" if parent else ""
    done = "Promoted a discovered topic to theme" if promoted else "Added theme"
    return CodebookChange(
        new,
        _noted(f"{done} {key} ({theme.label}){where}.", reason),
        "promote" if promoted else "add",
        (key, parent) if parent else (key,),
    )


def edit_theme(book: Codebook, key: str, *, reason: str = "", **changes: Any) -> CodebookChange:
    """A new version with an active theme's label, definition, includes, excludes, phrases or examples changed."""
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name in LIST_FIELDS or name == "exclude_phrases":
            clean[name] = phrase_list(value)
        elif name == "label":
            clean[name] = " ".join(str(value).split())
        elif name == "definition":
            clean[name] = str(value).strip()
        else:
            clean[name] = value
    new = book.edit_theme(key, **clean)  # checks the key first
    changed = [name for name in clean if getattr(book[key], name) != getattr(new[key], name)]
    return CodebookChange(new, _noted(f"Edited theme {key}: {', '.join(changed)}.", reason), "edit", (key,))


def merge_themes(book: Codebook, source: str, into: str, *, reason: str = "") -> CodebookChange:
    """A new version in which `source` is retired, merged into `into`, which gains its phrases."""
    new = book.merge_themes(source, into)
    return CodebookChange(new, _noted(f"Merged theme {source} into {into}.", reason), "merge", (source, into))


def retire_theme(book: Codebook, key: str, *, reason: str = "") -> CodebookChange:
    """A new version in which `key` and its sub-themes are retired: kept for old codes, offered no more."""
    new = book.retire_theme(key, note=" ".join(reason.split()))
    retired = tuple(t.key for t in new.all_themes() if not t.active and book[t.key].active)
    subs = [k for k in retired if k != key]
    note = f"Retired theme {key}" + (f" and its sub-themes {', '.join(subs)}." if subs else ".")
    return CodebookChange(new, _noted(note, reason), "retire", retired)


@dataclass(frozen=True)
class ThemeNow:
    """What a code's theme key means under a codebook version."""

    key: str
    #: the active theme the code counts towards now, or None (retired outright, or unknown)
    current: str | None
    #: "active", "merged" (counts towards `current`), "retired" or "unknown"
    state: str


def theme_now(book: Codebook, key: str) -> ThemeNow:
    """What a code with theme `key`, made under any version, counts as under `book`."""
    if key not in book:
        return ThemeNow(key, None, "unknown")
    theme = book[key]
    if theme.active:
        return ThemeNow(key, key, "active")
    current = book.resolve(key)
    return ThemeNow(key, current, "merged" if current else "retired")


@dataclass
class CodeCounts:
    """Answers per theme under one version: merged themes' codes counted under their target."""

    current: Counter[str] = field(default_factory=Counter)
    #: codes on retired themes, kept and shown as such
    retired: Counter[str] = field(default_factory=Counter)
    #: codes whose theme is in no version of this book (kept; shown by key)
    unknown: Counter[str] = field(default_factory=Counter)


def count_codes(book: Codebook, answers: Mapping[Any, Iterable[str]]) -> CodeCounts:
    """How many answers have each theme now, from {answer: theme keys coded under any version}.

    An answer coded with both a merged theme and its target counts once for the target.
    """
    counts = CodeCounts()
    for keys in answers.values():
        now = {theme_now(book, k) for k in keys}
        counts.current.update({n.current for n in now if n.current})
        counts.retired.update({n.key for n in now if n.state == "retired"})
        counts.unknown.update({n.key for n in now if n.state == "unknown"})
    return counts


def promotion_fields(candidate: Mapping[str, Any], book: Codebook) -> dict[str, str]:
    """Add-theme form values from a discovered topic (CandidateTopic.as_dict()): a free key, a label,
    and its key phrases and strongest terms as the phrases the rules will look for.

    Example answers are left out on purpose: a codebook outlives the answers (retention removes
    them), so it holds no respondent's words, even redacted.
    """
    base = str(candidate.get("suggested_key") or "new_theme")
    base = re.sub(r"[^a-z0-9_]", "", base.lower().replace(" ", "_")) or "new_theme"
    key, n = base, 2
    while key in book:
        key, n = f"{base}_{n}", n + 1
    # Key phrases and the three strongest terms: single words further down the list would make the
    # rules fire on answers that merely mention them.
    phrases = phrase_list([*candidate.get("key_phrases", ()), *list(candidate.get("top_terms", ()))[:3]])
    return {
        "key": key,
        "label": base.replace("_", " ").capitalize(),
        "definition": "",
        "includes": "",
        "excludes": "",
        "phrases": "\n".join(phrases),
        "examples": "",
    }
