"""What every part of the questionnaire checker shares: the problems it reports and how it reports them.

A `Problem` names the file, the place in it (a question or page) and what is wrong in plain
words, so a council officer can fix a file without reading Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from questionnaires.symbols import available_symbols, symbol_problem

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a questionnaire file."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"


class QuestionnaireError(ValueError):
    """A questionnaire file has problems; `problems` lists them all."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def slug(label: str) -> str:
    """Make an answer value from a label: 'Youth clubs' -> 'youth_clubs'."""
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


class CheckerBase:
    """One file's checking state: its name, the area lists and symbols it may use, what it has seen."""

    def __init__(self, name: str, areas: dict[str, dict], symbols: frozenset[str] | None = None):
        self.name = name
        self.areas = areas
        self.symbols = available_symbols() if symbols is None else symbols
        self.presentation = "standard"
        self.problems: list[Problem] = []
        self.seen: dict[str, dict] = {}  # question key -> canonical question, in order
        self.page_of: dict[str, int] = {}
        self.one_per_page = False
        self.all_keys: set[str] = set()

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.name, where, message))

    def unknown_fields(self, where: str, data: dict, allowed: set[str]) -> None:
        for extra in sorted(set(data) - allowed):
            self.problem(where, f"unknown field '{extra}' (allowed here: {', '.join(sorted(allowed))})")

    def text(self, where: str, data: dict, name: str, required: bool = True) -> str:
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(where, f"'{name}' is missing")
            return ""
        if not isinstance(value, str):
            self.problem(where, f"'{name}' should be text")
            return str(value)
        return value.strip()

    def symbol(self, where: str, name: object) -> str | None:
        """A checked symbol name, or None (with a problem) if there is no such picture."""
        message = symbol_problem(name, self.symbols)
        if message:
            self.problem(where, message)
            return None
        return str(name)
