"""The review loop applies each theme's own confidence where the analyst chose one."""

from __future__ import annotations

from analysis.coding.codebook import load_codebook
from analysis.coding.review import ReviewLoop

ANSWERS = {"a2": "nothing to do round here since the youth club shut", "a4": "the cops"}


def test_a_themes_own_confidence_moves_its_codes_between_applied_and_review() -> None:
    book = load_codebook()
    # "the cops" is one single-word match (0.7): waits for review at the one confidence, 0.9
    plain = ReviewLoop(book, dict(ANSWERS), threshold=0.9)
    assert "a4" in plain.queue() and not plain.codes("a4")
    own = ReviewLoop(book, dict(ANSWERS), threshold=0.9, theme_thresholds={"police": 0.65})
    assert "a4" not in own.queue()
    assert [(c.theme, c.status) for c in own.codes("a4")] == [("police", "applied")]
    # held higher than its score: youth provision (0.9775) is no longer applied, and waits for a person
    strict = ReviewLoop(book, dict(ANSWERS), threshold=0.9, theme_thresholds={"youth_provision": 0.99})
    assert "a2" in strict.queue() and not strict.codes("a2")
