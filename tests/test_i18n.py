"""Languages: one gettext workflow for the interface and the questionnaires, complete catalogues in
Polish, Urdu and Arabic, right-to-left pages, translated words that never change what an answer
means, a chosen language that sticks, and English wherever a translation is missing."""

from __future__ import annotations

import dataclasses
import gettext
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import Translations
from sqlalchemy import select

from questionnaires.loader import validate_paths
from questionnaires.model import Questionnaire
from questionnaires.translation import catalogue, messages, translate, untranslated
from survey_app.config import PACKAGE, ROOT
from survey_app.extensions import db
from survey_app.models import Response
from survey_app.models.safeguarding import SafeguardingFlag
from survey_app.safeguarding.rules import load as load_rules
from survey_app.translate import DOMAINS, MACHINE_MADE, catalogue_path, completeness, template_path
from tests.journey_helpers import answer, open_a_campaign_if_none_is, submission_key

TRANSLATIONS = PACKAGE / "translations"
LOCALES = ["pl", "ur", "ar"]
PLACEHOLDER = re.compile(r"%\(\w+\)s")
CATALOGUES = [(locale, domain) for locale in LOCALES for domain in DOMAINS]


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def _young_people() -> Questionnaire:
    definitions, problems = validate_paths([ROOT / "questionnaires" / "young-people.yaml"])
    assert not problems
    return Questionnaire.from_dict(definitions["young-people.yaml"])


def _gettext(locale: str, domain: str = "messages") -> gettext.NullTranslations:
    return Translations.load(str(TRANSLATIONS), [locale], domain=domain)


# --- the catalogues ------------------------------------------------------------------------------


@pytest.mark.parametrize(("locale", "domain"), CATALOGUES)
def test_catalogue_is_marked_machine_made_and_keeps_placeholders(locale: str, domain: str) -> None:
    po = _read(catalogue_path(locale, domain), locale)
    assert MACHINE_MADE in (po.header_comment or "")
    for message in po:
        if message.id and message.string:
            # a plural message's every form keeps the placeholders of its plural source
            pairs = (
                [(message.id[-1], form) for form in message.string]
                if message.pluralizable
                else [(message.id, message.string)]
            )
            for source, text in pairs:
                assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(text)), source
                assert source.count("%%") == text.count("%%"), source
                assert source.count("\n\n") == text.count("\n\n"), f"paragraphs differ: {source[:60]}"


@pytest.mark.parametrize(("locale", "domain"), CATALOGUES)
def test_compiled_catalogue_matches_its_source(locale: str, domain: str) -> None:
    """The committed .mo is what `flask translate compile` makes from the .po."""
    mo = catalogue_path(locale, domain).with_suffix(".mo")
    assert mo.exists(), f"run: flask --app wsgi translate compile  ({mo} is missing)"
    with mo.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for message in _read(catalogue_path(locale, domain), locale):
        if message.id and message.string and not message.fuzzy and message.pluralizable:
            # each form as the catalogue's plural rule picks it (tried on 0 to 200)
            for n in range(201):
                form = message.string[compiled.plural(n)]  # type: ignore[attr-defined]
                assert compiled.ngettext(message.id[0], message.id[1], n) == form, f"{mo} is out of date"
        elif message.id and message.string and not message.fuzzy:
            assert compiled.gettext(message.id) == message.string, (
                f"{mo} is out of date with its .po: run `flask --app wsgi translate compile`"
            )


@pytest.mark.parametrize(("locale", "domain"), CATALOGUES)
def test_every_language_is_complete(locale: str, domain: str) -> None:
    row = completeness(locale, domain)
    po = _read(catalogue_path(locale, domain), locale)
    missing = [
        m.id
        for m in _read(template_path(domain))
        if m.id and not ((found := po.get(m.id)) and found.string and not found.fuzzy)
    ]
    assert (row.translated, row.total) == (row.total, row.total), f"{locale}/{domain} untranslated: {missing[:5]}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_templates_hold_exactly_what_the_source_says(domain: str) -> None:
    """The .pot files are what `flask translate extract` makes now, and every catalogue has been
    updated from them: a new question or button can't slip through untranslated unnoticed."""
    with DOMAINS[domain].open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    extracted = {
        message for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords)
    }
    template = {m.id for m in _read(template_path(domain)) if m.id}
    assert extracted - template == set(), "run `flask --app wsgi translate extract` and `update`"
    assert template - extracted == set(), "the .pot holds text the source no longer has: run extract and update"
    for locale in LOCALES:
        ids = {m.id for m in _read(catalogue_path(locale, domain), locale) if m.id}
        assert template <= ids, f"{locale}/{domain}: run `flask --app wsgi translate update`"


