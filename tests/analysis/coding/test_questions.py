"""The question an answer answered is learned from: the same words mean different themes under
"what is good about your area?" and "what worries you?"."""

from __future__ import annotations

import csv
import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from analysis.coding.__main__ import main
from analysis.coding.engine import ThemeCoder
from analysis.coding.learned import CoderSettings, _decision

TOPICS = ["the police", "the park", "the youth club", "the buses", "the shops", "the school", "my street"]
QUESTIONS = {"good": "praise", "worry": "concern"}
SETTINGS = CoderSettings(n_jobs=1)


def answers(n: int, seed: int) -> tuple[list[str], list[str], np.ndarray]:
    """Answers naming a topic or two; under "good" they are praise, under "worry" concern."""
    rng = random.Random(seed)
    texts, questions, rows = [], [], []
    for _ in range(n):
        question = rng.choice(list(QUESTIONS))
        texts.append(" and ".join(rng.sample(TOPICS, rng.choice([1, 2]))))
        questions.append(question)
        rows.append([int(QUESTIONS[question] == theme) for theme in ("praise", "concern")])
    return texts, questions, np.array(rows)


def accuracy(coder: ThemeCoder, texts: list[str], questions: list[str] | None, Y: np.ndarray) -> float:
    _, D = coder.probabilities(texts, questions)
    return float((D.astype(bool) == Y.astype(bool)).all(axis=1).mean())


def test_the_question_tells_apart_answers_with_the_same_words() -> None:
    texts, questions, Y = answers(240, seed=1)
    test_texts, test_questions, test_Y = answers(80, seed=2)
    with_questions = ThemeCoder(None, ["praise", "concern"], SETTINGS).fit(texts, Y, questions)
    words_only = ThemeCoder(None, ["praise", "concern"], SETTINGS).fit(texts, Y)
    assert with_questions.learned is not None and with_questions.learned.questions == ["good", "worry"]
    assert accuracy(with_questions, test_texts, test_questions, test_Y) >= 0.95
    # on its words alone an answer here is a coin toss
    assert accuracy(words_only, test_texts, None, test_Y) <= 0.75


def crossed_answers(n: int, seed: int) -> tuple[list[str], list[str], np.ndarray]:
    """Answers where "the waiting" is praise under "good" (it was short) and concern under "worry" (it is long);
    "the staff" the other way round, so neither a word nor the question alone says the theme."""
    rng = random.Random(seed)
    texts, questions, rows = [], [], []
    for _ in range(n):
        question, word = rng.choice(list(QUESTIONS)), rng.choice(["the waiting", "the staff"])
        texts.append(f"{word} at {rng.choice(TOPICS)}")
        questions.append(question)
        praise = (question == "good") == (word == "the waiting")
        rows.append([int(praise), int(not praise)])
    return texts, questions, np.array(rows)


def test_a_word_can_mean_one_theme_under_one_question_and_another_under_the_next() -> None:
    texts, questions, Y = crossed_answers(240, seed=1)
    test_texts, test_questions, test_Y = crossed_answers(80, seed=2)
    coder = ThemeCoder(None, ["praise", "concern"], SETTINGS).fit(texts, Y, questions)
    assert accuracy(coder, test_texts, test_questions, test_Y) >= 0.95
    # a weight per word plus one per question cannot code this at all
    indicator_only = replace(SETTINGS, question_words=0.0)
    plain = ThemeCoder(None, ["praise", "concern"], indicator_only).fit(texts, Y, questions)
    assert accuracy(plain, test_texts, test_questions, test_Y) <= 0.75


def test_coders_saved_before_words_were_kept_apart_per_question_still_code() -> None:
    texts, questions, Y = answers(120, seed=1)
    coder = ThemeCoder(None, ["praise", "concern"], SETTINGS).fit(texts, Y, questions)
    assert coder.learned is not None and coder.learned.question_words > 0
    # an older saved coder has neither the attribute nor the extra columns in its weights
    del coder.learned._question_words_weight
    width = coder.learned.models[0].shape[0] - len(coder.learned.vectorizers[0].vocabulary_) * 2
    coder.learned.models = (coder.learned.models[0][:width], coder.learned.models[1])
    P, _ = coder.probabilities(["the park"], ["good"])
    assert P.shape == (1, 2)


