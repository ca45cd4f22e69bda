"""Configuration as data: published benchmarks, and how sentences phrase each measure.

Both live in `analysis/data/` (`benchmarks.yaml`, `statements.yaml`); pass another file to use
your own. Figures are never constants in code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from questionnaires import yamlsafe

DATA = Path(__file__).resolve().parent / "data"
BENCHMARKS = DATA / "benchmarks.yaml"
STATEMENTS = DATA / "statements.yaml"
REPORTING_CATEGORIES = DATA / "reporting_categories.yaml"
#: Fields whose text a reader sees; a bare `#` in them starts a YAML comment and silently cuts them short.
TEXT_FIELDS = ("label", "source", "population", "geography", "note", "wording", "year")
#: A plain (unquoted) text field with " #" after its value: YAML reads only what comes before it.
_CUT_BY_COMMENT = re.compile(rf"^\s*(?:-\s+)?({'|'.join(TEXT_FIELDS)}):\s+([^\s\"'].*?)\s+#")
#: How old the people each audience describes are (the questionnaire's own range wins when it has one).
ADULTS = (18, None)


class BenchmarkError(ValueError):
    """A benchmark file that would put wrong words or figures in a report."""


@dataclass(frozen=True)
class Benchmark:
    """A published figure to compare a measure with."""

    id: str
    measure: str
    top_box: tuple[str, ...]
    value: float  #: per cent
    label: str
    source: str
    year: str
    population: str
    geography: str = ""
    sample_size: int | None = None
    verified: bool = False
    note: str = ""
    #: the ages it describes: (youngest, oldest), oldest None for "and over"
    ages: tuple[int, int | None] = ADULTS
    #: the question as the source asked it, or "" when not seen
    wording: str = ""

    def citation(self) -> str:
        """Source, year and population, with "unverified" when it is."""
        text = f"{self.source}, {self.year}; {self.population}"
        if self.wording:
            text += f"; asked \u201c{self.wording}\u201d"
        return text + (" [unverified]" if not self.verified else "")

    def describes(self, ages: tuple[int, int | None]) -> bool:
        """Whether it describes mostly the same ages: more than half of `ages` falls inside its own range."""
        low, high = ages
        own_low, own_high = self.ages
        if high is None or own_high is None:  # open-ended ("and over"): adults against adults only
            return high is None and own_high is None and abs(low - own_low) <= 2
        overlap = min(high, own_high) - max(low, own_low) + 1
        return overlap > (high - low + 1) / 2


@dataclass(frozen=True)
class Phrase:
    """How a sentence says what some answers mean ("they feel very or fairly safe in their local area")."""

    text: str
    #: the answers it means; empty = the question's own top box
    answers: tuple[str, ...] = ()


def load_benchmarks(path: Path | str | None = None, *, every_geography: bool = False) -> list[Benchmark]:
    """The benchmarks in a YAML file (the shipped one by default), only for the geographies it `use`s."""
    path = Path(path or BENCHMARKS)
    data: dict[str, Any] = yamlsafe.load_path(path) or {}
    _refuse_cut_text(path)
    used = set(data.get("use") or [])
    out = []
    for entry in data.get("benchmarks") or []:
        name = f"{path.name}, benchmark {entry.get('id', '?')}"
        label = str(entry.get("label") or "").strip()
        if not label.startswith("the "):
            raise BenchmarkError(
                f'{name}: the label must name the figure for a sentence, e.g. "the North West average"'
            )
        ages = entry.get("ages")
        if not (isinstance(ages, list) and len(ages) == 2 and isinstance(ages[0], int)):
            raise BenchmarkError(f"{name}: give the ages it describes, e.g. ages: [13, 17] or ages: [16, null]")
        benchmark = Benchmark(
            id=str(entry["id"]),
            measure=str(entry["measure"]),
            top_box=tuple(str(v) for v in entry["top_box"]),
            value=float(entry["value"]),
            label=label,
            source=str(entry["source"]),
            year=str(entry["year"]),
            population=str(entry.get("population", "")),
            geography=str(entry.get("geography", "")),
            sample_size=int(entry["sample_size"]) if entry.get("sample_size") else None,
            verified=bool(entry.get("verified", False)),
            note=str(entry.get("note", "")),
            ages=(int(ages[0]), None if ages[1] is None else int(ages[1])),
            wording=str(entry.get("wording") or ""),
        )
        if every_geography or not used or not benchmark.geography or benchmark.geography in used:
            out.append(benchmark)
    return out


def _refuse_cut_text(path: Path) -> None:
    """Refuse a text field that a `#` cuts short (`label: the #BeeWell figure` loads as "the")."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _CUT_BY_COMMENT.match(line)
        if match:
            raise BenchmarkError(
                f"{path.name}, line {number}: the # in {match.group(1)} starts a YAML comment and cuts the text "
                f'short; put the whole value in quotes ({match.group(1)}: "...")'
            )


def load_phrases(path: Path | str | None = None) -> dict[str, Phrase]:
    """Sentence phrases by measure or question key."""
    data: dict[str, Any] = yamlsafe.load_path(path or STATEMENTS) or {}
    phrases = {}
    for key, entry in data.items():
        if key == "questions":
            continue
        if isinstance(entry, str):
            phrases[str(key)] = Phrase(entry)
        else:
            phrases[str(key)] = Phrase(str(entry["phrase"]), tuple(str(v) for v in entry.get("answers", ())))
    return phrases


@cache
def measure_questions(path: Path | str | None = None) -> dict[str, str]:
    """The neutral wording of each measure, for tables that pool it across questionnaires."""
    data: dict[str, Any] = yamlsafe.load_path(path or STATEMENTS) or {}
    return {str(k): str(v) for k, v in (data.get("questions") or {}).items()}


@cache
def reporting_categories(path: Path | str | None = None) -> dict[str, dict[str, str]]:
    """Breakdown name -> answer value -> the shared category every questionnaire's answer is reported under."""
    data: dict[str, Any] = yamlsafe.load_path(path or REPORTING_CATEGORIES, yes_no_as_text=True) or {}
    return {str(name): {str(v): str(c) for v, c in (values or {}).items()} for name, values in data.items()}