def test_translate_status_shows_each_language_and_domain(app, runner) -> None:  # type: ignore[no-untyped-def]
    app.config["COMMUNITY_VOICE"] = dataclasses.replace(app.config["COMMUNITY_VOICE"], languages=("en", *LOCALES))
    result = runner.invoke(args=["translate", "status"])
    assert result.exit_code == 0, result.output
    for locale in LOCALES:
        for domain in DOMAINS:
            row = completeness(locale, domain)
            assert re.search(
                rf"^{locale}\s+{domain}\s+{row.translated}/{row.total}\s.*{row.percent:.1f}%  "
                "machine-made: needs review",
                result.output,
                re.M,
            ), result.output
    assert "shown in English" in result.output


def test_translate_status_can_fail_a_build_below_a_threshold(app, runner, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import survey_app.translate as translate_module

    half = Catalog(locale="pl", header_comment=f"# {MACHINE_MADE}")
    template = Catalog()
    for text in ("Yes", "No"):
        template.add(text)
    half.add("Yes", "Tak")
    half.add("No", "")
    for path, cat in ((tmp_path / "messages.pot", template), (tmp_path / "pl" / "LC_MESSAGES" / "messages.po", half)):
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            write_po(f, cat)
    monkeypatch.setattr(translate_module, "TRANSLATIONS", tmp_path)
    monkeypatch.setattr(translate_module, "DOMAINS", {"messages": DOMAINS["messages"]})
    app.config["COMMUNITY_VOICE"] = dataclasses.replace(app.config["COMMUNITY_VOICE"], languages=("en", "pl"))
    result = runner.invoke(args=["translate", "status", "--fail-under", "100"])
    assert result.exit_code == 1
    assert re.search(r"^pl\s+messages\s+1/2\s+0\s+1\s+50.0%", result.output, re.M), result.output


# --- questionnaire wording through the catalogues ---------------------------------------------------


def test_extraction_takes_every_word_a_respondent_reads_but_no_place_names() -> None:
    young_people = _young_people()
    texts = {m.text for m in messages(young_people)}
    assert young_people.title in texts and young_people.question("why_carried").text in texts
    assert "Very safe" in texts and "Prefer not to say" in texts  # from built-in scales, expanded by the loader
    area = next(q for q in young_people.questions() if q.type == "area")
    places = [o.label for o in area.options if not o.special]
    assert places and not set(places) & texts  # ward names are names, not words to translate
    where = {m.where for m in messages(young_people) if m.text == young_people.question("why_carried").text}
    assert where == {"young-people: question why_carried text"}


def test_translation_changes_words_never_keys_values_or_routing() -> None:
    english = _young_people()
    urdu = translate(english, catalogue(TRANSLATIONS, "ur"))
    assert [p.key for p in urdu.pages] == [p.key for p in english.pages]
    for q_en, q_ur in zip(english.questions(), urdu.questions(), strict=True):
        assert (q_ur.key, q_ur.type, q_ur.measure, q_ur.show_if) == (q_en.key, q_en.type, q_en.measure, q_en.show_if)
        assert [(o.value, o.exclusive, o.other_text, o.special) for o in q_ur.options] == [
            (o.value, o.exclusive, o.other_text, o.special) for o in q_en.options
        ]
    assert urdu.question("why_carried").text != english.question("why_carried").text
    assert english.question("why_carried").text == "Why did you carry it?"  # the English one is untouched
    assert untranslated(english, catalogue(TRANSLATIONS, "ur")) == []


def test_a_missing_translation_falls_back_to_english(tmp_path: Path) -> None:
    english = _young_people()
    assert translate(english, catalogue(tmp_path, "pl")) is english  # no catalogue at all
    partial = Catalog(locale="pl")
    partial.add(english.question("feel_safe_area").text, "Jak bezpiecznie czujesz się w swojej okolicy?")
    (tmp_path / "pl" / "LC_MESSAGES").mkdir(parents=True)
    with (tmp_path / "pl" / "LC_MESSAGES" / "questionnaires.mo").open("wb") as f:
        write_mo(f, partial)
    polish = translate(english, catalogue(tmp_path, "pl"))
    assert polish.question("feel_safe_area").text == "Jak bezpiecznie czujesz się w swojej okolicy?"
    assert polish.question("why_carried").text == "Why did you carry it?"  # untranslated: English
    assert [m.text for m in untranslated(english, catalogue(tmp_path, "pl"))][:1] == [english.title]


# --- pages -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "direction", "get_help"),
    [("ur", "rtl", "مدد حاصل کریں"), ("ar", "rtl", None), ("pl", "ltr", "Uzyskaj pomoc")],
)
def test_pages_take_the_language_and_its_direction(client, loaded, locale, direction, get_help) -> None:  # type: ignore[no-untyped-def]
    get_help = get_help or _gettext(locale).gettext("Get help")
    assert get_help != "Get help"
    html = client.get(f"/?lang={locale}").text
    assert f'<html lang="{locale}" dir="{direction}">' in html
    assert get_help in html
    # The choice sticks: the next page, with no ?lang=, is in the same language.
    html = client.get("/help").text
    assert f'dir="{direction}"' in html and get_help in html
    html = client.get("/help?lang=en").text
    assert '<html lang="en" dir="ltr">' in html and ">Get help<" in html


