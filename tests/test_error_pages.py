"""A respondent who meets an error keeps the quick exit and the help link, in their language."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import TemplateNotFound


def _ways_out(page_text: str) -> None:
    assert 'href="/exit"' in page_text and "Leave this site quickly" in page_text
    assert 'href="/help' in page_text and "Get help" in page_text


def test_a_missing_respondent_page_says_so_kindly_with_the_ways_out(client: FlaskClient, loaded) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/survey/no-such-page/at-all")
    assert page.status_code == 404
    assert "We can't find that page" in page.text
    _ways_out(page.text)


def test_a_missing_staff_page_gets_the_workspace_page_not_the_respondent_one(client: FlaskClient) -> None:
    page = client.get("/staff/no-such-thing")
    assert page.status_code == 404
    assert "Page not found" in page.text and "Leave this site quickly" not in page.text


@pytest.fixture
def failing_app(app: Flask) -> Flask:
    """The app with a respondent address and a staff address that fail, and errors not re-raised."""

    def broken() -> str:
        raise RuntimeError("a bug")

    app.add_url_rule("/broken-for-test", view_func=broken)
    app.add_url_rule("/staff/broken-for-test", endpoint="staff_broken", view_func=broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the 500 page is drawn
    return app


def test_a_server_error_on_a_respondent_page_keeps_quick_exit_and_help(failing_app: Flask) -> None:
    page = failing_app.test_client().get("/broken-for-test")
    assert page.status_code == 500
    assert "Something went wrong" in page.text and "not yours" in page.text
    _ways_out(page.text)
    assert "a bug" not in page.text and "Traceback" not in page.text


def test_a_server_error_keeps_the_ways_out_even_when_the_page_cannot_be_drawn(
    failing_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_templates(*args: object, **kwargs: object) -> str:
        raise TemplateNotFound("respond/base.html")

    monkeypatch.setattr("survey_app.errors.render_template", no_templates)
    page = failing_app.test_client().get("/broken-for-test")
    assert page.status_code == 500
    _ways_out(page.text)
    staff = failing_app.test_client().get("/staff/broken-for-test")
    assert staff.status_code == 500 and "Leave this site quickly" in staff.text


def test_a_server_error_page_is_in_the_respondents_language(failing_app: Flask) -> None:
    english = failing_app.test_client().get("/broken-for-test").text
    arabic = failing_app.test_client().get("/broken-for-test?lang=ar").text
    assert 'dir="rtl"' in arabic and "Leave this site quickly" not in arabic
    assert english != arabic