def test_an_answer_to_a_question_not_seen_in_training_is_coded_as_the_average_question() -> None:
    # A starting model from another organisation learned other questions: what its questions taught
    # is averaged for answers to ours, rather than dropped (dropping it cost 0.01-0.02 micro-F1
    # between the public set's two trusts, whose questions differ).
    texts, questions, Y = answers(240, seed=1)
    coder = ThemeCoder(None, ["praise", "concern"], SETTINGS).fit(texts, Y, questions)
    P_new, _ = coder.probabilities(["the park"], ["a question added later"])
    P_none, _ = coder.probabilities(["the park"])
    P_good, _ = coder.probabilities(["the park"], ["good"])
    P_worry, _ = coder.probabilities(["the park"], ["worry"])
    np.testing.assert_allclose(P_new, P_none)
    assert P_good[0, 0] > P_new[0, 0] + 0.2
    assert P_worry[0, 1] > P_new[0, 1] + 0.2
    assert 0.2 < P_new[0, 0] < 0.8
    # exactly the average: the linear score for an unknown question is the mean of the known ones'
    learned = coder.learned
    assert learned is not None

    def score(question: str) -> np.ndarray:
        return _decision(learned.models, learned._features(["the park"], None, [question]))

    np.testing.assert_allclose(score("new"), (score("good") + score("worry")) / 2, rtol=1e-5, atol=1e-6)


def test_one_question_per_answer_or_none() -> None:
    texts, questions, Y = answers(60, seed=1)
    coder = ThemeCoder(None, ["praise", "concern"], SETTINGS).fit(texts, Y, questions)
    with pytest.raises(ValueError, match="one per answer"):
        coder.probabilities(["the park", "the buses"], ["good"])


def test_answers_to_one_question_only_add_no_question_column() -> None:
    texts, _, Y = answers(60, seed=1)
    coder = ThemeCoder(None, ["praise", "concern"], SETTINGS).fit(texts, Y, ["good"] * len(texts))
    assert coder.learned is not None and coder.learned.questions == []


def test_command_line_learns_from_the_question_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    texts, questions, Y = answers(200, seed=1)
    data = tmp_path / "coded.csv"
    with data.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["answer", "question", "praise", "concern"])
        for text, question, row in zip(texts, questions, Y, strict=True):
            # the same question typed with a line break in one export and a space in another
            asked = "what is\ngood" if question == "good" else "what worries you"
            writer.writerow([text, asked, *row])
    model = tmp_path / "coder.model"
    args = ["--text", "answer", "--question", "question"]
    assert main(["train", str(data), *args, "--model", str(model), "--jobs", "1"]) == 0
    assert "question" not in capsys.readouterr().out  # a column of questions is not a theme
    new = tmp_path / "new.csv"
    new.write_text('answer,question\nthe park,"what is good"\nthe park,what worries you\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["code", str(new), *args, "--model", str(model), "--out", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["code_praise"], r["code_concern"]) for r in rows] == [("1", "0"), ("0", "1")]
    assert ThemeCoder.load(model).themes == ["praise", "concern"]
    assert main(["evaluate", str(data), *args, "--folds", "3", "--bootstrap", "10", "--jobs", "1"]) == 0
    assert "micro F1" in capsys.readouterr().out


def test_questions_may_come_as_an_array_with_gaps() -> None:
    # a column read by pandas: a numpy array, with NaN where an answer's question is not known
    texts, questions, Y = answers(120, seed=1)
    column = np.array(questions, dtype=object)
    column[:10] = float("nan")
    coder = ThemeCoder(None, ["praise", "concern"], SETTINGS).fit(texts, Y, column)
    assert coder.learned is not None and coder.learned.questions == ["good", "worry"]
    P, _ = coder.probabilities([], [])
    assert P.shape == (0, 2)