def test_browser_language_is_used_until_the_person_chooses(client, loaded) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"}).text
    assert '<html lang="pl" dir="ltr">' in html and "Uzyskaj pomoc" in html


def test_language_switcher_names_each_language_in_itself(client, loaded) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/help").text
    assert 'href="/help?lang=ur" lang="ur"' in html and "اردو" in html and "Polski" in html and "العربية" in html
    assert 'aria-current="true">English<' in html


def test_answers_given_in_urdu_are_stored_as_the_same_values(shipped_app) -> None:  # type: ignore[no-untyped-def]
    open_a_campaign_if_none_is()
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
    open_a_campaign_if_none_is()
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
    assert {a.question_key: a.value for a in response.answers} == {
        "feel_safe_area": "fairly_safe",
        "feel_safe_school": "very_safe",
    }


def test_error_messages_are_in_the_respondents_language(shipped_app) -> None:  # type: ignore[no-untyped-def]
    open_a_campaign_if_none_is()
    client = shipped_app.test_client()
    client.get("/?lang=pl")
    client.post("/start", data={"questionnaire": "young-people"})
    html = answer(client, "your-area", {"feel_safe_area": "not-an-answer"}).text
    polish = _gettext("pl").gettext("Please choose one of the answers shown.")
    assert polish != "Please choose one of the answers shown." and polish in html


@pytest.mark.parametrize("locale", ["en", "ur"])
def test_feeling_very_unsafe_at_home_brings_help_in_the_respondents_language(shipped_app, locale) -> None:  # type: ignore[no-untyped-def]
    """The safeguarding rule has a question to look at (young people are asked how safe they feel at
    home), flags the anonymous response and shows the help in the language the survey was taken in."""
    open_a_campaign_if_none_is()
    client = shipped_app.test_client()
    client.get(f"/?lang={locale}")
    client.post("/start", data={"questionnaire": "young-people"})
    assert answer(client, "school", {"feel_safe_home": "very_unsafe"}).status_code == 302
    check = client.get("/survey/check").text
    thanks = client.post("/survey/check", data={"submission_key": submission_key(check)}, follow_redirects=True).text
    english_help = load_rules().support_text("home", "young_people")
    expected = _gettext(locale).gettext(english_help)
    assert (expected != english_help) == (locale != "en")
    assert expected in thanks
    (response,) = db.session.scalars(select(Response)).all()
    assert [f.rule for f in db.session.scalars(select(SafeguardingFlag).filter_by(response_id=response.id))] == [
        "very_unsafe_at_home"
    ]


def test_minutes_agree_with_their_number_in_arabic(shipped_app) -> None:  # type: ignore[no-untyped-def]
    """Arabic counts 3 to 10 with the plural دقائق and 11 and over with the singular دقيقة."""
    open_a_campaign_if_none_is()
    client = shipped_app.test_client()
    client.get("/?lang=ar")
    start = client.get("/start").text
    shown = re.findall(r'class="hint choice-time"[^>]*>حوالي (\d+) (\S+)</p>', start)
    assert shown, "no time shown on the Arabic start page"
    for number, word in shown:
        n = int(number)
        assert word == ("دقائق" if 3 <= n % 100 <= 10 else "دقيقة"), (n, word)
    assert any(3 <= int(n) <= 10 for n, _ in shown)
