"""The review loop: threshold, queue order, accept / reject / add, retraining."""

from __future__ import annotations

import pytest

from analysis.coding.codebook import load_codebook
from analysis.coding.learned import CoderSettings
from analysis.coding.review import ReviewLoop
from tests.analysis.coding.conftest import PHRASES, synthetic

ANSWERS = {
    "a1": "people carry knives and the police never come",
    "a2": "nothing to do round here since the youth club shut",
    "a3": "it's alright I guess",
    "a4": "the cops",
    "a5": "not bothered about social media",
}


@pytest.fixture
def loop() -> ReviewLoop:
    return ReviewLoop(load_codebook(), dict(ANSWERS), threshold=0.9)


def test_cold_start_uses_rules_with_evidence_and_codebook_version(loop: ReviewLoop) -> None:
    assert loop.source == "rule"
    suggestions = {c.theme: c for c in loop.suggestions("a1")}
    assert {"knives_weapons", "police"} <= set(suggestions)
    assert suggestions["knives_weapons"].evidence and suggestions["knives_weapons"].codebook_version.startswith(
        "violence-reduction@1:"
    )
    assert all(0 <= c.confidence <= 1 for c in suggestions.values())


def test_threshold_splits_applied_codes_from_the_review_queue(loop: ReviewLoop) -> None:
    # "the cops" is one single-word match (0.7): below 0.9, so it waits for review.
    assert "a4" in loop.queue()
    assert [c.theme for c in loop.codes("a2")] == ["youth_provision"]  # 0.9775 >= 0.9: applied
    assert loop.codes("a2")[0].status == "applied" and "a2" not in loop.queue()
    lenient = ReviewLoop(load_codebook(), dict(ANSWERS), threshold=0.6)
    assert "a4" not in lenient.queue() and [c.theme for c in lenient.codes("a4")] == ["police"]
    with pytest.raises(ValueError, match="between 0.5 and 1"):
        ReviewLoop(load_codebook(), {}, threshold=0.3)


def test_queue_puts_the_most_uncertain_first_while_nothing_is_reviewed(loop: ReviewLoop) -> None:
    queue = loop.queue()
    assert queue == sorted(queue, key=lambda a: -loop.uncertainty(a))
    assert loop.uncertainty(queue[0]) >= loop.uncertainty(queue[-1])


def test_queue_asks_first_about_themes_people_have_coded_least() -> None:
    answers = {f"seen{i}": f"the cops again {i}" for i in range(6)} | {"police?": "p", "weapons?": "w"}
    loop = ReviewLoop(load_codebook(), answers, threshold=0.9)
    for i in range(6):
        loop.add(f"seen{i}", "police")
        loop.finish(f"seen{i}")
    # Two answers on the fence: police a little more uncertain, but people have coded police six
    # times and weapons never, so the weapons answer teaches the next model more.
    fence = dict.fromkeys(loop.themes, 0.01)
    loop._probabilities["police?"] = fence | {"police": 0.5}
    loop._probabilities["weapons?"] = fence | {"knives_weapons": 0.6}
    queue = loop.queue()
    assert queue.index("weapons?") < queue.index("police?")


def test_accept_reject_add_then_finish(loop: ReviewLoop) -> None:
    loop.accept("a4", "police", reviewer="analyst@example.org")
    loop.add("a4", "youth_provision")
    loop.reject("a1", "knives_weapons")
    loop.finish("a4")
    codes = {c.theme: c for c in loop.codes("a4")}
    assert set(codes) == {"police", "youth_provision"}
    assert codes["police"].source == "human" and codes["police"].status == "accepted"
    assert codes["youth_provision"].status == "added"
    assert "knives_weapons" not in {c.theme for c in loop.codes("a1")}
    assert "a4" not in loop.queue() and loop.progress()["reviewed"] == 1
    # A later decision replaces an earlier one.
    loop.accept("a1", "knives_weapons")
    assert "knives_weapons" in {c.theme for c in loop.codes("a1")}
    with pytest.raises(KeyError):
        loop.add("a1", "not_a_theme")
    with pytest.raises(KeyError):
        loop.accept("nope", "police")


def test_finish_accepts_what_was_not_rejected_and_leaves_out_the_rest(loop: ReviewLoop) -> None:
    loop.reject("a1", "police")
    loop.finish("a1")
    assert {c.theme for c in loop.codes("a1")} == {"knives_weapons"}
    texts, Y = loop.training_data()
    assert texts == [ANSWERS["a1"]]
    assert Y[0, loop.themes.index("knives_weapons")] == 1 and Y[0].sum() == 1


def test_retrain_learns_from_reviews_and_recodes() -> None:
    texts, Y, keys = synthetic(60, seed=9)
    book = load_codebook()
    answers = {f"s{i}": t for i, t in enumerate(texts)}
    answers["new"] = "the feds and the gangs"
    loop = ReviewLoop(book, answers, threshold=0.9)
    assert not loop.retrain()  # nothing reviewed yet
    assert loop.coder is not None
    loop.coder.settings = CoderSettings(n_jobs=1, folds=3)
    for i, row in enumerate(Y[:40]):
        for j, key in enumerate(keys):
            if row[j]:
                loop.add(f"s{i}", key)
        loop.finish(f"s{i}")
    assert loop.retrain(min_answers=20)
    assert loop.source == "model" and loop.model_version == 1
    # Reviewed answers keep exactly the reviewer's themes; the rest are recoded by the model.
    assert {c.theme for c in loop.codes("s0")} == {k for j, k in enumerate(keys) if Y[0, j]}
    probs = {c.theme: c.confidence for c in loop.suggestions("s50", minimum=0.0)}
    truth = {k for j, k in enumerate(keys) if Y[50, j]}
    assert min(probs[t] for t in truth) > max(p for t, p in probs.items() if t in PHRASES and t not in truth)
