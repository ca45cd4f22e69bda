"""Reading the YAML files people edit (questionnaires, area lists, codebooks, benchmarks, safeguarding rules).

These files are written by hand and may come from outside the team, so they are read with a
loader that builds only plain data (a `SafeLoader`), refuses anchors and aliases, refuses files
over a size cap, and refuses nesting deep enough to exhaust the parser. Anchors and aliases are
what make a "billion laughs" file: a few hundred bytes that expand to billions of nodes and hang
whoever reads it. None of our files need them; a file that uses them is refused with a message
that says so, before anything is expanded.

`YamlRefused` is a `yaml.YAMLError`, so code that already reports bad YAML reports these too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import IO, Any

import yaml

#: The largest file read: the biggest shipped file is under 20 KB.
MAX_BYTES = 1_000_000


class YamlRefused(yaml.YAMLError):
    """A YAML file was not read: too large, too deeply nested, or using anchors and aliases."""

    def __init__(self, problem: str, mark: yaml.Mark | None = None, source: str = "") -> None:
        where = ", ".join(part for part in (source, f"line {mark.line + 1}" if mark else "") if part)
        super().__init__(f"{where}: {problem}" if where else problem)
        #: the same attributes as PyYAML's own errors, so callers can say where
        self.problem = problem
        self.problem_mark = mark


class _NoAliasLoader(yaml.SafeLoader):
    """A SafeLoader that refuses anchors (`&name`) and aliases (`*name`), so nothing can expand."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise YamlRefused(
                "anchors and aliases (&name, *name) are not allowed: write the text out in full",
                event.start_mark,
            )
        return super().compose_node(parent, index)


class _TextYesNoLoader(_NoAliasLoader):
    """YAML 1.1 turns yes/no/on/off into true/false; officers write `- yes`, so keep them text."""


_TextYesNoLoader.yaml_implicit_resolvers = {
    k: [(tag, r) for tag, r in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_TextYesNoLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load(text: str | bytes | IO[str], *, yes_no_as_text: bool = False, max_bytes: int = MAX_BYTES) -> Any:
    """Parse YAML text as plain data, refusing anchors, aliases, deep nesting and text over `max_bytes`.

    `yes_no_as_text` keeps yes/no/on/off as text (only true/false are booleans), as questionnaires need.
    """
    if not isinstance(text, str | bytes):
        text = text.read(max_bytes + 1)
    size = len(text.encode("utf-8")) if isinstance(text, str) else len(text)
    if size > max_bytes:
        raise YamlRefused(f"the file is too large to read ({size:,} bytes; at most {max_bytes:,})")
    loader = _TextYesNoLoader if yes_no_as_text else _NoAliasLoader
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - both loaders are SafeLoaders
    except RecursionError:
        raise YamlRefused("the file is nested too deeply to read") from None


def load_path(path: str | Path, *, yes_no_as_text: bool = False, max_bytes: int = MAX_BYTES) -> Any:
    """Read and parse a YAML file (UTF-8) as `load` does, checking its size before reading it."""
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise YamlRefused(f"the file is too large to read ({size:,} bytes; at most {max_bytes:,})", source=path.name)
    try:
        return load(path.read_text(encoding="utf-8"), yes_no_as_text=yes_no_as_text, max_bytes=max_bytes)
    except YamlRefused as exc:
        raise YamlRefused(exc.problem, exc.problem_mark, path.name) from None
