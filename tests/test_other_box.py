"""Words typed in an answer's "Please tell us" box are never thrown away: they choose that answer, or,
where another answer can't go with them, the person is asked which they meant, and keeps the words."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from questionnaires.loader import load_area_lists, parse
from questionnaires.model import Question, Questionnaire
from survey_app.survey.answer_types import input_for, other_field
from tests.journey_helpers import answer, begin, checked, field_value, submission_key


def _question(raw: dict[str, Any]) -> Question:
    definition, problems = parse(
        {
            "id": "t",
            "audience": "young_people",
            "title": "T",
            "respondent_label": "T",
            "intro": "T",
            "pages": [{"key": "p", "title": "P", "questions": [raw]}],
        },
        "t.yaml",
        load_area_lists(),
    )
    assert problems == []
    return Questionnaire.from_dict(definition).question(raw["key"])


SINGLE = {
    "key": "travel",
    "type": "single_choice",
    "text": "How do you get to school?",
    "other": True,
    "options": [{"value": "walk", "label": "Walk"}, {"value": "bus", "label": "Bus"}],
}
MULTIPLE = {
    "key": "worries",
    "type": "multiple_choice",
    "text": "What worries you?",
    "other": True,
    "exclusive": ["nothing"],
    "options": [{"value": "dogs", "label": "Dogs"}, {"value": "nothing", "label": "Nothing worries me"}],
}


@pytest.mark.parametrize(
    ("raw", "ticked", "expected"),
    [
        (SINGLE, "", {"values": ["other"], "text": "my mum drives me"}),
        (SINGLE, "other", {"values": ["other"], "text": "my mum drives me"}),
        (MULTIPLE, [], {"values": ["other"], "text": "my mum drives me"}),
        (MULTIPLE, ["dogs"], {"values": ["dogs", "other"], "text": "my mum drives me"}),
    ],
)
def test_words_in_the_box_choose_its_answer(app: Flask, raw: dict, ticked: Any, expected: dict) -> None:
    q = _question(raw)
    with app.test_request_context():
        assert input_for(q).parse(q, {q.key: ticked, other_field(q): "  my mum drives me "}) == (expected, {})


@pytest.mark.parametrize(("raw", "ticked", "named"), [(SINGLE, "bus", "Bus"), (MULTIPLE, ["nothing"], "Nothing")])
def test_words_beside_an_answer_that_cannot_have_them_ask_which_was_meant(
    app: Flask, raw: dict, ticked: Any, named: str
) -> None:
    q = _question(raw)
    with app.test_request_context():
        saved, errors = input_for(q).parse(q, {q.key: ticked, other_field(q): "my mum drives me"})
    assert saved is None
    assert named in errors[q.key] and "clear the box" in errors[q.key]


def test_other_comes_before_the_either_or_answers() -> None:
    assert [o.value for o in _question(MULTIPLE).options] == ["dogs", "other", "nothing"]


def test_words_typed_without_ticking_other_are_sent(client: Any, loaded: Any, db: Any) -> None:
    from sqlalchemy import select

    from survey_app.models import Answer

    begin(client)
    # Beside an answer they can't go with, the page asks which was meant, keeping the tick and the words
    asked = answer(client, "choices", {"worries": ["nothing"], "worries-other": "the man in the park"})
    assert asked.status_code == 200 and "clear the box" in asked.text
    assert checked(asked.text, "worries") == ["nothing"]
    assert field_value(asked.text, "worries-other") == "the man in the park"
    # Beside an ordinary answer, they are sent with it, as Other
    sent = answer(client, "choices", {"worries": ["drugs"], "worries-other": "the man in the park"})
    assert sent.status_code == 302
    check = client.get("/survey/check")
    assert "Other: the man in the park" in check.text
    assert "Other — please tell us" not in check.text.split("What worries you?")[1].split("</dd>")[0]
    client.post("/survey/check", data={"submission_key": submission_key(check.text)})
    rows = db.session.scalars(select(Answer).filter_by(question_key="worries")).all()
    assert sorted((r.value, r.text) for r in rows) == [("drugs", None), ("other", "the man in the park")]


def test_every_id_on_a_page_of_questions_is_unique(client: Any, loaded: Any) -> None:
    """The Other tick box and its "Please tell us" box had the same id, so the box's label ticked
    Other instead of going to the box, and the box had no name a screen reader could say."""
    import re
    from collections import Counter

    begin(client)
    for page in ("choices", "more", "words"):
        ids = Counter(re.findall(r'\sid="([^"]+)"', client.get(f"/survey/page/{page}").text))
        assert [i for i, n in ids.items() if n > 1] == [], page
