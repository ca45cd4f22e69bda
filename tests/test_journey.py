"""The respondent journey through the Flask test client: every question type, routing, errors,
check-your-answers, and the one-transaction, idempotent submit."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from survey_app.models import Answer, Draft, Response
from tests.journey_helpers import (
    FULL,
    answer,
    begin,
    checked,
    complete,
    field_value,
    open_a_campaign_if_none_is,
    selected,
    submission_key,
    title,
)


def stored(db) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
    """The single stored response's answers, by question key."""
    responses = db.session.scalars(select(Response)).all()
    assert len(responses) == 1
    rows: dict[str, list[tuple]] = {}
    for row in responses[0].answers:
        rows.setdefault(row.question_key, []).append((row.value, row.rank, row.text, row.number))
    return rows


@pytest.fixture
def journey(client, loaded):  # type: ignore[no-untyped-def]
    """A client that has chosen the all-types questionnaire."""
    begin(client)
    return client


def test_landing_start_and_intro_explain_anonymity(client, loaded):
    open_a_campaign_if_none_is()
    landing = client.get("/")
    assert landing.status_code == 200
    assert "Start now" in landing.text
    start = client.get("/start")
    # The only questionnaire on offer: nothing to tick, only to confirm.
    assert "<title>Is this you?" in start.text and "<h1>Is this you?</h1>" in start.text
    assert 'type="radio"' not in start.text
    assert "I&#39;m testing every question type" in start.text
    assert 'name="questionnaire" value="all-types"' in start.text
    begin(client)
    intro = client.get("/survey/intro")
    assert "can't be taken back" in intro.text.replace("&#39;", "'")
    assert "skip any question" in intro.text
    assert 'href="/survey/page/choices"' in intro.text


def test_start_without_a_choice_is_a_kind_error(client, loaded):
    open_a_campaign_if_none_is()
    page = client.post("/start", data={})
    assert page.status_code == 200
    assert title(page.text).startswith("Error:")
    assert 'href="#questionnaire"' in page.text
    assert "Please choose the answer that best describes you" in page.text


def test_every_question_type_is_stored(journey, db):
    for page, data in FULL.items():
        assert answer(journey, page, data).status_code == 302
    check = journey.get("/survey/check")
    done = journey.post("/survey/check", data={"submission_key": submission_key(check.text)})
    assert done.status_code == 303 and done.location.endswith("/survey/thank-you")
    rows = stored(db)
    assert rows["carried"] == [("yes", None, None, None)]  # single choice
    assert rows["worries"] == [("knives", None, None, None), ("gangs", None, None, None)]  # multiple
    assert rows["feel_safe"] == [("very_unsafe", None, None, None)]  # scale
    assert rows["why_carry"] == [("for_protection", None, None, None)]  # routed page
    assert rows["mood"] == [("happy", None, None, None)]  # faces
    assert rows["times"] == [(None, None, None, 3)]  # number
    assert rows["what_helps"] == [("youth_clubs", 1, None, None), ("jobs", 2, None, None)]  # ranking
    assert rows["home_area"] == [("north", None, None, None)]  # area
    assert rows["gender"] == [("self_describe", None, None, None)]  # demographic; no write-in box to identify anyone
    assert rows["ethnicity"] == [("indian", None, None, None)]
    assert rows["one_word"] == [(None, None, "green", None)]  # short text
    assert rows["unsafe_why"] == [(None, None, "The underpass is dark", None)]  # long text
    response = db.session.scalar(select(Response))
    assert response.audience == "young_people" and response.completion == "complete"
    assert response.version.questionnaire_id == "all-types"
    # The measure travels with the answer so audiences can be compared later.
    assert db.session.scalar(select(Answer.measure).filter_by(question_key="feel_safe")) == "feel_safe_area"


