"""Control characters and arbitrary text at the edge: a kind page or cleaned words, never a server error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from survey_app.models import Response
from tests.journey_helpers import FULL, answer, begin, complete
from tests.reach_helpers import send_check

#: Control characters people never type but programs and attackers send; NUL is the one PostgreSQL refuses.
CONTROLS = "\x00\x01\x08\x0b\x0c\x1b\x1f\x7f"
#: Any text a browser could send: every code point but surrogates (UTF-8 cannot carry them), with
#: control characters and line breaks made likely, up to the longest free-text field (2,000).
ANY_TEXT = st.one_of(
    st.text(st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from(CONTROLS + "\t\r\n")), max_size=80),
    st.integers(min_value=1, max_value=2000).map(lambda n: ("\x00a\u00e9\U0001f600 " * n)[:n]),
)
#: Each public form and the fields it reads (page forms get every field of their page).
FORMS = {
    "/start": ["questionnaire", "audience", "lang"],
    "/code": ["code"],
    "/resume": ["code", "phrase"],
    "/survey/check": ["submission_key", "website"],
}
SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def test_a_nul_in_free_text_is_dropped_and_the_answers_can_be_sent(client, loaded, db):
    loaded()
    words = {**FULL["words"], "unsafe_why": "The under\x00pass is\x0b dark\r\nat night"}
    complete(client, {**FULL, "words": words})
    sent = send_check(client)
    assert sent.location.endswith("/survey/thank-you"), sent.text[:1000]
    texts = {a.text for r in db.session.scalars(select(Response)) for a in r.answers if a.text}
    assert "The underpass is dark\r\nat night" in texts or "The underpass is dark\nat night" in texts


@pytest.mark.parametrize("address", ["/kiosk/%00", "/c/ab%01cd", "/p/%1b", "/?lang=%00", "/resume?code=%00"])
def test_an_address_with_control_characters_gets_a_kind_page_with_quick_exit_and_help(client, loaded, address):
    loaded()
    page = client.get(address)
    assert page.status_code == 400
    assert "That link isn't quite right" in page.text
    assert 'href="/exit"' in page.text and "Get help" in page.text


def test_a_staff_address_with_control_characters_is_refused_plainly(client):
    page = client.get("/staff/login?next=%00")
    assert page.status_code == 400
    assert "That address isn&#39;t right" in page.text


@SETTINGS
@given(path=st.sampled_from(sorted(FORMS)), value=ANY_TEXT)
def test_every_public_form_takes_any_text_without_a_server_error(client, loaded, path, value):
    loaded()
    reply = client.post(path, data=dict.fromkeys(FORMS[path], value))
    assert reply.status_code < 500, reply.text[:1000]
    assert client.get(path.split("?")[0] if path != "/survey/check" else "/").status_code < 500


@SETTINGS
@given(page=st.sampled_from(sorted(FULL)), value=ANY_TEXT)
def test_every_survey_page_takes_any_text_in_every_field_without_a_server_error(client, loaded, page, value):
    loaded()
    begin(client)
    reply = answer(client, page, dict.fromkeys(FULL[page], value))
    assert reply.status_code < 500, reply.text[:1000]
    assert client.get(f"/survey/page/{page}").status_code < 500
    assert client.get("/survey/check").status_code < 500


@SETTINGS
@given(value=ANY_TEXT)
def test_any_text_in_the_address_gets_no_server_error(client, loaded, value):
    loaded()
    for address in ("/kiosk/{}", "/c/{}", "/p/{}", "/survey/page/{}", "/?lang={}"):
        assert client.get(address.format(value.replace("/", "").replace("?", "").replace("#", ""))).status_code < 500
