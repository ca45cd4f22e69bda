"""Configuration as data: published benchmarks, and how sentences phrase each measure.

Both live in `analysis/data/` (`benchmarks.yaml`, `statements.yaml`); pass another file to use
your own. Figures are never constants in code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from questionnaires import yamlsafe

DATA = Path(__file__).resolve().parent / "data"
BENCHMARKS = DATA / "benchmarks.yaml"
STATEMENTS = DATA / "statements.yaml"


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

    def citation(self) -> str:
        """Source, year and population, with "unverified" when it is."""
        text = f"{self.source}, {self.year}; {self.population}"
        return text + (" [unverified]" if not self.verified else "")


@dataclass(frozen=True)
class Phrase:
    """How a sentence says what some answers mean ("they feel very or fairly safe in their local area")."""

    text: str
    #: the answers it means; empty = the question's own top box
    answers: tuple[str, ...] = ()


def load_benchmarks(path: Path | str | None = None, *, every_geography: bool = False) -> list[Benchmark]:
    """The benchmarks in a YAML file (the shipped one by default), only for the geographies it `use`s."""
    data: dict[str, Any] = yamlsafe.load_path(path or BENCHMARKS) or {}
    used = set(data.get("use") or [])
    out = []
    for entry in data.get("benchmarks") or []:
        benchmark = Benchmark(
            id=str(entry["id"]),
            measure=str(entry["measure"]),
            top_box=tuple(str(v) for v in entry["top_box"]),
            value=float(entry["value"]),
            label=str(entry["label"]),
            source=str(entry["source"]),
            year=str(entry["year"]),
            population=str(entry.get("population", "")),
            geography=str(entry.get("geography", "")),
            sample_size=int(entry["sample_size"]) if entry.get("sample_size") else None,
            verified=bool(entry.get("verified", False)),
            note=str(entry.get("note", "")),
        )
        if every_geography or not used or not benchmark.geography or benchmark.geography in used:
            out.append(benchmark)
    return out


def load_phrases(path: Path | str | None = None) -> dict[str, Phrase]:
    """Sentence phrases by measure or question key."""
    data: dict[str, Any] = yamlsafe.load_path(path or STATEMENTS) or {}
    phrases = {}
    for key, entry in data.items():
        if isinstance(entry, str):
            phrases[str(key)] = Phrase(entry)
        else:
            phrases[str(key)] = Phrase(str(entry["phrase"]), tuple(str(v) for v in entry.get("answers", ())))
    return phrases