def test_other_text_is_kept_with_the_other_answer(journey, db):
    data = dict(FULL["choices"], worries=["drugs", "other"], **{"worries-other": "scooters on pavements"})
    answer(journey, "choices", data)
    for page in ("follow-up", "more", "words"):
        answer(journey, page, FULL[page])
    check = journey.get("/survey/check")
    assert "Other: scooters on pavements" in check.text
    journey.post("/survey/check", data={"submission_key": submission_key(check.text)})
    assert ("other", None, "scooters on pavements", None) in stored(db)["worries"]


def test_skipping_every_question_is_allowed(journey, db):
    for page in ("choices", "more", "words"):
        response = answer(journey, page, {})
        assert response.status_code == 302, response.text
    check = journey.get("/survey/check")
    assert check.text.count("Not answered") >= 8
    journey.post("/survey/check", data={"submission_key": submission_key(check.text)})
    response = db.session.scalar(select(Response))
    assert response is not None and response.answers == []


def test_nothing_is_pre_ticked(journey):
    for page in ("choices", "more"):
        html = journey.get(f"/survey/page/{page}").text
        assert " checked" not in html
        assert " selected>" not in html


def test_sensitive_and_demographic_questions_offer_prefer_not_to_say(journey):
    html = journey.get("/survey/page/choices").text
    assert 'name="carried" value="prefer_not_to_say"' in html
    more = journey.get("/survey/page/more").text
    for key in ("gender", "ethnicity"):
        assert f'name="{key}" value="prefer_not_to_say"' in more
    assert 'value="prefer_not_to_say">Prefer not to say</option>' in more  # the area list


class TestRouting:
    def test_follow_up_page_only_after_yes(self, journey):
        response = answer(journey, "choices", dict(FULL["choices"], carried="no"))
        assert response.location.endswith("/survey/page/more")
        assert journey.get("/survey/page/follow-up").status_code == 302  # not shown: sent on

    def test_follow_up_page_after_yes_with_content_note(self, journey):
        response = answer(journey, "choices", FULL["choices"])
        assert response.location.endswith("/survey/page/follow-up")
        page = journey.get("/survey/page/follow-up").text
        assert "The next question is about knives." in page

    def test_question_conditions_on_scale_number_and_ticks(self, journey):
        answer(journey, "choices", dict(FULL["choices"], carried="no", feel_safe="very_safe", worries=["drugs"]))
        answer(journey, "more", dict(FULL["more"], times="0"))
        words = journey.get("/survey/page/words").text
        assert 'name="one_word"' in words
        assert 'name="unsafe_why"' not in words  # only when unsafe
        assert 'name="club_story"' not in words  # only when times >= 1
        assert 'name="gang_words"' not in words  # only when gangs ticked
        answer(journey, "choices", dict(FULL["choices"], carried="no"))
        answer(journey, "more", FULL["more"])
        words = journey.get("/survey/page/words").text
        for key in ("unsafe_why", "club_story", "gang_words"):
            assert f'name="{key}"' in words

    def test_answers_to_hidden_follow_ups_are_not_stored(self, journey, db):
        for page, data in FULL.items():
            answer(journey, page, data)
        # Change the earlier answer: the follow-up page and its answer drop out.
        answer(journey, "choices", dict(FULL["choices"], carried="no"), change=True)
        check = journey.get("/survey/check").text
        assert "Why did you carry it?" not in check
        journey.post("/survey/check", data={"submission_key": submission_key(check)})
        rows = stored(db)
        assert rows["carried"] == [("no", None, None, None)]
        assert "why_carry" not in rows


