"""Small coded data sets for the coding tests."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import numpy as np
import pytest

PHRASES = {
    "knives_weapons": ["people carry knives", "my mate got stabbed", "knife crime is everywhere", "blades 🔪"],
    "police": ["more police patrols", "the police never come", "feds stop and search us", "no coppers about"],
    "youth_provision": ["nothing to do round here", "bring back the youth club", "kids are bored", "no activities"],
    "drugs_alcohol": ["drug dealers in the park", "people smoking weed", "drunk people at night", "dealing on corners"],
}
FILLER = ["", " tbh", " innit", "!!", " to be honest", " and it is bad", " round my way"]


def synthetic(n: int, seed: int = 0) -> tuple[list[str], np.ndarray, list[str]]:
    """Answers built from each theme's phrases, one or two themes each."""
    rng = random.Random(seed)
    keys = list(PHRASES)
    texts, rows = [], []
    for _ in range(n):
        chosen = rng.sample(keys, rng.choice([1, 1, 2]))
        texts.append(" and ".join(rng.choice(PHRASES[k]) for k in chosen) + rng.choice(FILLER))
        rows.append([int(k in chosen) for k in keys])
    return texts, np.array(rows), keys


def write_coded(path: Path, n: int, seed: int = 0, *, extra: dict[str, list[str]] | None = None) -> list[str]:
    """A coded CSV: id, answer, one 0/1 column per theme (blank for 0, as spreadsheets often leave it)."""
    texts, Y, keys = synthetic(n, seed)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "answer", *keys, *(extra or {})])
        for i, (text, row) in enumerate(zip(texts, Y, strict=True)):
            writer.writerow([i, text, *["1" if v else "" for v in row], *[v[i] for v in (extra or {}).values()]])
    return keys


@pytest.fixture
def coded_csv(tmp_path: Path) -> Path:
    """120 coded answers over four themes."""
    path = tmp_path / "coded.csv"
    write_coded(path, 120)
    return path
