"""Save and come back later with a few easy words: right, wrong and expired codes, limited
tries without knowing who is trying, and only a keyed hash stored."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import String, Text, func, select

from survey_app.campaigns import resume
from survey_app.extensions import db as _db
from survey_app.models import Campaign, Draft, ResumeCode
from tests.journey_helpers import answer, begin, checked, field_value
from tests.reach_helpers import make_campaign, send_check


def save(client, page: str = "choices", data: dict | None = None) -> str:  # type: ignore[no-untyped-def]
    """Save on a page (posting what is on it) and return the words shown."""
    data = data if data is not None else {"carried": "no", "feel_safe": "fairly_safe"}
    response = client.post(f"/survey/save?page={page}", data=data)
    assert response.status_code == 200, response.text[:500]
    match = re.search(r"data-resume-words><strong>([a-z ]+)</strong>", response.text)
    assert match, "no resume words shown"
    return match.group(1)


@pytest.fixture
def saved(app, loaded, client):  # type: ignore[no-untyped-def]
    """A campaign, and a browser that answered the first page and saved: returns the words."""
    make_campaign(["all-types"])
    begin(client)
    return save(client)


def every_text_in_the_database() -> str:
    chunks = []
    for table in _db.metadata.sorted_tables:
        cols = [c for c in table.columns if isinstance(c.type, String | Text)]
        for row in _db.session.execute(select(*cols)) if cols else []:
            chunks.extend(str(v) for v in row if v is not None)
    return "\n".join(chunks)


def test_saving_shows_easy_words_once_and_stores_only_a_keyed_hash(saved, client, db):
    words = saved.split()
    assert len(words) == resume.WORDS_IN_CODE and all(w.isalpha() and w.islower() for w in words)
    stored = every_text_in_the_database()
    assert saved not in stored and " ".join(words[:2]) not in stored
    assert db.session.scalar(select(func.count()).select_from(ResumeCode)) == 1
    # This browser no longer carries on by itself: the words are the way back.
    assert client.get("/survey/check").status_code == 302


def test_the_right_words_reopen_the_answers_on_another_device(saved, app, db):
    other = app.test_client()
    typed = "  " + ", ".join(w.capitalize() for w in saved.split()) + "."
    response = other.post("/resume", data={"code": typed})
    assert response.status_code == 302 and "/survey/page/" in response.location
    page = other.get("/survey/page/choices").text
    assert checked(page, "carried") == ["no"] and checked(page, "feel_safe") == ["fairly_safe"]
    assert send_check(other).status_code == 303
    # Sent: the code has gone with the draft.
    assert db.session.scalar(select(func.count()).select_from(ResumeCode)) == 0
    again = app.test_client().post("/resume", data={"code": saved})
    assert "find those words" in again.text


def test_typed_but_invalid_input_on_the_page_is_kept_when_saving(app, loaded, client):
    make_campaign(["all-types"])
    begin(client)
    answer(client, "choices", {"carried": "yes"})
    words = save(client, "more", {"times": "lots", "mood": "happy"})
    other = app.test_client()
    other.post("/resume", data={"code": words})
    assert field_value(other.get("/survey/page/more").text, "times") == "lots"


def test_wrong_words_say_how_many_tries_are_left_then_stop(saved, app):
    guesser = app.test_client()
    first = guesser.post("/resume", data={"code": "apple river tiger moon"})
    assert "find those words" in first.text and "4 more tries" in first.text
    for _ in range(resume.TRIES_PER_BROWSER - 1):
        guesser.post("/resume", data={"code": "apple river tiger moon"})
    blocked = guesser.post("/resume", data={"code": saved})  # even the right code, from this browser
    assert "too many tries" in blocked.text and blocked.status_code == 200
    assert app.test_client().post("/resume", data={"code": saved}).status_code == 302


def test_guessing_across_many_browsers_is_slowed_by_first_word_not_by_address(saved, app):
    first = saved.split()[0]
    for n in range(resume.BUCKET_LIMIT):
        app.test_client().post("/resume", data={"code": f"{first} zebra zebra zebra" if n % 2 else f"{first} x"})
    busy = app.test_client().post("/resume", data={"code": saved})
    assert "right now" in busy.text  # this first word's bucket is full for the hour
    other_word = "yacht" if first != "yacht" else "zebra"
    assert "find those words" in app.test_client().post("/resume", data={"code": f"{other_word} a b c"}).text


def test_an_expired_code_says_the_survey_has_closed(saved, app, db):
    campaign = db.session.scalars(select(Campaign)).one()
    campaign.opens_on = dt.date.today() - dt.timedelta(days=60)
    campaign.closes_on = dt.date.today() - dt.timedelta(days=1)
    db.session.commit()
    response = app.test_client().post("/resume", data={"code": saved})
    assert "no longer works because the survey closed on" in response.text
    assert campaign.closes_on.strftime("%-d %B %Y") in response.text


def test_a_code_works_until_the_campaign_closes(saved, db):
    code = db.session.scalars(select(ResumeCode)).one()
    assert code.expires_on == db.session.scalars(select(Campaign)).one().closes_on


def test_saving_again_replaces_the_old_words(saved, app, db):
    device = app.test_client()
    device.post("/resume", data={"code": saved})
    newer = save(device)
    assert newer != saved
    assert "find those words" in app.test_client().post("/resume", data={"code": saved}).text
    assert app.test_client().post("/resume", data={"code": newer}).status_code == 302


def test_purging_old_drafts_keeps_answers_saved_with_a_live_code(saved, app, db, runner):
    begin(app.test_client())  # a second, unsaved draft
    for draft in db.session.scalars(select(Draft)):
        draft.active_on = dt.date.today() - dt.timedelta(days=90)
    db.session.commit()
    result = runner.invoke(args=["drafts", "purge"])
    assert "Removed 1 " in result.output
    assert app.test_client().post("/resume", data={"code": saved}).status_code == 302