class TestValidation:
    def test_bad_number_keeps_everything_typed(self, journey):
        data = dict(FULL["more"], times="lots")
        response = answer(journey, "more", data)
        assert response.status_code == 200
        html = response.text
        assert title(html).startswith("Error:")
        assert 'class="error-summary"' in html and 'href="#times"' in html
        assert "Please write a whole number using digits" in html
        assert field_value(html, "times") == "lots"
        # Every other answer on the page is still there too.
        assert checked(html, "mood") == ["happy"]
        assert checked(html, "gender") == ["self_describe"]
        assert selected(html, "what_helps-1") == "youth_clubs"
        assert selected(html, "home_area") == "north"

    @pytest.mark.parametrize(("value", "message"), [("51", "from 0 to 50"), ("-1", "from 0 to 50")])
    def test_number_out_of_range(self, journey, value, message):
        html = answer(journey, "more", {"times": value}).text
        assert message in html and field_value(html, "times") == value

    def test_text_too_long_is_kept_not_cut(self, journey):
        long = "x" * 25
        html = answer(journey, "words", {"one_word": long}).text
        assert "25 characters long" in html and "20 characters or fewer" in html
        assert field_value(html, "one_word") == long

    def test_exclusive_answer_with_others(self, journey):
        html = answer(journey, "choices", {"worries": ["nothing", "knives"]}).text
        assert "Nothing worries me" in html and "either" in html
        assert checked(html, "worries") == ["knives", "nothing"]

    def test_too_many_choices(self, journey):
        html = answer(journey, "choices", {"worries": ["knives", "gangs", "drugs", "bullying"]}).text
        assert "up to 3 answers. You chose 4" in html

    def test_ranking_twice_the_same(self, journey):
        html = answer(journey, "more", {"what_helps-1": "jobs", "what_helps-2": "jobs"}).text
        assert "more than once" in html and 'href="#what_helps-2"' in html

    def test_ranking_gap(self, journey):
        html = answer(journey, "more", {"what_helps-1": "jobs", "what_helps-3": "youth_clubs"}).text
        assert "\u201c2nd choice\u201d is empty" in html

    def test_unknown_option_is_refused(self, journey):
        html = answer(journey, "choices", {"carried": "maybe"}).text
        assert "Please choose one of the answers shown." in html

    def test_back_keeps_invalid_input_and_check_blocks_sending(self, journey, db):
        answer(journey, "choices", FULL["choices"])
        answer(journey, "follow-up", FULL["follow-up"])
        response = answer(journey, "more", dict(FULL["more"], times="lots"), action="back")
        assert response.status_code == 302 and response.location.endswith("/survey/page/follow-up")
        again = journey.get("/survey/page/more").text
        assert field_value(again, "times") == "lots" and "Please write a whole number" in again
        answer(journey, "words", {})
        check = journey.get("/survey/check")
        assert title(check.text).startswith("Error:") and "Needs fixing" in check.text
        sent = journey.post("/survey/check", data={"submission_key": submission_key(check.text)})
        assert sent.status_code == 200 and db.session.scalar(select(func.count()).select_from(Response)) == 0
        answer(journey, "more", FULL["more"])
        check = journey.get("/survey/check")
        assert journey.post("/survey/check", data={"submission_key": submission_key(check.text)}).status_code == 303
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1


class TestCheckYourAnswers:
    def test_lists_answers_with_change_links(self, client, loaded):
        html = complete(client)
        assert "Check your answers" in html
        for text in (
            "Yes",
            "Knives",
            "Very unsafe",
            "1. Youth clubs",
            "2. Jobs",
            "North Ward",
            "I describe myself in another way",
            "Indian",
            "3 times",
            "The underpass is dark",
        ):
            assert text in html, text
        assert 'href="/survey/page/choices?change=1#q-carried"' in html

    def test_change_returns_to_check_and_keeps_other_answers(self, client, loaded):
        complete(client)
        page = client.get("/survey/page/more?change=1").text
        assert checked(page, "mood") == ["happy"] and field_value(page, "times") == "3"
        response = answer(client, "more", dict(FULL["more"], mood="sad"), change=True)
        # Back at the answer just changed, not the top of a long list.
        assert response.location.endswith("/survey/check#check-mood")
        html = client.get("/survey/check").text
        assert "Sad" in html and "The underpass is dark" in html
        assert 'id="check-mood"' in html

    def test_change_that_opens_a_follow_up_goes_there_first(self, client, loaded):
        complete(client, dict(FULL, choices=dict(FULL["choices"], carried="no"), **{"follow-up": {}}))
        response = answer(client, "choices", FULL["choices"], change=True)
        assert response.location.endswith("/survey/page/follow-up?change=1")
        response = answer(client, "follow-up", FULL["follow-up"], change=True)
        assert response.location.endswith("/survey/check#check-why_carry")

    def test_back_never_loses_answers(self, journey):
        answer(journey, "choices", FULL["choices"])
        answer(journey, "follow-up", FULL["follow-up"], action="back")
        page = journey.get("/survey/page/choices").text
        assert checked(page, "carried") == ["yes"] and checked(page, "worries") == ["knives", "gangs"]
        assert checked(journey.get("/survey/page/follow-up").text, "why_carry") == ["for_protection"]


