"""The theme codebook: load and check the YAML, fingerprint each version, add, merge and retire themes.

A codebook never changes in place. Every edit returns a new `Codebook` whose `version` is one higher,
and retired or merged themes stay in it (with `status` and `merged_into`), so codes made under an
earlier version can still be read and carried forward with `resolve()`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from questionnaires import yamlsafe

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
STATUSES = ("active", "retired")
DEFAULT_CODEBOOK = Path(__file__).resolve().parents[2] / "questionnaires" / "codebook" / "violence-reduction.yaml"

_THEME_FIELDS = {
    "key",
    "label",
    "definition",
    "includes",
    "excludes",
    "phrases",
    "exclude_phrases",
    "examples",
    "absence_is_theme",
    "sub_themes",
    "status",
    "merged_into",
    "note",
}
_TOP_FIELDS = {"codebook", "version", "title", "description", "themes"}


class CodebookError(ValueError):
    """A codebook file or edit that breaks the format; the message names the theme and the problem."""


@dataclass(frozen=True)
class Theme:
    """One theme: what it means, what it covers and leaves out, and the phrases the rules look for."""

    key: str
    label: str
    definition: str = ""
    includes: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    #: longer phrases that, when they cover a match, stop it counting ("social media" is not news media)
    exclude_phrases: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    #: true when "no X" / "not enough X" is itself the theme (no youth clubs, not enough police)
    absence_is_theme: bool = False
    sub_themes: tuple[Theme, ...] = ()
    status: str = "active"
    merged_into: str | None = None
    note: str = ""
    #: key of the parent theme, for sub-themes
    parent: str | None = None

    @property
    def active(self) -> bool:
        """Whether new answers can be coded with this theme."""
        return self.status == "active"

    def to_dict(self) -> dict[str, Any]:
        """Plain data, as written to YAML (empty fields left out)."""
        out: dict[str, Any] = {}
        for name, value in asdict(self).items():
            if name == "parent" or value in ((), "", None, False) or (name == "status" and value == "active"):
                continue
            out[name] = list(value) if isinstance(value, tuple) else value
        if self.sub_themes:
            out["sub_themes"] = [s.to_dict() for s in self.sub_themes]
        return out


@dataclass(frozen=True)
class Codebook:
    """A versioned list of themes (with sub-themes)."""

    name: str
    version: int
    themes: tuple[Theme, ...]
    title: str = ""
    description: str = ""
    _index: dict[str, Theme] = field(default_factory=dict, compare=False, repr=False)
    _fingerprint: str = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        index: dict[str, Theme] = {}
        for theme in self._walk(self.themes):
            if theme.key in index:
                raise CodebookError(f"theme '{theme.key}': the key is used twice")
            index[theme.key] = theme
        for theme in index.values():
            if theme.merged_into and theme.merged_into not in index:
                raise CodebookError(
                    f"theme '{theme.key}': merged into '{theme.merged_into}', which is not in the codebook"
                )
        object.__setattr__(self, "_index", index)

    @staticmethod
    def _walk(themes: tuple[Theme, ...]) -> Iterator[Theme]:
        for theme in themes:
            yield theme
            yield from Codebook._walk(theme.sub_themes)

    def all_themes(self) -> list[Theme]:
        """Every theme and sub-theme, retired ones included, in file order."""
        return list(self._index.values())

    def active_themes(self, *, sub_themes: bool = False) -> list[Theme]:
        """The themes new answers are coded with (top level only unless `sub_themes`)."""
        return [t for t in self._index.values() if t.active and (sub_themes or t.parent is None)]

    def keys(self, *, sub_themes: bool = False) -> list[str]:
        """Keys of the active themes."""
        return [t.key for t in self.active_themes(sub_themes=sub_themes)]

    def __getitem__(self, key: str) -> Theme:
        return self._index[key]

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def resolve(self, key: str) -> str | None:
        """The active theme a code made under any earlier version now belongs to (None if retired outright)."""
        seen: set[str] = set()
        while key in self._index and key not in seen:
            seen.add(key)
            theme = self._index[key]
            if theme.active:
                return key
            if not theme.merged_into:
                return None
            key = theme.merged_into
        return None

    def to_dict(self) -> dict[str, Any]:
        """Plain data, as written to YAML."""
        return {
            "codebook": self.name,
            "version": self.version,
            "title": self.title,
            "description": self.description,
            "themes": [t.to_dict() for t in self.themes],
        }

    @property
    def fingerprint(self) -> str:
        """A short hash of the meaning of this version: the same content gives the same fingerprint."""
        if not self._fingerprint:  # a frozen codebook never changes, so hash it once
            canonical = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
            object.__setattr__(self, "_fingerprint", hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16])
        return self._fingerprint

    @property
    def version_label(self) -> str:
        """What is recorded with every code: name, version number and fingerprint."""
        return f"{self.name}@{self.version}:{self.fingerprint}"

    def to_yaml(self) -> str:
        """The codebook as YAML text."""
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True, width=110)

    # ---- edits: each returns a new version -------------------------------------------------------

    def _with_themes(self, themes: tuple[Theme, ...]) -> Codebook:
        return Codebook(self.name, self.version + 1, themes, self.title, self.description)

    def _map(self, key: str, change: Any) -> tuple[Theme, ...]:
        if key not in self._index:
            raise CodebookError(f"theme '{key}': not in the codebook")

        def walk(themes: tuple[Theme, ...]) -> tuple[Theme, ...]:
            return tuple(change(t) if t.key == key else replace(t, sub_themes=walk(t.sub_themes)) for t in themes)

        return walk(self.themes)

    def _active(self, key: str, doing: str) -> Theme:
        if key not in self._index:
            raise CodebookError(f"theme '{key}': not in the codebook")
        theme = self._index[key]
        if not theme.active:
            raise CodebookError(f"theme '{key}': already retired, so it cannot be {doing}")
        return theme

    def add_theme(self, theme: Theme, *, parent: str | None = None) -> Codebook:
        """A new version with `theme` added (at the top level, or as a sub-theme of `parent`)."""
        _check_theme(theme.to_dict(), f"theme '{theme.key}'")
        if theme.key in self._index:
            raise CodebookError(
                f"theme '{theme.key}': the key is already used"
                + ("" if self._index[theme.key].active else " (by a retired theme)")
            )
        if parent is None:
            return self._with_themes((*self.themes, replace(theme, parent=None)))
        self._active(parent, "given sub-themes")
        new = replace(theme, parent=parent)
        return self._with_themes(self._map(parent, lambda t: replace(t, sub_themes=(*t.sub_themes, new))))

    def edit_theme(self, key: str, **changes: Any) -> Codebook:
        """A new version with some of an active theme's wording or phrases changed (key and status stay)."""
        allowed = {
            "label",
            "definition",
            "includes",
            "excludes",
            "phrases",
            "exclude_phrases",
            "examples",
            "absence_is_theme",
        }
        unknown = set(changes) - allowed
        if unknown:
            raise CodebookError(f"theme '{key}': cannot change {', '.join(sorted(unknown))}")
        old = self._active(key, "edited")
        new = replace(old, **changes)
        _check_theme(new.to_dict(), f"theme '{key}'")
        if new == old:
            raise CodebookError(f"theme '{key}': nothing was changed")
        return self._with_themes(self._map(key, lambda t: replace(new, sub_themes=t.sub_themes)))

    def retire_theme(self, key: str, *, note: str = "") -> Codebook:
        """A new version in which `key` (and its sub-themes) is no longer offered; earlier codes are kept."""
        self._active(key, "retired again")

        def retire(theme: Theme) -> Theme:
            subs = tuple(retire(s) if s.active else s for s in theme.sub_themes)
            return replace(theme, status="retired", note=note or theme.note, sub_themes=subs)

        return self._with_themes(self._map(key, retire))

    def merge_themes(self, source: str, into: str) -> Codebook:
        """A new version in which `source` is retired and its phrases and codes count towards `into`."""
        if source == into:
            raise CodebookError(f"theme '{source}': cannot be merged into itself")
        src = self._active(source, "merged")
        if into not in self._index or not self._index[into].active:
            raise CodebookError(f"theme '{into}': not an active theme, so nothing can be merged into it")
        live_subs = [s.key for s in src.sub_themes if s.active]
        if live_subs:
            raise CodebookError(f"theme '{source}': merge or retire its sub-themes ({', '.join(live_subs)}) first")
        merged = self._map(
            source,
            lambda t: replace(
                t, status="retired", merged_into=into, note=f"merged into {into} in version {self.version + 1}"
            ),
        )
        book = Codebook(self.name, self.version, merged, self.title, self.description)
        target = book[into]
        # The source's exclude phrases travel with its phrases, or they would start matching where
        # the source never did ("social media" is not news media).
        gained = {
            name: tuple(p for p in getattr(src, name) if p not in getattr(target, name))
            for name in ("phrases", "exclude_phrases")
        }
        return self._with_themes(
            book._map(
                into,
                lambda t: replace(
                    t,
                    phrases=t.phrases + gained["phrases"],
                    exclude_phrases=t.exclude_phrases + gained["exclude_phrases"],
                ),
            )
        )


