"""One reading of stored codes for every page and report: people's decisions, the model's confident
codes on answers nobody reviewed, suggestions waiting beside; merged themes count as their target."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.coding.auto_apply import ThemeThresholds
from analysis.coding.codebook import load_codebook
from analysis.coding.counted import answer_themes
from analysis.coding.edits import merge_themes, retire_theme


@dataclass
class Code:
    theme_key: str
    status: str
    confidence: float


BOOK = load_codebook()
ONE = ThemeThresholds(0.9)


def test_unreviewed_answers_count_confident_codes_and_wait_on_unsure_ones() -> None:
    found = answer_themes(
        BOOK,
        [
            Code("police", "applied", 0.95),
            Code("knives_weapons", "suggested", 0.6),
            Code("gangs_exploitation", "suggested", 0.05),
        ],
        ONE,
    )
    assert not found.reviewed
    assert found.counted == {"police": 0.95}
    assert found.waiting == {"knives_weapons"}  # 0.05 is a confident "no", not a question


def test_a_persons_review_replaces_the_model() -> None:
    found = answer_themes(
        BOOK,
        [Code("police", "rejected", 0.95), Code("knives_weapons", "accepted", 0.6), Code("bullying", "suggested", 0.6)],
        ONE,
    )
    assert found.reviewed and found.counted == {"knives_weapons": 1.0} and not found.waiting


def test_merged_themes_count_as_their_target_and_retired_ones_nowhere() -> None:
    merged = merge_themes(BOOK, "bullying", "peer_pressure", reason="test").book
    retired = retire_theme(merged, "police", reason="test").book
    found = answer_themes(retired, [Code("bullying", "added", 1.0), Code("police", "added", 1.0)], ONE)
    assert found.counted == {"peer_pressure": 1.0}


def test_each_theme_counts_and_waits_under_its_own_confidence() -> None:
    """Police set lower (0.7) and youth provision higher (0.95) than the one confidence (0.9): the
    reading follows each theme's own, as the review queue does, whatever status the code was stored with."""
    own = ThemeThresholds(0.9, {"police": 0.7, "youth_provision": 0.95})
    assert answer_themes(BOOK, [Code("police", "suggested", 0.75)], own).counted == {"police": 0.75}
    assert not answer_themes(BOOK, [Code("police", "suggested", 0.25)], own).waiting, "a clear no at 0.7"
    higher = answer_themes(BOOK, [Code("youth_provision", "suggested", 0.92)], own)
    assert higher.waiting == {"youth_provision"} and not higher.counted
    stale = answer_themes(BOOK, [Code("youth_provision", "applied", 0.92)], own)
    assert stale.waiting == {"youth_provision"} and not stale.counted, "applied under an earlier confidence"
    for p in (0.25, 0.75, 0.92):
        assert answer_themes(BOOK, [Code("youth_provision", "suggested", p)], own).waiting == (
            {"youth_provision"} if own.unsure("youth_provision", p) else set()
        )


def test_a_theme_held_with_people_is_never_counted_from_the_coder() -> None:
    held = ThemeThresholds(0.9, {"police": 0.9}, frozenset({"police"}))
    found = answer_themes(BOOK, [Code("police", "applied", 0.99)], held)
    assert not found.counted and found.waiting == {"police"}