class TestSubmit:
    def test_double_submit_makes_one_response(self, client, loaded, db):
        key = submission_key(complete(client))
        first = client.post("/survey/check", data={"submission_key": key})
        second = client.post("/survey/check", data={"submission_key": key})
        assert first.status_code == second.status_code == 303
        assert second.location.endswith("/survey/thank-you")
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0

    def test_retry_from_another_tab_after_draft_is_gone(self, client, loaded, db, app):
        key = submission_key(complete(client))
        client.post("/survey/check", data={"submission_key": key})
        other = app.test_client()  # no session at all: only the key links the retry to its response
        retry = other.post("/survey/check", data={"submission_key": key})
        assert retry.status_code == 303 and retry.location.endswith("/survey/thank-you")
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1

    def test_response_is_committed_before_thank_you(self, client, loaded, app):
        key = submission_key(complete(client))
        client.post("/survey/check", data={"submission_key": key})
        # A brand-new connection sees it: it was committed, not just flushed.
        from survey_app.extensions import db as ext_db

        with ext_db.engine.connect() as connection:
            assert connection.execute(select(func.count()).select_from(Response)).scalar_one() == 1

    def test_idempotency_key_is_unique_in_the_database(self, client, loaded, db):
        from sqlalchemy.exc import IntegrityError

        key = submission_key(complete(client))
        client.post("/survey/check", data={"submission_key": key})
        original = db.session.scalar(select(Response))
        db.session.add(
            Response(
                questionnaire_version_id=original.questionnaire_version_id,
                audience="young_people",
                language="en",
                submitted_on=original.submitted_on,
                idempotency_key=key,
            )
        )
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()

    def test_thank_you_has_help_and_no_answers(self, client, loaded):
        key = submission_key(complete(client))
        client.post("/survey/check", data={"submission_key": key})
        html = client.get("/survey/thank-you").text
        assert "Childline" in html and "0800 1111" in html
        assert "The underpass is dark" not in html
        # The browser is no longer linked to anything: going back finds no answers.
        assert client.get("/survey/check").status_code == 302

    def test_stores_date_not_time(self, client, loaded, db):
        import datetime as dt

        key = submission_key(complete(client))
        client.post("/survey/check", data={"submission_key": key})
        submitted = db.session.scalar(select(Response.submitted_on))
        assert type(submitted) is dt.date


def test_pages_whose_draft_has_gone_send_people_to_start_and_say_why(client, loaded, db):
    begin(client)
    db.session.execute(delete(Draft))  # cleared after weeks untouched, say
    db.session.commit()
    for url in ("/survey/intro", "/survey/page/choices", "/survey/check"):
        response = client.get(url)
        assert response.status_code == 302 and "/start?expired=1" in response.location
    assert "We couldn't find your answers on this device" in client.get("/start?expired=1").text


def test_back_after_a_quick_exit_says_nothing_of_a_survey(client, loaded):
    begin(client)
    answer(client, "choices", {"carried": "yes", "feel_safe": "very_unsafe"})
    client.get("/exit")
    for url in ("/survey/intro", "/survey/page/choices", "/survey/check"):
        response = client.get(url)
        assert response.status_code == 302 and response.location == "/", url
        # exactly the page anyone opening the site for the first time sees
        assert client.get(response.location).text == client.application.test_client().get("/").text, url