def _strings(value: Any, where: str, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise CodebookError(f"{where}: '{name}' must be a list of phrases")
    return tuple(str(v).strip() for v in value if str(v).strip())


def _check_theme(raw: Any, where: str) -> None:
    if not isinstance(raw, dict):
        raise CodebookError(f"{where}: each theme must be a mapping with key, label, definition, ...")
    unknown = set(raw) - _THEME_FIELDS
    if unknown:
        raise CodebookError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    key = raw.get("key")
    if not isinstance(key, str) or not KEY_RE.match(key):
        raise CodebookError(f"{where}: 'key' must be lower-case letters, numbers and _ (got {key!r})")
    if not isinstance(raw.get("label"), str) or not raw["label"].strip():
        raise CodebookError(f"theme '{key}': needs a 'label'")
    if raw.get("status", "active") not in STATUSES:
        raise CodebookError(f"theme '{key}': status must be one of {', '.join(STATUSES)}")


def _theme(raw: Any, where: str, parent: str | None = None) -> Theme:
    _check_theme(raw, where)
    key = raw["key"]
    here = f"theme '{key}'"
    subs = raw.get("sub_themes") or []
    if not isinstance(subs, list):
        raise CodebookError(f"{here}: 'sub_themes' must be a list of themes")
    return Theme(
        key=key,
        label=raw["label"].strip(),
        definition=str(raw.get("definition") or "").strip(),
        includes=_strings(raw.get("includes"), here, "includes"),
        excludes=_strings(raw.get("excludes"), here, "excludes"),
        phrases=_strings(raw.get("phrases"), here, "phrases"),
        exclude_phrases=_strings(raw.get("exclude_phrases"), here, "exclude_phrases"),
        examples=_strings(raw.get("examples"), here, "examples"),
        absence_is_theme=bool(raw.get("absence_is_theme", False)),
        sub_themes=tuple(_theme(s, f"{here}, sub-theme {i + 1}", key) for i, s in enumerate(subs)),
        status=raw.get("status", "active"),
        merged_into=raw.get("merged_into"),
        note=str(raw.get("note") or ""),
        parent=parent,
    )


def codebook_from_dict(data: Any, source: str = "codebook") -> Codebook:
    """Check plain data (as read from YAML) and build a `Codebook`; raises `CodebookError` naming the problem."""
    if not isinstance(data, dict):
        raise CodebookError(f"{source}: expected a mapping with 'codebook', 'version' and 'themes'")
    unknown = set(data) - _TOP_FIELDS
    if unknown:
        raise CodebookError(f"{source}: unknown field(s) {', '.join(sorted(unknown))}")
    name = data.get("codebook")
    if not isinstance(name, str) or not name:
        raise CodebookError(f"{source}: needs a 'codebook' name")
    version = data.get("version", 1)
    if not isinstance(version, int) or version < 1:
        raise CodebookError(f"{source}: 'version' must be a whole number from 1")
    themes = data.get("themes")
    if not isinstance(themes, list) or not themes:
        raise CodebookError(f"{source}: needs a non-empty list of 'themes'")
    built = tuple(_theme(t, f"{source}: theme {i + 1}") for i, t in enumerate(themes))
    try:
        return Codebook(name, version, built, str(data.get("title") or ""), str(data.get("description") or ""))
    except CodebookError as exc:
        raise CodebookError(f"{source}: {exc}") from None


def load_codebook(path: str | Path = DEFAULT_CODEBOOK) -> Codebook:
    """Read and check a codebook YAML file."""
    path = Path(path)
    try:
        data = yamlsafe.load_path(path)
    except yamlsafe.YamlRefused as exc:
        raise CodebookError(str(exc)) from None
    return codebook_from_dict(data, path.name)


def codebook_from_keys(keys: list[str], name: str = "csv-columns") -> Codebook:
    """A phrase-less codebook from CSV column names, for training on any coded spreadsheet."""
    return Codebook(name, 1, tuple(Theme(key=k, label=k) for k in keys))
