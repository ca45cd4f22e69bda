"""Help when it is needed: each situation the answers make plain brings help (and, where the rules say
so, a flag), tried both ways on every shipped questionnaire that asks it; the help is de-duplicated,
ordered by urgency and worded for its audience; it shows on the page after the answer; and nothing
derived from the answers ever sits in the cookie."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from questionnaires.loader import load_questionnaire, questionnaire_files
from questionnaires.model import Questionnaire
from survey_app.extensions import db
from survey_app.models import Response, SafeguardingFlag, SupportNote
from survey_app.respond.support import SERVICE_IDS, SERVICES
from survey_app.safeguarding.rules import load
from tests.journey_helpers import answer, begin, submission_key
from tests.reach_helpers import make_campaign, make_point, make_session

BOOK = load()
SHIPPED = {path.stem: load_questionnaire(path) for path in questionnaire_files()}

#: rule id: (question, the answers that call for it, the shipped questionnaires that ask it)
SITUATIONS = {
    "weapon_to_fit_in": (
        "why_carried",
        {"friends_do", "respect"},
        {"young-people", "young-people-easy-read", "young-adults"},
    ),
    "weapon_when_told": ("why_carried", {"asked_to"}, {"young-people", "young-people-easy-read", "young-adults"}),
    "asked_by_older_person": ("asked_by_older", {"yes"}, {"young-people", "young-people-easy-read"}),
    "attacked_last_year": ("victim_violence", {"yes"}, {"young-people", "young-adults"}),
    "no_trusted_adult": ("trusted_adult", {"no"}, {"children", "young-people", "young-people-easy-read"}),
    "fairly_unsafe_at_home": ("feel_safe_home", {"fairly_unsafe"}, {"young-people", "young-people-easy-read"}),
    "very_unsafe_at_home": ("feel_safe_home", {"very_unsafe"}, {"young-people", "young-people-easy-read"}),
    "weapon_for_protection": (
        "why_carried",
        {"protection"},
        {"young-people", "young-people-easy-read", "young-adults"},
    ),
}


def _asking(question: str) -> list[tuple[str, Questionnaire]]:
    return [(name, q) for name, q in SHIPPED.items() if any(question in (x.key, x.measure) for x in q.questions())]


def _question(q: Questionnaire, key: str):  # type: ignore[no-untyped-def]
    return next(x for x in q.questions() if key in (x.key, x.measure))


@pytest.mark.parametrize("rule_id", sorted(SITUATIONS))
def test_each_situation_is_asked_where_expected(rule_id: str) -> None:
    """A renamed question key would quietly switch a rule off: say so here instead."""
    question, values, expected = SITUATIONS[rule_id]
    rule = next(r for r in BOOK.rules if r.id == rule_id)
    assert (rule.question, set(rule.values)) == (question, values)
    assert {name for name, _ in _asking(question)} >= expected
    for _name, q in _asking(question):
        assert values <= {o.value for o in _question(q, question).options}, f"{q.id} lacks {values}"


def _cases() -> list[tuple[str, str, str, bool]]:
    cases = []
    for rule_id, (question, values, _) in sorted(SITUATIONS.items()):
        for name, q in _asking(question):
            for option in _question(q, question).options:
                cases.append((rule_id, name, option.value, option.value in values))
    return cases


@pytest.mark.parametrize(("rule_id", "questionnaire", "value", "expected"), _cases())
def test_each_situation_both_ways_on_every_questionnaire_that_asks_it(
    rule_id: str, questionnaire: str, value: str, expected: bool
) -> None:
    """The answer that makes the situation plain brings the rule's help; every neighbouring answer
    (Yes/No, "fairly safe", "for a hobby") brings none of it."""
    q = SHIPPED[questionnaire]
    question = _question(q, SITUATIONS[rule_id][0])
    matched = {m.rule.id for m in BOOK.matches(q, {question.key: {"values": [value]}})}
    assert (rule_id in matched) is expected


@pytest.mark.parametrize("questionnaire", sorted(SHIPPED))
def test_a_child_who_is_fine_gets_no_special_help(questionnaire: str) -> None:
    """Every answer to every choice question, one at a time, brings help only where a rule names that
    very answer: nothing else in any questionnaire sets help off."""
    q = SHIPPED[questionnaire]
    named = {(r.question, v) for r in BOOK.rules if r.question for r in [r] for v in r.values}
    for question in q.questions():
        for option in question.options:
            topics = BOOK.topics(q, {question.key: {"values": [option.value]}})
            called_for = {(question.key, option.value), (question.measure, option.value)} & named
            assert bool(topics) == bool(called_for), (question.key, option.value, topics)


@pytest.mark.parametrize(
    ("rule_id", "audience", "flags"),
    [
        ("weapon_to_fit_in", "young_people", True),
        ("weapon_when_told", "young_adults", True),
        ("asked_by_older_person", "young_people", True),
        ("attacked_last_year", "young_people", True),
        ("attacked_last_year", "young_adults", False),  # help for adults, no review
        ("fairly_unsafe_at_home", "young_people", True),
        ("very_unsafe_at_home", "young_adults", True),
        ("no_trusted_adult", "children", False),  # common, not a risk on its own: help only
        ("child_hurt_last_year", "parents_carers", False),
    ],
)
def test_flags_follow_the_partnerships_rules(rule_id: str, audience: str, flags: bool) -> None:
    assert next(r for r in BOOK.rules if r.id == rule_id).flags_for(audience) is flags


# --- the help itself: once each, most urgent first, worded for who is reading -----------------------


def test_many_topics_name_each_service_once_most_urgent_first() -> None:
    topics = ["no_trusted_adult", "weapon_fit_in", "attacked", "home", "self_harm", "exploitation"]
    plan = BOOK.plan(topics, "young_people")
    assert plan.services.count("childline") == 1 and plan.services[0] == "emergency"
    assert [m[:30] for m in plan.messages][0] == BOOK.support_text("self_harm", "young_people")[:30]
    assert plan.messages[-1] == BOOK.support_text("no_trusted_adult", "young_people")  # least urgent last
    # Told they have no adult to trust, nobody tells them to tell one.
    assert not any("adult you trust" in m for m in plan.messages)
    assert not any(re.search(r"\d{3}", m) for m in plan.messages)  # numbers are links in the list instead


def test_a_trusted_adult_is_suggested_once_and_never_to_adults() -> None:
    young = BOOK.plan(["home", "attacked", "exploitation"], "young_people")
    assert sum("adult you trust" in m for m in young.messages) == 1
    child = BOOK.plan(["home"], "children")
    assert "grown-up you trust" in child.messages[-1]
    assert not any("trust" in m for m in BOOK.plan(["home"], "parents_carers").messages)
    # Said earlier (another page) that they have no trusted adult: still not suggested.
    assert not any("trust" in m for m in BOOK.plan(["home"], "children", known=["no_trusted_adult"]).messages)


def test_every_topic_is_worded_for_children_young_people_and_adults() -> None:
    for topic in BOOK.support.values():
        texts = {topic.text(a) for a in ("children", "young_people", "parents_carers")}
        assert all(texts) and len(texts) == 3 or topic.id == "child_hurt", topic.id
        assert set(topic.services) <= SERVICE_IDS, f"{topic.id} names a service support.py does not have"


def test_text_services_are_texted_and_phone_services_called() -> None:
    shout = next(s for s in SERVICES if s.id == "shout")
    assert shout.text_word and shout.tel == ""
    assert next(s for s in SERVICES if s.id == "childline").tel == "08001111"


# --- through the app ------------------------------------------------------------------------------


def _on(questionnaire: str, key: str) -> str:
    """The page that asks a question (so the tests follow the questionnaire if it moves)."""
    return next(p.key for p in SHIPPED[questionnaire].pages if any(q.key == key for q in p.questions))


def _next_page(client: FlaskClient, response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 302, response.text[:300]
    return client.get(response.location).text


def test_help_shows_on_the_page_after_the_answer_and_not_for_a_child_who_is_fine(shipped_app: Flask) -> None:
    client = shipped_app.test_client()
    begin(client, "young-people")
    fine = _next_page(client, answer(client, _on("young-people", "feel_safe_home"), {"feel_safe_home": "fairly_safe"}))
    assert "data-tailored-support" not in fine
    unsafe = _next_page(
        client, answer(client, _on("young-people", "feel_safe_home"), {"feel_safe_home": "fairly_unsafe"})
    )
    assert "data-tailored-support" in unsafe and "do not always feel safe at home" in unsafe
    assert unsafe.index("data-tailored-support") < unsafe.index("<form")  # at the top, before the questions
    assert 'href="tel:08001111"' in unsafe and 'href="tel:999"' in unsafe
    assert "carry on with the questions" in unsafe
    # Only right after: the page after that is calm again.
    later = client.get(re.search(r'action="(/survey/page/[^"?]+)', unsafe).group(1))  # type: ignore[union-attr]
    assert later.status_code == 200
    after_that = _next_page(client, client.post(later.request.path, data={"action": "continue"}))
    assert "data-tailored-support" not in after_that


def test_a_child_with_no_trusted_adult_is_not_told_to_tell_one(shipped_app: Flask) -> None:
    client = shipped_app.test_client()
    begin(client, "children")
    html = _next_page(client, answer(client, _on("children", "trusted_adult"), {"trusted_adult": "no"}))
    assert "isn&#39;t a grown-up you trust" in html
    assert "grown-up you trust, like a teacher" not in html and "adult you trust" not in html
    assert html.count("Childline") >= 1 and 'href="tel:08001111"' in html
    assert "Samaritans" not in html  # children's services for children
    ok = _next_page(client, answer(client, _on("children", "trusted_adult"), {"trusted_adult": "yes"}))
    assert "data-tailored-support" not in ok


def _send(client: FlaskClient) -> str:
    check = client.get("/survey/check")
    sent = client.post("/survey/check", data={"submission_key": submission_key(check.text)})
    assert sent.status_code == 303, sent.text[:300]
    return client.get(sent.location).text


def _cookie(app: Flask, client: FlaskClient) -> dict:
    cookie = client.get_cookie("cv_respondent")
    assert cookie is not None
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    return dict(serializer.loads(cookie.value))


def test_nothing_derived_from_the_answers_is_in_the_cookie(shipped_app: Flask) -> None:
    client = shipped_app.test_client()
    begin(client, "young-people")
    answer(client, _on("young-people", "feel_safe_home"), {"feel_safe_home": "very_unsafe"})
    answer(client, _on("young-people", "trusted_adult"), {"trusted_adult": "no"})
    thanks = _send(client)
    assert "do not always feel safe at home" in thanks and "have an adult you can trust" in thanks
    cookie = _cookie(shipped_app, client)
    text = repr(cookie)
    for derived in ("home", "no_trusted_adult", "young_people", "very_unsafe", "support"):
        assert derived not in text, f"{derived!r} in the cookie: {cookie}"
    # On the server, not in the cookie: and once shown, the note keeps only who it speaks to.
    (note,) = db.session.scalars(select(SupportNote)).all()
    assert note.token in cookie.values() and (note.audience, note.topics) == ("young_people", [])
    assert {f.rule for f in db.session.scalars(select(SafeguardingFlag))} == {"very_unsafe_at_home"}
    # The help page after sending is still worded for a young person, from the note.
    assert "Childline" in client.get("/help").text
    # A new person starting on this browser: the last person's help is gone, from the server too.
    begin(client, "young-people")
    assert db.session.scalars(select(SupportNote)).all() == []
    assert "data-tailored-support" not in client.get("/survey/thank-you").text


def test_the_note_expires_and_quick_exit_deletes_it(shipped_app: Flask) -> None:
    client = shipped_app.test_client()
    begin(client, "young-people")
    answer(client, _on("young-people", "trusted_adult"), {"trusted_adult": "no"})
    check = client.get("/survey/check")
    assert client.post("/survey/check", data={"submission_key": submission_key(check.text)}).status_code == 303
    note = db.session.scalars(select(SupportNote)).one()
    assert note.topics == ["no_trusted_adult"]
    note.expires_on = dt.date.today() - dt.timedelta(days=1)
    db.session.commit()
    assert "data-tailored-support" not in client.get("/survey/thank-you").text
    note.expires_on = dt.date.today()
    db.session.commit()
    assert "data-tailored-support" in client.get("/survey/thank-you").text
    client.get("/exit")
    assert db.session.scalars(select(SupportNote)).all() == []


def test_a_double_tapped_send_still_finds_its_help(shipped_app: Flask) -> None:
    client = shipped_app.test_client()
    begin(client, "young-people")
    answer(client, _on("young-people", "asked_by_older"), {"asked_by_older": "yes"})
    key = submission_key(client.get("/survey/check").text)
    assert client.post("/survey/check", data={"submission_key": key}).status_code == 303
    again = client.post("/survey/check", data={"submission_key": key})
    assert again.status_code == 303
    assert "you will not be in trouble for getting help" in client.get(again.location).text
    assert len(db.session.scalars(select(Response)).all()) == 1


def test_a_kiosk_shows_the_pupils_help_then_forgets_it_for_the_next(shipped_app: Flask) -> None:
    school = make_point(make_campaign(["children", "young-people"]), "Stretford High School")
    created = make_session(school, 8)  # year 8: the young people's questionnaire
    device = shipped_app.test_client()
    device.get(f"/kiosk/{created.code}")
    # Before the next pupil chooses anything, the help page is for whoever is reading: a child or an adult.
    before = device.get("/help").text
    for name in ("Childline", "NSPCC helpline", "Samaritans", "Crimestoppers"):
        assert name in before
    device.post("/kiosk")
    answer(device, _on("young-people", "trusted_adult"), {"trusted_adult": "no"})
    key = submission_key(device.get("/survey/check").text)
    assert device.post("/survey/check", data={"submission_key": key}).location.endswith("/kiosk/thank-you")
    thanks = device.get("/kiosk/thank-you").text
    assert "data-tailored-support" in thanks and "have an adult you can trust" in thanks
    assert "no_trusted_adult" not in repr(_cookie(shipped_app, device))
    device.get("/kiosk/next")
    assert db.session.scalars(select(SupportNote)).all() == []
    assert "data-tailored-support" not in device.get("/kiosk/thank-you").text
