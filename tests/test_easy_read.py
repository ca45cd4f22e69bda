"""The easy-read young people's questionnaire: symbols beside key words, larger words, one question per
page, and answers that pool with the standard young people's questionnaire through shared measures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from markupsafe import escape
from sqlalchemy import select

from questionnaires.loader import load_area_lists, load_file, parse, questionnaire_files, read_yaml, validate_paths
from questionnaires.model import Questionnaire
from questionnaires.scales import SCALES
from questionnaires.symbols import SYMBOL_FOLDER, available_symbols
from survey_app.config import ROOT
from survey_app.extensions import db
from survey_app.models import Answer, Response, SafeguardingFlag
from tests.journey_helpers import answer, begin, open_a_campaign_if_none_is, submission_key

FOLDER = ROOT / "questionnaires"
EASY = FOLDER / "young-people-easy-read.yaml"
STANDARD = FOLDER / "young-people.yaml"
#: Measures the easy-read version must share with the standard one, so findings can pool them.
POOLED = {
    "feel_safe_area",
    "feel_safe_home",
    "feel_safe_school",
    "feel_safe_online",
    "places_to_go",
    "worry_knife_crime",
    "carried_weapon",
    "why_carried",
    "seen_violence_social_media",
    "trusted_adult",
    "what_would_help",
}
IMG = re.compile(r'<img class="symbol" src="/static/symbols/([a-z0-9-]+)\.svg" alt="" width="\d+" height="\d+">')


@pytest.fixture(scope="module")
def easy() -> Questionnaire:
    definition, problems = load_file(EASY)
    assert problems == []
    return Questionnaire.from_dict(definition)


def values(q: object) -> set[str]:
    return {o.value for o in q.options if not o.special}  # type: ignore[attr-defined]


def problems_after(tmp_path: Path, old: str, new: str) -> list[str]:
    """Check a copy of the easy-read file with one piece of text changed; the problems as printed."""
    text = EASY.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / EASY.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return [str(p) for p in load_file(path, load_area_lists())[1]]


# --- the file -------------------------------------------------------------------------------------


def test_easy_read_loads_as_one_question_per_page_with_a_symbol_on_every_question(easy: Questionnaire) -> None:
    assert (easy.id, easy.audience, easy.presentation) == ("young-people-easy-read", "young_people", "easy-read")
    assert easy.one_question_per_page
    questions = list(easy.questions())
    assert 12 <= len(questions) <= 18
    assert all(len(page.questions) == 1 for page in easy.pages)
    assert all(q.symbol for q in questions), [q.key for q in questions if not q.symbol]
    assert "easy read" in easy.respondent_label.lower()


def test_every_shipped_file_still_checks_and_only_easy_read_says_how_it_is_shown() -> None:
    definitions, problems = validate_paths(questionnaire_files())
    assert problems == []
    assert "young-people-easy-read.yaml" in definitions
    for name, definition in definitions.items():
        # Fields are stored only when used, so existing questionnaires keep their fingerprints (no new version).
        assert ("presentation" in definition) == (name == EASY.name), name


def test_measures_are_shared_with_the_standard_questionnaire_with_the_same_answers(easy: Questionnaire) -> None:
    standard = Questionnaire.from_dict(load_file(STANDARD)[0])
    by_measure = {q.measure: q for q in standard.questions() if q.measure}
    shared = {q.measure for q in easy.questions() if q.measure and q.measure in by_measure}
    assert shared >= POOLED
    for q in easy.questions():
        if q.measure in by_measure:
            assert values(q) == values(by_measure[q.measure]), q.key
            assert q.key == by_measure[q.measure].key  # the same key too, so rules by key cover both


def test_safe_at_home_uses_the_same_four_point_safety_scale_as_safe_in_the_area(easy: Questionnaire) -> None:
    home, area = easy.question("feel_safe_home"), easy.question("feel_safe_area")
    assert home.measure == "feel_safe_home" and home.scale == area.scale == "safety4"
    assert [o.value for o in home.options if not o.special] == [v for v, _ in SCALES["safety4"][0]]
    assert home.option("prefer_not_to_say") is not None


def test_sensitive_questions_offer_a_way_out_and_weapons_come_after_the_content_note(easy: Questionnaire) -> None:
    for q in easy.questions():
        if q.sensitive and q.type != "area":
            assert q.option("prefer_not_to_say") is not None, q.key
    keys = [q.key for q in easy.questions()]
    note = next(i for i, page in enumerate(easy.pages) if page.content_note)
    weapons = [
        i
        for i, page in enumerate(easy.pages)
        if re.search(r"knife|knives|weapon|fight|violen", page.questions[0].text, re.I)
    ]
    assert weapons and min(weapons) == note, keys


def test_sentences_are_short(easy: Questionnaire) -> None:
    """Easy read: one idea per sentence. No sentence in a question or hint runs past 16 words."""
    for q in easy.questions():
        for sentence in re.split(r"(?<=[.?!])\s+", f"{q.text} {q.hint}".strip()):
            assert len(sentence.split()) <= 16, (q.key, sentence)


def test_every_symbol_is_a_plain_first_party_picture() -> None:
    names = available_symbols()
    assert 15 <= len(names) <= 40
    for name in names:
        svg = (SYMBOL_FOLDER / f"{name}.svg").read_text(encoding="utf-8")
        assert svg.startswith("<svg") and 'viewBox="0 0 64 64"' in svg, name
        # Nothing fetched from elsewhere, nothing that runs, no inline styles for the CSP to refuse.
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)|<script|\bon\w+=|style=|<style|href=", svg), name


# --- the checker ----------------------------------------------------------------------------------


def test_an_unknown_symbol_is_refused_naming_file_question_and_a_likely_fix(tmp_path: Path) -> None:
    (problem,) = problems_after(tmp_path, "symbol: park", "symbol: prk")
    assert problem.startswith(
        "young-people-easy-read.yaml: question 'places_to_go': unknown symbol 'prk': "
        "there is no static/symbols/prk.svg. Did you mean 'park'?"
    )


def test_an_unknown_symbol_on_an_answer_names_the_answer(tmp_path: Path) -> None:
    (problem,) = problems_after(tmp_path, "symbol: broom", "symbol: mop")
    assert problem.startswith(
        "young-people-easy-read.yaml: question 'what_would_help', answer 'cleaner_streets': unknown symbol 'mop'"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"presentation": "big-print"},
            "top of file: unknown presentation 'big-print' (use one of: standard, easy-read)",
        ),
        ({"one_question_per_page": False}, "top of file: easy-read presentation always shows one question per page"),
        ({"symbol": "Park Bench"}, "question 'q': symbol 'Park Bench' should be the name of a file in static/symbols/"),
    ],
)
def test_presentation_and_symbol_mistakes_are_named(change: dict, message: str) -> None:
    raw = {
        "id": "t",
        "audience": "young_people",
        "title": "T",
        "respondent_label": "T",
        "presentation": "easy-read",
        "pages": [{"key": "p", "title": "P", "questions": [{"key": "q", "type": "short_text", "text": "Q?"}]}],
    }
    if "symbol" in change:
        raw["pages"][0]["questions"][0].update(change)
    else:
        raw.update(change)
    _, problems = parse(raw, "t.yaml", areas={}, symbols=frozenset({"park"}))
    assert any(message in str(p) for p in problems), [str(p) for p in problems]


def test_symbols_beside_drop_down_answers_are_refused() -> None:
    raw = {
        "id": "t",
        "audience": "young_people",
        "title": "T",
        "respondent_label": "T",
        "pages": [
            {
                "key": "p",
                "title": "P",
                "questions": [
                    {
                        "key": "r",
                        "type": "ranking",
                        "max_rank": 1,
                        "text": "Pick",
                        "options": [{"value": "a", "label": "A", "symbol": "park"}, {"value": "b", "label": "B"}],
                    }
                ],
            }
        ],
    }
    _, problems = parse(raw, "t.yaml", areas={}, symbols=frozenset({"park"}))
    assert [str(p) for p in problems] == [
        "t.yaml: question 'r': answer 'a' has a symbol, but ranking answers are shown in a drop-down list, which "
        "can't show pictures: symbols beside answers work in single_choice and multiple_choice questions"
    ]


def test_symbols_work_in_a_standard_questionnaire_too_without_adding_any() -> None:
    raw = read_yaml(EASY)
    del raw["presentation"]
    definition, problems = parse(raw, EASY.name)
    assert problems == []
    q = Questionnaire.from_dict(definition)
    assert not q.one_question_per_page and q.question("feel_safe_area").symbol == "neighbourhood"
    # The pictures for the answers the app adds (Don't know, Prefer not to say) are an easy-read choice.
    assert q.question("feel_safe_area").option("dont_know").symbol is None


# --- the pages ------------------------------------------------------------------------------------


def test_start_page_offers_easy_read(shipped_app: Flask, easy: Questionnaire) -> None:
    open_a_campaign_if_none_is()
    html = shipped_app.test_client().get("/start").text
    assert 'value="young-people-easy-read"' in html and str(escape(easy.respondent_label)) in html


def test_pages_show_symbols_beside_the_words_with_empty_alt_text(shipped_app: Flask, easy: Questionnaire) -> None:
    client = shipped_app.test_client()
    begin(client, "young-people-easy-read")
    seen: set[str] = set()
    for page in easy.pages:
        html = client.get(f"/survey/page/{page.key}").text
        q = page.questions[0]
        assert 'class="presentation-easy-read"' in html
        assert " checked" not in html  # nothing pre-ticked
        heading = re.search(r'<h1 class="legend-heading">(.*?)</h1>', html, re.S)
        assert heading, page.key
        # The question's symbol sits in the heading, right beside its words.
        assert re.search(IMG.pattern + r"<span>" + re.escape(str(escape(q.text))) + "</span>", heading.group(1)), (
            page.key
        )
        for o in q.options:
            words = re.escape(str(escape(o.label)))
            if q.sensitive and o.symbol in ("yes", "no"):
                # A tick and a cross would read as the right and the wrong answer to "have you carried a knife?"
                assert not re.search(rf'/symbols/{o.symbol}\.svg"[^>]*><span>{words}</span>', html), (q.key, o.value)
            elif o.symbol and q.type != "faces":
                assert re.search(
                    rf'/symbols/{o.symbol}\.svg" alt="" width="48" height="48"><span>{words}</span>', html
                ), (q.key, o.value)
        if page.content_note:
            assert "/static/symbols/warning.svg" in html
        if q.key == "carried_weapon":  # open the follow-up page, so it is checked too
            assert answer(client, page.key, {q.key: "yes"}).status_code == 302
        if q.is_text:
            assert "Do not write a phone number or an address." in html  # the just-in-time note, easy-read words
        seen |= set(IMG.findall(html))
        # Every <img> on the page is decoration with empty alt text.
        assert all('alt=""' in tag for tag in re.findall(r"<img[^>]*>", html)), page.key
    for name in seen:
        served = client.get(f"/static/symbols/{name}.svg")
        assert served.status_code == 200 and served.mimetype == "image/svg+xml", name
        served.close()
    assert {"yes", "no", "dont-know", "prefer-not-to-say", "knife", "home"} <= seen


def _send(client, pages: dict) -> str:  # type: ignore[no-untyped-def]
    begin(client, "young-people-easy-read")
    for page, data in pages.items():
        response = answer(client, page, data)
        assert response.status_code == 302, (page, response.text[:500])
    check = client.get("/survey/check")
    assert check.status_code == 200
    sent = client.post("/survey/check", data={"submission_key": submission_key(check.text)})
    assert sent.status_code == 303
    return client.get("/survey/thank-you").text


def test_answers_are_stored_under_the_shared_measures_and_safeguarding_rules_apply(shipped_app: Flask) -> None:
    client = shipped_app.test_client()
    html = _send(
        client,
        {
            "feel_safe_area": {"feel_safe_area": "fairly_safe"},
            "feel_safe_home": {"feel_safe_home": "very_unsafe"},
            "carried_weapon": {"carried_weapon": "yes"},
            "why_carried": {"why_carried": ["protection"]},
            "what_would_help": {"what_would_help": ["things_to_do", "street_lighting"]},
        },
    )
    (response,) = db.session.scalars(select(Response)).all()
    assert (response.version.questionnaire_id, response.audience) == ("young-people-easy-read", "young_people")
    rows = {(a.measure, a.value) for a in db.session.scalars(select(Answer).filter_by(response_id=response.id))}
    assert {
        ("feel_safe_area", "fairly_safe"),
        ("feel_safe_home", "very_unsafe"),
        ("carried_weapon", "yes"),
        ("why_carried", "protection"),
        ("what_would_help", "things_to_do"),
        ("what_would_help", "street_lighting"),
    } <= rows
    rules = {f.rule for f in db.session.scalars(select(SafeguardingFlag))}
    assert {"weapon_for_protection", "very_unsafe_at_home"} <= rules
    assert "data-tailored-support" in html
