"""Safeguarding rules: each rule catches what it should, ordinary answers trigger nothing, and a match
makes a flag in the same transaction as the response and calm, specific help on the thank-you page."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from questionnaires.model import Questionnaire
from survey_app.extensions import db
from survey_app.models import Answer, Response, SafeguardingFlag
from survey_app.safeguarding.rules import RULES_FILE, RulesError, load, parse
from tests.journey_helpers import answer, begin, submission_key

BOOK = load()
TEXT_RULES = [r for r in BOOK.rules if r.words]

#: Everyday answers to free-text questions that no rule may flag.
ORDINARY = [
    "More police patrols in the park at night",
    "Better street lighting near the bus station",
    "Youth clubs that stay open later, and cheaper football",
    "I feel safe because I'm always with my friends",
    "Knife crime is a problem in town and people are scared",
    "People should stop carrying knives",
    "I would never carry a knife",
    "Teach us about gangs and county line dangers in school",  # "county line" alone is a topic, not a disclosure
    "Nobody hits me, I just don't like the dark underpass",
    "My mum made me tidy my room before I could go out",
    "The older kids make the bus stop feel scary",
    "Stop drug abuse and drinking in the park",
    "My brother beat me at FIFA again",
    "I'm not scared to go home, it's fine",
    "Nothing, it's fine where I live",
    "The film was killing me, it was so funny",
    "I don't want to die of boredom, we need more to do",
]


def _flat(items: list) -> list:
    return [(rule.id, text) for rule in items for text in (rule.examples or ())]


def test_the_shipped_rules_file_is_valid_and_covers_the_required_risks() -> None:
    ids = {r.id for r in BOOK.rules}
    assert {
        "weapon_for_protection",
        "very_unsafe_at_home",
        "text_self_harm",
        "text_abuse",
        "text_exploitation",
        "text_harm",
    } <= ids
    for rule in TEXT_RULES:
        assert rule.examples and rule.not_examples, f"rule {rule.id} needs examples and ordinary answers"
    for topic in {r.support for r in BOOK.rules}:
        assert BOOK.support_text(topic, "children") and BOOK.support_text(topic, "parents_carers")


@pytest.mark.parametrize(("rule_id", "text"), _flat(TEXT_RULES))
def test_each_free_text_rule_catches_its_examples(rule_id: str, text: str) -> None:
    rule = next(r for r in BOOK.rules if r.id == rule_id)
    assert BOOK.text_matches(rule, text), f"{rule_id} should match {text!r}"


@pytest.mark.parametrize("text", ORDINARY + [t for r in TEXT_RULES for t in r.not_examples])
def test_ordinary_answers_trigger_no_rule(text: str) -> None:
    hits = {r.id: BOOK.text_matches(r, text) for r in TEXT_RULES}
    assert not any(hits.values()), f"{text!r} wrongly matched {hits}"


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("I would never hurt myself", False),
        ("I don't think I'd hurt myself", False),
        ("I'm fine now, but I want to hurt myself sometimes", True),  # the negation is in another clause
        ("I don't know why. I want to die", True),
        ("I DON\u2019T want to be here anymore", True),  # curly apostrophe, capitals
    ],
)
def test_negation_is_understood_only_within_its_clause(text: str, flagged: bool) -> None:
    rule = next(r for r in BOOK.rules if r.id == "text_self_harm")
    assert bool(BOOK.text_matches(rule, text)) is flagged


def _questionnaire(questions: list[dict]) -> Questionnaire:
    return Questionnaire.from_dict(
        {
            "id": "t",
            "audience": "young_people",
            "title": "T",
            "respondent_label": "T",
            "pages": [{"key": "p", "title": "P", "questions": questions}],
        }
    )


def _choice(key: str, values: list[str], measure: str | None = None) -> dict:
    return {
        "key": key,
        "type": "multiple_choice",
        "text": key,
        "measure": measure,
        "options": [{"value": v, "label": v} for v in values],
    }


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"why_carried": {"values": ["protection"]}}, ["weapon_for_protection"]),
        ({"why_carried": {"values": ["friends_do", "protection"]}}, ["weapon_for_protection", "weapon_to_fit_in"]),
        ({"why_carried": {"values": ["work_hobby"]}}, []),
        ({"feel_safe_home": {"values": ["very_unsafe"]}}, ["very_unsafe_at_home"]),
        ({"feel_safe_home": {"values": ["fairly_unsafe"]}}, ["fairly_unsafe_at_home"]),
        ({"feel_safe_home": {"values": ["fairly_safe"]}}, []),
        (
            {"why_carried": {"values": ["protection"]}, "words": {"text": "my dad hits me"}},
            ["weapon_for_protection", "text_abuse"],
        ),
    ],
)
def test_answer_rules_by_question_key(answers: dict, expected: list[str]) -> None:
    q = _questionnaire(
        [
            _choice("why_carried", ["protection", "friends_do", "work_hobby"]),
            _choice("feel_safe_home", ["very_safe", "fairly_unsafe", "very_unsafe"]),
            {"key": "words", "type": "long_text", "text": "Anything else?"},
        ]
    )
    assert [m.rule.id for m in BOOK.matches(q, answers)] == expected


def test_answer_rules_also_match_by_shared_measure() -> None:
    q = _questionnaire([_choice("home_feeling", ["ok", "very_unsafe"], measure="feel_safe_home")])
    (match,) = BOOK.matches(q, {"home_feeling": {"values": ["very_unsafe"]}})
    assert (match.rule.id, match.question_key) == ("very_unsafe_at_home", "home_feeling")


def test_free_text_match_keeps_only_the_matching_words() -> None:
    q = _questionnaire([{"key": "words", "type": "long_text", "text": "Anything else?"}])
    (match,) = BOOK.matches(q, {"words": {"text": "The park is ok. My stepdad hits me when he's angry."}})
    assert match.matched_text == "hits me; stepdad hits"  # the words that matched, not the whole answer


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d["rules"].append(dict(d["rules"][0])), "used twice"),
        (lambda d: d["rules"][0].update(support="nowhere"), "not listed under support"),
        (lambda d: d["rules"][-1]["words"].append("(unclosed"), "not a valid pattern"),
        (lambda d: d["support"]["weapon"].pop("young"), "needs both young: and adult:"),
        (lambda d: d["rules"][0].update(flag="sometimes"), "flag must be true, false or a list"),
        (lambda d: d["support"]["weapon"].update(urgency="high"), "urgency must be a whole number"),
    ],
)
def test_mistakes_in_the_rules_file_are_named(change, problem: str) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    change(data)
    with pytest.raises(RulesError, match=problem):
        parse(data)


# --- through the app: flag in the same transaction, help on the thank-you page ---------------------


def _send_young_people(client, pages: dict) -> str:  # type: ignore[no-untyped-def]
    begin(client, "young-people")
    for page, data in pages.items():
        response = answer(client, page, data)
        assert response.status_code == 302, (page, response.text[:500])
    check = client.get("/survey/check")
    sent = client.post("/survey/check", data={"submission_key": submission_key(check.text)})
    assert sent.status_code == 303
    return client.get("/survey/thank-you").text


def test_weapon_for_protection_flags_the_response_and_shows_help(shipped_app) -> None:  # type: ignore[no-untyped-def]
    client = shipped_app.test_client()
    html = _send_young_people(
        client, {"knives": {"carried_weapon": "yes"}, "knives-more": {"why_carried": ["protection"]}}
    )
    (response,) = db.session.scalars(select(Response)).all()
    (flag,) = db.session.scalars(select(SafeguardingFlag)).all()
    assert (flag.response_id, flag.rule, flag.question_key) == (response.id, "weapon_for_protection", "why_carried")
    assert flag.flagged_on == response.submitted_on and flag.outcome is None
    assert "data-tailored-support" in html and "0800 1111" in html
    assert "You are not in trouble for telling us" in html
    # Shown once per person: the next person on a shared tablet who starts again does not see it.
    begin(client, "young-people")
    assert "data-tailored-support" not in client.get("/survey/thank-you").text


@pytest.mark.parametrize("later", ["/survey/thank-you", "/survey/page/knives", "/survey/check"])
def test_the_help_for_what_was_told_is_shown_once_not_to_whoever_opens_the_site_next(shipped_app, later) -> None:  # type: ignore[no-untyped-def]
    """A phone's browser session outlives the tab: a sibling or parent opening the site from its
    history, or pressing Back, must not read that this child told us someone may be hurting them."""
    client = shipped_app.test_client()
    html = _send_young_people(
        client, {"making-things-safer": {"partnership_should_do": "my stepdad hits me when he is drunk"}}
    )
    assert "data-tailored-support" in html and "hurting" in html
    again = client.get(later, follow_redirects=True)
    assert again.request.path == "/survey/thank-you"
    assert "data-tailored-support" not in again.text and "hurting" not in again.text
    # still thanked in the words for young people, with the everyday help
    assert "Your answers have been sent" in again.text and "0800 1111" in again.text


def test_free_text_disclosure_flags_with_the_matching_words(shipped_app) -> None:  # type: ignore[no-untyped-def]
    client = shipped_app.test_client()
    html = _send_young_people(
        client,
        {
            "making-things-safer": {
                "partnership_should_do": "Older boys made me sell stuff for them and I owe them money now"
            }
        },
    )
    flags = db.session.scalars(select(SafeguardingFlag)).all()
    assert [(f.rule, f.matched_text) for f in flags] == [("text_exploitation", "made me sell; i owe them")]
    assert "you will not be in trouble for getting help" in html


def test_ordinary_answers_make_no_flag_and_no_special_help(shipped_app) -> None:  # type: ignore[no-untyped-def]
    client = shipped_app.test_client()
    html = _send_young_people(
        client,
        {
            "knives": {"carried_weapon": "no", "why_people_carry": ["protection"]},  # about others, not them
            "making-things-safer": {"partnership_should_do": "More youth clubs and better lighting"},
        },
    )
    assert db.session.scalars(select(Response)).all()
    assert db.session.scalars(select(SafeguardingFlag)).all() == []
    assert "data-tailored-support" not in html
    assert "Childline" in html  # the ordinary help is always there


def test_when_flagging_fails_no_response_is_stored_without_its_flag(shipped_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """One transaction: if the flags cannot be made, the response is not stored either, and the draft stays."""
    client = shipped_app.test_client()
    begin(client, "young-people")
    answer(client, "knives", {"carried_weapon": "yes"})
    answer(client, "knives-more", {"why_carried": ["protection"]})
    check = client.get("/survey/check")
    shipped_app.config["SAFEGUARDING_RULES_FILE"] = str(tmp_path / "missing.yaml")
    with pytest.raises(FileNotFoundError):
        client.post("/survey/check", data={"submission_key": submission_key(check.text)})
    db.session.rollback()
    assert db.session.scalars(select(Response)).all() == []
    # Nothing is lost: with the rules back, sending again stores the response and its flag together.
    shipped_app.config["SAFEGUARDING_RULES_FILE"] = str(RULES_FILE)
    assert client.post("/survey/check", data={"submission_key": submission_key(check.text)}).status_code == 303
    (response,) = db.session.scalars(select(Response)).all()
    assert [f.response_id for f in db.session.scalars(select(SafeguardingFlag))] == [response.id]


def test_names_phone_numbers_and_addresses_are_never_stored_but_still_flag(shipped_app) -> None:  # type: ignore[no-untyped-def]
    """A child wrote who and where; no respondent's answers may hold that, and the flag still comes."""
    client = shipped_app.test_client()
    typed = "a big boy called Jake Smith at 12 Elm Road hits me, ring me on 07700 900123. Stretford Mall is scary"
    _send_young_people(client, {"making-things-safer": {"partnership_should_do": typed}})
    (row,) = [a for a in db.session.scalars(select(Answer)) if a.text]
    assert row.text == "a big boy called [name] at [address] hits me, ring me on [phone]. Stretford Mall is scary"
    assert db.session.scalars(select(SafeguardingFlag)).all(), "the answer as typed is what the rules read"