def test_help_and_quick_exit_on_every_respondent_page(journey):
    for url in (
        "/",
        "/start",
        "/survey/intro",
        "/survey/page/choices",
        "/survey/check",
        "/help",
        "/about-your-answers",
        "/accessibility",
    ):
        html = journey.get(url).text
        # a link, or on a page of questions a button that saves the page on the way
        assert 'href="/help' in html or 'name="action" value="help"' in html, url
        assert "data-quick-exit" in html and "Leave this site quickly" in html, url


def test_respondent_pages_load_only_their_own_files(journey):
    import re

    html = journey.get("/survey/page/choices").text
    for attr in re.findall(r'(?:src|href)="([^"]+)"', html):
        if attr.startswith(("http://", "https://", "//")):
            assert "data-quick-exit" in html and attr in ("https://www.bbc.co.uk/weather",), attr
    headers = journey.get("/").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer"


def test_a_twin_submit_that_loses_the_race_still_thanks_the_respondent(client, loaded, db, app, monkeypatch):
    """The slower of two taps can look for the response just before the faster one commits, then find
    the draft already gone: it must still say thank you, not 'your answers have expired'."""
    import survey_app.respond.views as views

    key = submission_key(complete(client))
    cookie = client.get_cookie("cv_respondent")
    assert client.post("/survey/check", data={"submission_key": key}).status_code == 303  # the fast tap
    real, calls = views.response_for_key, []

    def not_yet_committed_at_first(k: str):  # type: ignore[no-untyped-def]
        calls.append(k)
        return None if len(calls) == 1 else real(k)

    monkeypatch.setattr(views, "response_for_key", not_yet_committed_at_first)
    twin = app.test_client()
    twin.set_cookie("cv_respondent", cookie.value)  # the slow tap, with the draft the fast one removed
    slow = twin.post("/survey/check", data={"submission_key": key})
    assert (slow.status_code, len(calls)) == (303, 2)
    assert "expired" not in slow.location
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_simultaneous_submits_make_one_response(client, loaded, db, app):
    """Two requests with the same key racing each other (a double tap on a slow phone)."""
    import threading

    key = submission_key(complete(client))
    cookie = client.get_cookie("cv_respondent")
    barrier = threading.Barrier(2)
    results: list[int] = []

    def send() -> None:
        twin = app.test_client()
        twin.set_cookie("cv_respondent", cookie.value)
        barrier.wait()
        with app.app_context():
            results.append(twin.post("/survey/check", data={"submission_key": key}).status_code)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == [303, 303]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_get_help_on_a_page_keeps_what_was_typed_and_leads_back_to_it(journey, db):
    typed = {"mood": "happy", "times": "3"}
    help_page = answer(journey, "more", typed, action="help", change=True)
    assert help_page.status_code == 302
    assert help_page.location == "/help?from=/survey/page/more?change%3D1"
    assert 'href="/survey/page/more?change=1"' in journey.get(help_page.location).text
    back = journey.get("/survey/page/more?change=1").text
    assert checked(back, "mood") == ["happy"] and field_value(back, "times") == "3"


def test_every_way_to_help_on_a_page_of_questions_saves_it_first(shipped_app):
    """The header's Get help, the footer's and "find someone to talk to" in a content note: each is
    a button of the page's form (a plain link left the page and lost what was ticked or typed)."""
    import re

    client = shipped_app.test_client()
    begin(client, "young-people")
    for key in ("knives", "friends"):
        html = client.get(f"/survey/page/{key}").text
        helps = re.findall(r"<(a|button)\b[^>]*>(Get help|find someone to talk to)</\1>", html)
        assert helps and all(tag == "button" for tag, _ in helps), (key, helps)
        assert len(re.findall(r'form="answers"[^>]*name="action" value="help"', html)) == len(helps)
