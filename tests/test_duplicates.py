"""The duplicate guard: a honeypot, a minimum time on the check page measured with a signed
token in the form, and a per-browser limit; none of it identifies anyone or looks at IP addresses."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from survey_app.campaigns import guard
from survey_app.models import Draft, Response
from tests.journey_helpers import answer, begin, checked
from tests.reach_helpers import hidden, send_check


def responses(db) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(Response))


@pytest.fixture
def timed(app, loaded):  # type: ignore[no-untyped-def]
    """The check page must be on screen for 3 seconds, as in production."""
    app.config["MIN_SECONDS_ON_CHECK"] = 3
    return app


def test_a_filled_honeypot_is_thanked_and_nothing_is_kept(client, loaded, db):
    begin(client)
    response = send_check(client, website="http://spam.example")
    assert response.status_code == 303 and response.location.endswith("/survey/thank-you")
    assert responses(db) == 0


def test_the_honeypot_is_hidden_from_people(client, loaded):
    begin(client)
    html = client.get("/survey/check").text
    assert 'name="website"' in html and 'tabindex="-1"' in html and 'aria-hidden="true"' in html


def test_sending_the_instant_the_page_appears_is_held_kindly_with_everything_kept(timed, client, db):
    begin(client)
    answer(client, "choices", {"carried": "no"})
    held = send_check(client)
    assert held.status_code == 200 and "check your answers, then press the button again" in held.text
    assert responses(db) == 0
    assert checked(client.get("/survey/page/choices").text, "carried") == ["no"]


def test_a_person_who_spent_a_few_seconds_on_the_page_is_accepted(timed, client, db):
    begin(client)
    draft = db.session.scalars(select(Draft)).one()
    shown = guard.page_token(draft, shown_at=time.time() - 10)
    assert send_check(client, shown=shown).status_code == 303
    assert responses(db) == 1


def test_a_forged_or_borrowed_token_does_not_pass(timed, app, client, db):
    begin(client)
    other = app.test_client()
    begin(other)
    my_key = hidden(client.get("/survey/check").text, "submission_key")
    theirs = next(d for d in db.session.scalars(select(Draft)) if d.submission_key != my_key)
    old_theirs = guard.page_token(theirs, shown_at=time.time() - 60)
    assert send_check(client, shown=old_theirs).status_code == 200
    assert send_check(client, shown="forged.token").status_code == 200
    assert responses(db) == 0


def test_the_token_keeps_no_time_in_the_database(timed, client, db):
    begin(client)
    html = client.get("/survey/check").text
    token = hidden(html, guard.SHOWN_FIELD)
    assert token
    assert db.session.scalars(select(Draft)).one().pending == {}


def test_one_browser_can_send_only_a_few_sets_of_answers(app, loaded, client, db):
    app.config["SENDS_PER_BROWSER"] = 2
    for _ in range(2):
        begin(client)
        assert send_check(client).status_code == 303
    # The next person is told before answering anything, in words a child can follow, not stopped at Send.
    page = client.get("/start")
    assert page.status_code == 200 and "This device has already sent lots of answers" in page.text
    assert "ask a grown-up to close this browser and open it again" in page.text
    drafts = db.session.scalar(select(func.count()).select_from(Draft))
    assert client.post("/start", data={"questionnaire": "all-types"}).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Draft)) == drafts, "no draft to be stopped later"
    assert responses(db) == 2
    # Another browser on the same network is unaffected.
    other = app.test_client()
    begin(other)
    assert send_check(other).status_code == 303


def test_back_on_the_check_page_after_a_change_the_wait_is_not_asked_again(timed, client, db, monkeypatch):
    """A child who checked everything, changed one answer and pressed Send was told to take a moment."""
    begin(client)
    answer(client, "choices", {"carried": "no"})
    first = hidden(client.get("/survey/check").text, guard.SHOWN_FIELD)
    later = time.time() + 10
    monkeypatch.setattr(guard.time, "time", lambda: later)  # ten seconds on the check page
    answer(client, "choices", {"carried": "yes"})  # a Change, and back
    again = hidden(client.get("/survey/check").text, guard.SHOWN_FIELD)
    assert again == first, "the token still says when the check page was first shown"
    assert send_check(client, shown=again).status_code == 303
    assert responses(db) == 1
    # Sending at once after the page first appears is still held.
    begin(client)
    assert send_check(client).status_code == 200
