"""The review loop codes and retrains with the question each answer answered, where it is given."""

from __future__ import annotations

import pytest

from analysis.coding.codebook import codebook_from_keys
from analysis.coding.engine import ThemeCoder
from analysis.coding.review import ReviewLoop
from tests.analysis.coding.test_questions import SETTINGS, answers

#: no database here: the SQLite pass runs it, the PostgreSQL pass would only repeat it
pytestmark = pytest.mark.no_database

THEMES = ["praise", "concern"]


def reviewed_loop(questions: bool) -> ReviewLoop:
    """240 answers naming places, praise under "good" and concern under "worry", every one reviewed;
    the loop starts from a coder that learned 40 of them on their words alone."""
    texts, asked, Y = answers(240, seed=1)
    ids = [f"a{i}" for i in range(len(texts))]
    start = ThemeCoder(None, THEMES, SETTINGS).fit(texts[:40], Y[:40])
    loop = ReviewLoop(
        codebook_from_keys(THEMES),
        dict(zip(ids, texts, strict=True)),
        coder=start,
        questions=dict(zip(ids, asked, strict=True)) if questions else {},
    )
    for answer_id, row in zip(ids, Y, strict=True):
        for j, theme in enumerate(THEMES):
            (loop.add if row[j] else loop.reject)(answer_id, theme)
        loop.finish(answer_id)
    assert loop.retrain()
    return loop


def top_theme(loop: ReviewLoop, answer_id: str) -> str:
    """The theme the loop finds likeliest for an answer."""
    return loop.suggestions(answer_id, minimum=0.0)[0].theme


def test_retraining_learns_the_questions_and_codes_new_answers_with_theirs() -> None:
    loop = reviewed_loop(questions=True)
    assert loop.coder is not None and loop.coder.learned is not None
    assert loop.coder.learned.questions == ["good", "worry"]
    loop.add_answers({"n1": "the park", "n2": "the park", "n3": "the park"}, {"n1": "good", "n2": "worry"})
    assert top_theme(loop, "n1") == "praise" and top_theme(loop, "n2") == "concern"
    # no question given for n3: coded on its words alone, in between
    praise = {
        a: next(c.confidence for c in loop.suggestions(a, minimum=0.0) if c.theme == "praise")
        for a in ("n1", "n2", "n3")
    }
    assert praise["n2"] < praise["n3"] < praise["n1"]


def test_without_questions_the_loop_learns_from_words_alone() -> None:
    loop = reviewed_loop(questions=False)
    assert loop.coder is not None and loop.coder.learned is not None
    assert loop.coder.learned.questions == []
    loop.add_answers({"n1": "the park", "n2": "the park"})
    assert [c.confidence for c in loop.suggestions("n1", minimum=0.0)] == [
        c.confidence for c in loop.suggestions("n2", minimum=0.0)
    ]
