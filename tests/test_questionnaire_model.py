"""The plain-Python questionnaire model: routing conditions and which pages are shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from questionnaires.loader import load_questionnaire, parse
from questionnaires.model import Condition, Questionnaire

FIXTURE = Path(__file__).parent / "fixtures" / "all-types.yaml"


@pytest.fixture(scope="module")
def q() -> Questionnaire:
    from questionnaires.loader import load_area_lists, load_file

    definition, problems = load_file(FIXTURE, load_area_lists(FIXTURE.parent / "areas"))
    assert problems == []
    return Questionnaire.from_dict(definition)


def one(value: str) -> dict:
    return {"values": [value]}


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ({"op": "in", "question": "a", "values": ["yes"]}, {"a": one("yes")}, True),
        ({"op": "in", "question": "a", "values": ["yes"]}, {"a": one("no")}, False),
        ({"op": "in", "question": "a", "values": ["yes"]}, {}, False),
        ({"op": "not_in", "question": "a", "values": ["yes"]}, {"a": one("no")}, True),
        ({"op": "not_in", "question": "a", "values": ["yes"]}, {}, False),  # skipped is not "not yes"
        ({"op": "includes", "question": "a", "values": ["x"]}, {"a": {"values": ["w", "x"]}}, True),
        ({"op": "includes", "question": "a", "values": ["x", "y"]}, {"a": {"values": ["x"]}}, False),
        ({"op": "min", "question": "n", "number": 1}, {"n": {"number": 1}}, True),
        ({"op": "min", "question": "n", "number": 1}, {"n": {"number": 0}}, False),
        ({"op": "max", "question": "n", "number": 1}, {"n": {"number": 0}}, True),
        ({"op": "answered", "question": "t", "flag": True}, {"t": {"text": "hi"}}, True),
        ({"op": "answered", "question": "t", "flag": False}, {}, True),
        (
            {
                "op": "all",
                "conditions": [
                    {"op": "in", "question": "a", "values": ["yes"]},
                    {"op": "min", "question": "n", "number": 2},
                ],
            },
            {"a": one("yes"), "n": {"number": 3}},
            True,
        ),
        (
            {
                "op": "any",
                "conditions": [
                    {"op": "in", "question": "a", "values": ["yes"]},
                    {"op": "min", "question": "n", "number": 2},
                ],
            },
            {"a": one("no"), "n": {"number": 1}},
            False,
        ),
    ],
)
def test_conditions(condition, answers, expected):
    assert Condition.from_dict(condition).holds(answers) is expected


def test_pages_follow_routing(q):
    keys = [p.key for p in q.visible_pages({})]
    assert keys == ["choices", "more", "words"]
    keys = [p.key for p in q.visible_pages({"carried": one("yes")})]
    assert keys == ["choices", "follow-up", "more", "words"]


def test_hidden_follow_up_answers_are_dropped(q):
    answers = {
        "carried": one("no"),
        "why_carry": {"values": ["for_protection"]},
        "times": {"number": 0},
        "club_story": {"text": "left over from before"},
    }
    kept = q.visible_answers(answers)
    assert "why_carry" not in kept and "club_story" not in kept
    assert kept["carried"] == one("no")


def test_one_question_per_page_splits_pages(tmp_path):
    path = tmp_path / "split.yaml"
    path.write_text(FIXTURE.read_text().replace("one_question_per_page: false", "one_question_per_page: true"))
    from questionnaires.loader import load_area_lists, read_yaml

    definition, problems = parse(read_yaml(path), "x.yaml", load_area_lists(FIXTURE.parent / "areas"))
    assert problems == []
    split = Questionnaire.from_dict(definition)
    assert all(len(p.questions) == 1 for p in split.pages)
    assert len(split.pages) == len(list(split.questions()))


def test_yes_and_no_stay_text(tmp_path):
    path = tmp_path / "yn.yaml"
    path.write_text(FIXTURE.read_text().replace('{value: "yes", label: "Yes"}', "{value: yes, label: Yes}"))
    (tmp_path / "areas").mkdir()
    (tmp_path / "areas" / "t.yaml").write_text((FIXTURE.parent / "areas" / "test-areas.yaml").read_text())
    from questionnaires.loader import load_area_lists, load_file

    definition, problems = load_file(path, load_area_lists(tmp_path / "areas"))
    assert problems == []
    assert Questionnaire.from_dict(definition).question("carried").option("yes").label == "Yes"


def test_shipped_measures_line_up_across_audiences():
    from questionnaires.loader import questionnaire_files, validate_paths

    definitions, problems = validate_paths(questionnaire_files())
    assert problems == []
    audiences_by_measure: dict[str, set[str]] = {}
    for definition in definitions.values():
        for page in definition["pages"]:
            for question in page["questions"]:
                if "measure" in question:
                    audiences_by_measure.setdefault(question["measure"], set()).add(definition["audience"])
    assert {"children", "young_people", "parents_carers"} <= audiences_by_measure["feel_safe_area"]
    assert len(definitions) == 6  # five audiences, plus the easy-read young people's version


def test_shipped_children_questionnaire_is_one_question_per_page_with_faces():
    q = load_questionnaire(FIXTURE.parent.parent.parent / "questionnaires" / "children.yaml")
    assert q.one_question_per_page and q.audience == "children"
    assert any(question.type == "faces" for question in q.questions())
