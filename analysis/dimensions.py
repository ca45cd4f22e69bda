"""Ways of splitting respondents into groups for breakdowns: audience, age band, gender, area ...

Demographic questions are found by their type and `demographic` name (never by key), so any
questionnaire that asks a harmonised demographic can be broken down by it, and audiences that ask
the same thing in different words (girl/boy for children, woman/man for adults) share one split.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from analysis.config import reporting_categories
from analysis.load import CampaignData, Dimension, QuestionColumn
from questionnaires.model import AUDIENCES

AUDIENCE_NAMES = {
    "children": "children",
    "young_people": "young people",
    "young_adults": "young adults",
    "parents_carers": "parents and carers",
    "professionals": "professionals",
}

#: name -> (title used in sentences, which questions give it)
DIMENSIONS: dict[str, tuple[str, Callable[[QuestionColumn], bool] | None]] = {
    "audience": ("audience", None),
    "collection_point": ("collection point", None),
    "age_band": ("age band", lambda c: c.question.demographic == "age_band"),
    "gender": ("gender", lambda c: c.question.demographic in ("gender", "gender_adult")),
    "ethnicity": ("ethnic group", lambda c: c.question.demographic == "ethnicity"),
    "ethnicity_detail": ("ethnicity", lambda c: c.question.demographic == "ethnicity"),
    "disability": ("disability or SEND", lambda c: c.question.demographic in ("send", "long_term_condition")),
    "area": ("area", lambda c: c.question.type == "area"),
}


def dimension(data: CampaignData, name: str) -> Dimension:
    """Group labels and a group code per response (−1 = not known) for one of `DIMENSIONS`."""
    if name not in DIMENSIONS:
        raise KeyError(f"unknown breakdown '{name}' (use one of: {', '.join(DIMENSIONS)})")
    if name not in data.dimensions:
        data.dimensions[name] = _dimension(data, name)
    return data.dimensions[name]


def _dimension(data: CampaignData, name: str) -> Dimension:
    title, pick = DIMENSIONS[name]
    if name == "audience":
        present = sorted(set(np.unique(data.audience_of()).tolist()) if data.n else set())
        position = np.full(len(AUDIENCES), -1)
        position[present] = np.arange(len(present))
        return Dimension(name, title, [AUDIENCE_NAMES[AUDIENCES[a]] for a in present], position[data.audience_of()])
    if name == "collection_point":
        return Dimension(name, title, list(data.point_names), data.point_index.astype(np.int64))
    assert pick is not None
    labels: list[str] = []
    index: dict[str, int] = {}
    codes = np.full(data.n, -1, dtype=np.int64)
    for qid in data.questionnaire_ids:
        column = next((c for c in data.columns.values() if c.questionnaire.id == qid and pick(c)), None)
        if column is None or column.kind != "single":
            continue
        lut: list[int] = []
        for option in column.options:
            # Ethnicity breaks down by the five harmonised groups; "Prefer not to say" keeps its own label.
            label = option.group if name == "ethnicity" and option.group else option.label
            # Each questionnaire's answer goes under the shared category ("Girl" and "Woman": "Female").
            label = reporting_categories().get(name, {}).get(option.value, label)
            if label not in index:
                index[label] = len(labels)
                labels.append(label)
            lut.append(index[label])
        answered = column.data >= 0
        codes[answered] = np.array(lut or [0])[column.data[answered]]
    return Dimension(name, title, labels, codes)
