"""Work a respondent request does once, not again and again.

A class answering at once puts every page of every pupil through the same few views, so work
repeated inside a request (reading the draft back after saving it, translating the questionnaire,
looking up the catalogue for each of a page's words) is what limits how many pupils one server
serves. These tests hold the savings; the words and the stored answers stay exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from survey_app.extensions import db
from survey_app.models import Draft
from survey_app.respond import wording
from tests.journey_helpers import answer, begin


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement the app sends while the test runs."""
    sent: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    yield sent
    event.remove(engine, "before_cursor_execute", record)


def _draft_reads(sent: list[str]) -> list[str]:
    return [s for s in sent if s.lstrip().upper().startswith("SELECT") and "FROM draft" in s]


def test_saving_a_page_reads_the_draft_once(
    client: FlaskClient, loaded: Callable[[], None], statements: list[str]
) -> None:
    begin(client)
    statements.clear()
    saved = answer(client, "choices", {"carried": "yes", "feel_safe": "very_unsafe"})
    assert saved.status_code == 302
    assert saved.location.endswith("/survey/page/follow-up")  # the follow-up the answer opened
    assert len(_draft_reads(statements)) == 1, _draft_reads(statements)
    # ...and the page was saved before the reply: another session finds the answers.
    with Session(db.engine) as other:
        (draft,) = other.query(Draft).all()
        assert draft.answers["carried"] == {"values": ["yes"]}


def test_a_page_with_a_mistake_is_saved_and_shown_again_reading_the_draft_once(
    client: FlaskClient, loaded: Callable[[], None], statements: list[str]
) -> None:
    begin(client)
    statements.clear()
    page = answer(client, "more", {"times": "lots"})
    assert page.status_code == 200 and 'aria-invalid="true"' in page.text and 'value="lots"' in page.text
    assert len(_draft_reads(statements)) == 1, _draft_reads(statements)


def test_each_language_translates_a_questionnaire_once(
    client: FlaskClient, loaded: Callable[[], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wording, "_TRANSLATED", {})
    calls: list[str] = []
    translate = wording.translate

    def counting(questionnaire: Any, words: Any) -> Any:
        calls.append(questionnaire.id)
        return translate(questionnaire, words)

    monkeypatch.setattr(wording, "translate", counting)
    begin(client)
    for lang in ("pl", "ur", "pl", "ur"):
        assert client.get(f"/survey/intro?lang={lang}").status_code == 200
        assert client.get("/survey/page/choices").status_code == 200
    assert calls == ["all-types", "all-types"]  # Polish once, Urdu once
    assert client.get("/survey/intro?lang=en").status_code == 200
    assert len(calls) == 2  # English is the questionnaire itself


@pytest.mark.parametrize("lang", ["en", "pl", "ur", "ar"])
def test_template_words_are_those_flask_babel_gives(app: Flask, lang: str) -> None:
    """The per-language `_()` gives exactly what Flask-Babel's would: translation, escaping, "%%"."""
    source = (
        '{{ _("Get help") }}|{{ _("You can write up to %(n)s characters.", n="<b>1,000</b>") }}'
        '|{{ _("Choose up to %(n)s.", n=3) }}|{{ _("Leave this site quickly") }}'
    )
    with app.test_request_context(f"/?lang={lang}"):
        ours = render_template_string(source)  # context processors: the per-language gettext
        babels = app.jinja_env.from_string(source).render()  # the environment's own (Flask-Babel)
        again = render_template_string(source)  # the remembered words
    assert ours == babels == again
    assert "&lt;b&gt;1,000&lt;/b&gt;" in ours
    if lang != "en":
        assert "Get help" not in ours
