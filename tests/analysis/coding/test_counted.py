"""One reading of stored codes for every page and report: people's decisions, the model's confident
codes on answers nobody reviewed, suggestions waiting beside; merged themes count as their target."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.coding.codebook import load_codebook
from analysis.coding.counted import answer_themes
from analysis.coding.edits import merge_themes, retire_theme


@dataclass
class Code:
    theme_key: str
    status: str
    confidence: float


BOOK = load_codebook()


def test_unreviewed_answers_count_confident_codes_and_wait_on_unsure_ones() -> None:
    found = answer_themes(
        BOOK,
        [
            Code("police", "applied", 0.95),
            Code("knives_weapons", "suggested", 0.6),
            Code("gangs_exploitation", "suggested", 0.05),
        ],
        0.9,
    )
    assert not found.reviewed
    assert found.counted == {"police": 0.95}
    assert found.waiting == {"knives_weapons"}  # 0.05 is a confident "no", not a question


def test_a_persons_review_replaces_the_model() -> None:
    found = answer_themes(
        BOOK,
        [Code("police", "rejected", 0.95), Code("knives_weapons", "accepted", 0.6), Code("bullying", "suggested", 0.6)],
        0.9,
    )
    assert found.reviewed and found.counted == {"knives_weapons": 1.0} and not found.waiting


def test_merged_themes_count_as_their_target_and_retired_ones_nowhere() -> None:
    merged = merge_themes(BOOK, "bullying", "peer_pressure", reason="test").book
    retired = retire_theme(merged, "police", reason="test").book
    found = answer_themes(retired, [Code("bullying", "added", 1.0), Code("police", "added", 1.0)], 0.9)
    assert found.counted == {"peer_pressure": 1.0}
