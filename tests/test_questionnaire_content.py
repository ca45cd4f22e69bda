"""What the shipped questionnaires ask, and how long they take: the questions the findings need are
asked of every audience they concern (with shared measures, so they pool), nothing is asked twice
in the same words the app already adds, and each questionnaire's time is measured, not promised."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from questionnaires.length import measure
from questionnaires.loader import load_questionnaire, parse, read_yaml
from questionnaires.model import Question, Questionnaire
from tests.journey_helpers import open_a_campaign_if_none_is, submission_key

ROOT = Path(__file__).resolve().parent.parent / "questionnaires"


def shipped() -> dict[str, Questionnaire]:
    return {path.stem: load_questionnaire(path) for path in sorted(ROOT.glob("*.yaml"))}


@pytest.fixture(scope="module")
def files() -> dict[str, Questionnaire]:
    return shipped()


def with_measure(files: dict[str, Questionnaire], name: str) -> dict[str, Question]:
    return {qid: q for qid, qn in files.items() for q in qn.questions() if q.measure == name}


@pytest.mark.parametrize(
    ("name", "asked_of"),
    [
        ("feel_safe_day", {"children", "young-people", "young-adults", "parents-carers"}),
        ("feel_safe_dark", {"children", "young-people", "young-people-easy-read", "young-adults", "parents-carers"}),
        ("knife_source", {"young-people", "young-people-easy-read", "young-adults"}),
        ("safe_reasons_adult", {"young-adults", "parents-carers"}),
    ],
)
def test_the_questions_the_findings_need_are_asked_of_each_audience_with_one_measure(files, name, asked_of):
    found = with_measure(files, name)
    assert set(found) == asked_of
    values = {qid: [o.value for o in q.options if not o.special] for qid, q in found.items()}
    assert len({tuple(v) for v in values.values()}) == 1, values  # they pool: the same answers everywhere


def test_where_a_knife_came_from_is_asked_only_of_those_who_carried_one_and_can_be_declined(files):
    for qid, q in with_measure(files, "knife_source").items():
        assert q.sensitive and q.option("prefer_not_to_say") is not None, qid
        assert q.show_if is not None and q.show_if.question == "carried_weapon" and q.show_if.values == ("yes",)
        assert {"from_home", "bought_shop", "bought_online", "given_to_carry"} <= {o.value for o in q.options}


def test_young_adults_are_asked_all_seven_standard_anti_social_behaviour_items(files):
    keys = {q.key for q in files["young-adults"].questions() if q.scale == "problem4"}
    assert keys == {
        "asb_abandoned_cars",
        "asb_noisy_neighbours",
        "asb_drunk",
        "asb_drugs",
        "asb_litter",
        "asb_teenagers",
        "asb_vandalism",
    }


def test_parents_are_asked_why_they_feel_safe_when_they_do(files):
    q = files["parents-carers"].question("safe_reasons")
    assert q.show_if is not None and set(q.show_if.values) == {"very_safe", "fairly_safe"}


def test_no_hint_repeats_what_the_page_already_says_about_ticking(files):
    """Tick-box and ranking questions get "Choose all that apply" / "Pick up to 3" from the app."""
    for qid, qn in files.items():
        for q in qn.questions():
            if q.type in ("multiple_choice", "ranking"):
                assert not re.search(r"tick|pick up to|all that apply|as many as|more than one", q.hint, re.I), (
                    qid,
                    q.key,
                    q.hint,
                )
            if q.is_text:  # the app says not to write names under every text box
                assert "name" not in q.hint.lower(), (qid, q.key, q.hint)


def test_content_notes_do_not_repeat_the_apps_offer_to_skip(files):
    for qid, qn in files.items():
        for page in qn.pages:
            assert "skip" not in page.content_note.lower(), (qid, page.key)


def test_children_are_not_offered_save_with_words_nor_a_ward_list_nor_the_partnership(files):
    children = files["children"]
    assert children.save_for_later is False
    assert all(qn.save_for_later for qid, qn in files.items() if qid != "children")
    assert not any(q.type == "area" for q in children.questions())
    for qid in ("children", "young-people", "young-people-easy-read"):
        qn = files[qid]
        words = " ".join([qn.intro, qn.thank_you] + [f"{q.text} {q.hint}" for q in qn.questions()])
        assert "partnership" not in words.lower(), qid


def test_nothing_identifying_is_written_in_about_who_someone_is(files):
    for qid, qn in files.items():
        for q in qn.questions():
            if q.type == "demographic":
                assert not any(o.other_text for o in q.options), (qid, q.key)


def test_the_easy_read_introduction_and_thanks_say_one_thing_per_short_sentence(files):
    easy = files["young-people-easy-read"]
    assert easy.thank_you
    for text in (easy.intro, easy.thank_you):
        for paragraph in filter(None, (p.strip() for p in text.split("\n\n"))):
            sentences = re.split(r"(?<=[.?!])\s+", paragraph)
            assert len(sentences) == 1, paragraph  # one idea, one line
            assert len(paragraph.split()) <= 12, paragraph


def test_each_questionnaire_states_its_own_measured_time(files):
    lengths = {qid: measure(qn) for qid, qn in files.items()}
    for qid, length in lengths.items():
        assert 2 <= length.shortest <= length.minutes <= length.longest <= 20, (qid, length)
    # Measured, not promised: a short one for children, a longer one for young people.
    assert lengths["children"].minutes < lengths["young-people"].minutes
    assert lengths["young-people"].minutes <= 15 and lengths["young-people"].questions <= 32


def test_more_words_and_more_questions_take_longer():
    raw = read_yaml(ROOT / "children.yaml")
    base = Questionnaire.from_dict(parse(raw, "children.yaml")[0])
    raw["pages"][0]["questions"].append(
        {"key": "extra", "type": "long_text", "text": "Tell us anything else you want us to know about your area."}
    )
    longer = Questionnaire.from_dict(parse(raw, "children.yaml")[0])
    assert measure(longer).words == measure(base).words + 12
    # 12 words at a child's 90 words a minute, and 45 seconds to write an answer
    assert measure(longer).seconds == pytest.approx(measure(base).seconds + 12 / 90 * 60 + 45)


def test_save_for_later_must_be_true_or_false():
    raw = read_yaml(ROOT / "children.yaml")
    raw["save_for_later"] = "sometimes"
    _, problems = parse(raw, "children.yaml")
    assert any("save_for_later should be true or false" in p.message for p in problems)


def test_the_choice_list_shows_each_questionnaires_own_time_and_nobody_is_promised_ten_minutes(shipped_app):
    open_a_campaign_if_none_is()
    client = shipped_app.test_client()
    html = client.get("/start").text
    for qid, qn in shipped().items():
        said = f'<p class="hint choice-time" id="time-{qid}">About {measure(qn).minutes} minutes</p>'
        assert said in html and f'aria-describedby="time-{qid}"' in html, qid
    assert "10 minutes." not in client.get("/").text


def test_children_are_not_offered_save_and_come_back_later_but_young_people_are(shipped_app):
    open_a_campaign_if_none_is()
    child = shipped_app.test_client()
    child.post("/start", data={"questionnaire": "children"})
    page = child.get("/survey/page/feel_safe_area").text
    assert "Save and come back later" not in page and "How safe do you feel" in page
    # Even a hand-made post is only kept as a page, never turned into words to remember.
    saved = child.post("/survey/save?page=feel_safe_area", data={"feel_safe_area": "very_safe"})
    assert saved.status_code == 302 and saved.location.endswith("/survey/page/feel_safe_area")
    assert 'value="very_safe" checked' in child.get("/survey/page/feel_safe_area").text
    teen = shipped_app.test_client()
    teen.post("/start", data={"questionnaire": "young-people"})
    assert "Save and come back later" in teen.get("/survey/page/your-area").text


@pytest.mark.parametrize(
    ("questionnaire", "expected"),
    [
        ("young-people-easy-read", "So will the police and schools."),
        ("children", "Nobody will know which answers were yours."),
        ("young-people", "decide how to\nkeep young people safe"),
    ],
)
def test_the_thank_you_page_speaks_in_the_questionnaires_own_words(shipped_app, questionnaire, expected):
    open_a_campaign_if_none_is()
    client = shipped_app.test_client()
    client.post("/start", data={"questionnaire": questionnaire})
    check = client.get("/survey/check").text
    sent = client.post("/survey/check", data={"submission_key": submission_key(check)})
    assert sent.status_code == 303
    html = client.get("/survey/thank-you").text
    words = " ".join(expected.split())
    assert words in " ".join(html.split())
    assert "partnership" not in html
