"""Languages: interface catalogues (Urdu, Polish), right-to-left pages, questionnaire overlays that
never change what an answer means, and a chosen language that sticks for the whole journey."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from questionnaires.loader import validate_paths
from questionnaires.model import Questionnaire
from questionnaires.translation import load_overlay, translate, unknown_keys, untranslated
from survey_app.config import ROOT
from survey_app.extensions import db
from survey_app.models import Response
from tests.journey_helpers import answer, submission_key

TRANSLATIONS = ROOT / "translations"
LOCALES = ["pl", "ur"]
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _catalogue(locale: str):  # type: ignore[no-untyped-def]
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=locale)


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_is_marked_for_review_and_keeps_placeholders(locale: str) -> None:
    text = (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    assert "NEEDS REVIEW BY A FLUENT SPEAKER" in text
    for message in _catalogue(locale):
        if message.id and message.string:
            assert sorted(PLACEHOLDER.findall(message.id)) == sorted(PLACEHOLDER.findall(message.string)), message.id


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalogue_matches_its_source(locale: str) -> None:
    """The committed .mo is what `pybabel compile -d translations` makes from the .po."""
    mo = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo"
    assert mo.exists(), f"run: pybabel compile -d translations  ({mo} is missing)"
    with mo.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for message in _catalogue(locale):
        if message.id and message.string:
            assert compiled.gettext(message.id) == message.string, (
                f"{mo} is out of date with its .po: run `pybabel compile -d translations`")


@pytest.mark.parametrize("locale", LOCALES)
def test_every_respondent_interface_string_is_translated(locale: str) -> None:
    missing = [m.id for m in _catalogue(locale) if m.id and not m.string]
    assert not missing, f"{locale}: untranslated: {missing[:5]}"


def test_urdu_pages_are_right_to_left_and_translated(client, loaded) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/?lang=ur").text
    assert '<html lang="ur" dir="rtl">' in html
    assert "مدد حاصل کریں" in html  # Get help
    # The choice sticks: the next page, with no ?lang=, is still Urdu.
    html = client.get("/help").text
    assert 'dir="rtl"' in html and "مدد حاصل کریں" in html
    html = client.get("/help?lang=en").text
    assert '<html lang="en" dir="ltr">' in html and ">Get help<" in html


def test_browser_language_is_used_until_the_person_chooses(client, loaded) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"}).text
    assert '<html lang="pl" dir="ltr">' in html and "Uzyskaj pomoc" in html


def test_language_switcher_names_each_language_in_itself(client, loaded) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/help").text
    assert 'href="/help?lang=ur" lang="ur"' in html and "اردو" in html and "Polski" in html
    assert 'aria-current="true">English<' in html


def _young_people() -> Questionnaire:
    definitions, problems = validate_paths([ROOT / "questionnaires" / "young-people.yaml"])
    assert not problems
    return Questionnaire.from_dict(definitions["young-people.yaml"])


def test_urdu_young_people_questionnaire_is_complete_and_matches_the_questionnaire() -> None:
    questionnaire = _young_people()
    overlay = load_overlay(ROOT / "questionnaires", "young-people", "ur")
    assert overlay is not None
    assert overlay.own.get("status") == "machine-assisted, needs review by a native speaker"
    assert unknown_keys(questionnaire, overlay) == []
    assert untranslated(questionnaire, overlay) == []


def test_every_overlay_names_only_questions_and_answers_that_exist() -> None:
    folder = ROOT / "questionnaires"
    for path in sorted((folder / "translations").glob("*.*.yaml")):
        qid, locale = path.name.removesuffix(".yaml").rsplit(".", 1)
        if qid == "common":
            continue
        definitions, _ = validate_paths([folder / f"{qid}.yaml"])
        questionnaire = Questionnaire.from_dict(definitions[f"{qid}.yaml"])
        overlay = load_overlay(folder, qid, locale)
        assert overlay is not None and unknown_keys(questionnaire, overlay) == [], path.name


def test_translation_changes_words_never_keys_values_or_routing() -> None:
    english = _young_people()
    urdu = translate(english, load_overlay(ROOT / "questionnaires", "young-people", "ur"))
    assert [p.key for p in urdu.pages] == [p.key for p in english.pages]
    for q_en, q_ur in zip(english.questions(), urdu.questions(), strict=True):
        assert (q_ur.key, q_ur.type, q_ur.measure, q_ur.show_if) == (q_en.key, q_en.type, q_en.measure, q_en.show_if)
        assert [(o.value, o.exclusive, o.other_text, o.special) for o in q_ur.options] == \
               [(o.value, o.exclusive, o.other_text, o.special) for o in q_en.options]
    assert urdu.question("why_carried").text != english.question("why_carried").text
    assert english.question("why_carried").text == "Why did you carry it?"  # the English one is untouched


def test_untranslated_questionnaire_falls_back_to_english(tmp_path: Path) -> None:
    assert load_overlay(tmp_path, "young-people", "ur") is None
    english = _young_people()
    assert translate(english, None) is english


def test_answers_given_in_urdu_are_stored_as_the_same_values(shipped_app) -> None:  # type: ignore[no-untyped-def]
    client = shipped_app.test_client()
    client.get("/?lang=ur")
    start = client.get("/start").text
    assert "میں سیکنڈری اسکول یا کالج میں ہوں" in start  # the respondent label, translated
    assert client.post("/start", data={"questionnaire": "young-people"}).status_code == 302
    page = client.get("/survey/page/your-area").text
    assert "جب آپ اپنے مقامی علاقے میں ہوتے ہیں" in page and 'value="very_unsafe"' in page
    assert answer(client, "your-area", {"feel_safe_area": "very_unsafe"}).status_code == 302
    check = client.get("/survey/check").text
    assert "بہت غیر محفوظ" in check  # the answer shown back in Urdu
    assert client.post("/survey/check", data={"submission_key": submission_key(check)}).status_code == 303
    (response,) = db.session.scalars(select(Response)).all()
    assert response.language == "ur"
    assert [(a.question_key, a.value) for a in response.answers] == [("feel_safe_area", "very_unsafe")]


def test_switching_language_mid_survey_keeps_answers_and_records_the_new_language(shipped_app) -> None:  # type: ignore[no-untyped-def]
    client = shipped_app.test_client()
    client.post("/start", data={"questionnaire": "young-people"})
    answer(client, "your-area", {"feel_safe_area": "fairly_safe"})
    html = client.get("/survey/page/your-area?lang=pl").text
    assert 'lang="pl"' in html and 'value="fairly_safe" checked' in html
    answer(client, "school", {"feel_safe_school": "very_safe"})
    check = client.get("/survey/check").text
    client.post("/survey/check", data={"submission_key": submission_key(check)})
    (response,) = db.session.scalars(select(Response)).all()
    assert response.language == "pl"
    assert {a.question_key: a.value for a in response.answers} == {"feel_safe_area": "fairly_safe",
                                                                  "feel_safe_school": "very_safe"}
