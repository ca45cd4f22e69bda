"""The free-text columns of an export: each text question (redacted unless the original is asked for),
how each answer was coded, and one 0/1 indicator per theme of the campaign's current codebook.

Themes are read the one way every page and report reads them (`analysis.coding.counted`): a
person's decision, or the coder's confident code on an answer nobody has reviewed, as the current
codebook names the theme. Answers that raised a safeguarding flag are withheld, their themes too,
as the engine leaves them out of quotes and theme counts.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from sqlalchemy import Engine, select

from analysis import schema as t
from analysis.coding.counted import AnswerThemes
from analysis.exports.model import Names, Variable, var_base
from analysis.load import CampaignData, connect
from analysis.report.text_load import (  # the engine's own reading of the coding tables
    coded_answers,
    safeguarding_flag,
)
from analysis.text.redaction import Redactor
from questionnaires.model import Question, Questionnaire

#: How each free-text answer was coded (a person's decision wins over the machine's).
CODED = {1: "Reviewed by a person", 2: "Coded automatically (confident)", 3: "Waiting for review", 4: "No theme found"}
WITHHELD = "[withheld: raised a safeguarding flag]"
THEME = {0: "Theme not mentioned", 1: "Theme mentioned"}


def text_variables(
    database: str | Engine, data: CampaignData, names: Names, original: bool
) -> tuple[list[Variable], list[Variable]]:
    """The free-text columns (with how each was coded) and one indicator per theme."""
    index = {rid: i for i, rid in enumerate(data.response_ids)}
    questions: list[tuple[Questionnaire, Question]] = [
        (qn, q) for qn in data.questionnaires.values() for q in qn.questions() if q.is_text
    ]
    in_campaign = select(t.response.c.id).where(t.response.c.campaign_id == data.campaign.id)
    texts: dict[tuple[str, str], list[str]] = defaultdict(list)
    others: dict[tuple[str, str], list[str]] = defaultdict(list)
    themes: dict[str, set[str]] = defaultdict(set)
    with connect(database) as conn:
        for rid, key, value, text in conn.execute(
            select(t.answer.c.response_id, t.answer.c.question_key, t.answer.c.value, t.answer.c.text)
            .where(t.answer.c.response_id.in_(in_campaign), t.answer.c.text.is_not(None))
            .order_by(t.answer.c.response_id, t.answer.c.question_key, t.answer.c.position)
        ):
            (others if value is not None else texts)[(rid, key)].append(text)
        flagged: set[tuple[str, str | None]] = {
            (rid, key)
            for rid, key in conn.execute(
                select(safeguarding_flag.c.response_id, safeguarding_flag.c.question_key).where(
                    safeguarding_flag.c.response_id.in_(in_campaign)
                )
            )
        }
        book, read = coded_answers(conn, data.campaign.id, in_campaign)
        # A flagged answer's themes are withheld with its words.
        coding = {key: found for key, found in read.items() if key not in flagged and (key[0], None) not in flagged}
        for (rid, _), reading in coding.items():
            themes[rid].update(reading.counted)
        schools = list(
            conn.scalars(
                select(t.collection_point.c.name).where(
                    t.collection_point.c.campaign_id == data.campaign.id, t.collection_point.c.kind == "school"
                )
            )
        )
    places = sorted(
        {o.label for qn in data.questionnaires.values() for q in qn.questions() if q.type == "area" for o in q.options}
    )
    redactor = None if original else Redactor(schools=schools, places=places)

    def shown(rid: str, key: str, parts: list[str]) -> str:
        if (rid, key) in flagged or (rid, None) in flagged:
            return WITHHELD
        joined = " ".join(parts)
        return joined if redactor is None else redactor.redact(joined).text

    grouped: dict[int, dict[str, list[tuple[str, list[str]]]]] = {}

    def by_key(answers: dict[tuple[str, str], list[str]]) -> dict[str, list[tuple[str, list[str]]]]:
        """The answers by question key (worked out once per kind), so each column reads only its own."""
        if id(answers) not in grouped:
            keyed: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
            for (rid, key), parts in answers.items():
                keyed[key].append((rid, parts))
            grouped[id(answers)] = keyed
        return grouped[id(answers)]

    wrote = np.zeros(data.n, dtype=bool)
    out: list[Variable] = []
    for questionnaire, q in questions:
        qrows = data.questionnaire_mask(questionnaire.id)
        values: list[str | None] = [None] * data.n
        coded = np.full(data.n, np.nan)
        for rid, parts in by_key(texts).get(q.key, []):
            i = index.get(rid)
            if i is None or not qrows[i]:
                continue
            values[i] = shown(rid, q.key, parts)
            if values[i] != WITHHELD:
                wrote[i] = True
                coded[i] = _how_coded(coding.get((rid, q.key)))
        base = var_base(data, questionnaire, q.key)
        out.append(Variable(names(base), q.text, values, "text"))
        out.append(
            Variable(
                names(base, "coded"),
                f"How \u201c{q.text}\u201d was coded",
                coded,
                value_labels=dict(CODED),
                show_labels=True,
            )
        )
    for (qid, key), column in data.columns.items():
        qrows = data.questionnaire_mask(qid)
        values = [None] * data.n
        typed = False
        for rid, parts in by_key(others).get(key, []):
            i = index.get(rid)
            if i is not None and qrows[i]:
                values[i], typed = shown(rid, key, parts), True
        if typed:
            base = var_base(data, column.questionnaire, key)
            out.append(
                Variable(
                    names(base, "othertext"), f"{column.question.text}: words typed with the answer", values, "text"
                )
            )
    listed = [(theme.key, theme.label) for theme in book.active_themes(sub_themes=True)]
    listed += [(key, key) for key in sorted({k for keys in themes.values() for k in keys} - {k for k, _ in listed})]
    indicators = []
    for theme_key, label in listed:
        values_ = np.where(wrote, 0.0, np.nan)
        for rid, keys in themes.items():
            i = index.get(rid)
            if i is not None and theme_key in keys:
                values_[i] = 1.0
        indicators.append(Variable(names("theme", theme_key), f"Theme: {label}", values_, value_labels=dict(THEME)))
    return out, indicators


def _how_coded(found: AnswerThemes | None) -> int:
    """Reviewed by a person, counted from the coder's confident codes, waiting for review, or no theme."""
    if found is None:
        return 4
    if found.reviewed:
        return 1
    if found.counted:
        return 2
    return 3 if found.waiting else 4
