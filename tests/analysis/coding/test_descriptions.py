"""A theme with almost no coded answers still learns from the codebook's own words for it."""

from __future__ import annotations

import numpy as np

from analysis.coding.codebook import Codebook, Theme
from analysis.coding.engine import ThemeCoder
from analysis.coding.learned import CoderSettings, _decision
from tests.analysis.coding.conftest import synthetic


def _data() -> tuple[list[str], np.ndarray, list[str]]:
    texts, Y, keys = synthetic(240, seed=5)
    # one coded answer about parking: too few to learn the theme from answers alone
    texts.append("nowhere to park the car")
    Y = np.vstack([np.column_stack([Y, np.zeros(len(Y), dtype=int)]), [0] * len(keys) + [1]])
    return texts, Y, [*keys, "parking"]


def _book(keys: list[str]) -> Codebook:
    themes = [Theme(key=k, label=k.replace("_", " ")) for k in keys[:-1]]
    themes.append(Theme(key="parking", label="Parking", definition="car parking spaces and parking charges"))
    return Codebook("test", 1, tuple(themes))


def _parking_margin(describe_below: int) -> float:
    """How far the model's parking score for a parking answer stands above unrelated unseen answers.

    The linear score, before calibration: with three positives the calibration of so rare a theme is
    nearly flat, and what the codebook's words change is what the model has learned about the theme.
    """
    texts, Y, keys = _data()
    settings = CoderSettings(folds=3, n_jobs=1, describe_below=describe_below)
    learned = ThemeCoder(_book(keys), keys, settings).fit(texts, Y).learned
    assert learned is not None
    unseen, _, _ = synthetic(30, seed=9)
    S = _decision(learned.models, learned._features(["the parking charges are too high", *unseen], None))
    j = keys.index("parking")
    return float(S[0, j] - S[1:, j].max())


def test_the_codebook_words_teach_a_rare_theme_what_answers_about_it_say() -> None:
    assert _parking_margin(0) < 0 < _parking_margin(50)


def test_themes_with_enough_answers_train_on_answers_alone() -> None:
    texts, Y, keys = _data()
    coder = ThemeCoder(_book(keys), keys, CoderSettings(describe_below=50))
    extra_texts, extra_Y = coder._with_descriptions(texts, Y)
    added = extra_Y[len(texts) :]
    # only the parking theme (one answer) gets its description, twice; the others have ~100 answers
    assert len(extra_texts) == len(texts) + 2
    assert added[:, keys.index("parking")].tolist() == [1, 1]
    assert added.sum() == 2
