"""Behind an HTTPS reverse proxy, with the production settings (CSRF on, secure cookies, a real key):
the whole respondent journey and the staff sign-in work, and a post from another site still fails.

The "proxy" is what nginx or Caddy sends: the browser's Host, X-Forwarded-Proto: https,
X-Forwarded-For and X-Forwarded-Host, from the proxy's own address. A browser posting a form to its
own site under our no-referrer policy sends Sec-Fetch-Site: same-origin and Origin: null, and no
Referer at all.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from survey_app import create_app
from survey_app.config import Config
from survey_app.extensions import db as _db
from survey_app.models import Partnership, Response, StaffUser
from survey_app.questionnaire_store import load_questionnaires
from tests.conftest import PG_URL, database_url, reset_postgres
from tests.journey_helpers import FULL, open_a_campaign_if_none_is
from tests.staff.conftest import PASSWORD, password_hash

HOST = "survey.example.org"
CLIENT_ADDRESS = "198.51.100.23"
PROXY_ADDRESS = "10.0.0.2"
#: what the proxy adds to every request it passes on
FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-For": CLIENT_ADDRESS, "X-Forwarded-Host": HOST}
#: what a current browser adds to a form post to the page's own site, with Referrer-Policy: no-referrer
SAME_SITE_POST = {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate", "Origin": "null"}


def production_like(tmp_path: Path, questionnaire_folder: Path) -> Config:
    """Production as deployed: CSRF on, secure cookies, a real key, one proxy in front."""
    config = Config.from_env(
        {
            "COMMUNITY_VOICE_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": database_url(tmp_path),
            "QUESTIONNAIRE_FOLDER": str(questionnaire_folder),
            "TRUSTED_PROXY_HOPS": "1",
            "TRUSTED_HOSTS": HOST,
            # The duplicate guard's minimum time on the check page is tested on its own.
            "MIN_SECONDS_ON_CHECK": "0",
        }
    )
    assert config.csrf_enabled and config.secure_cookies and not config.is_development
    return config


@pytest.fixture
def proxied(tmp_path: Path, questionnaire_folder: Path, _postgres_schema: None) -> Iterator[Flask]:
    """The production-like app on an empty database with the test questionnaires loaded."""
    folder = questionnaire_folder
    app = create_app(production_like(tmp_path, folder))
    if PG_URL:
        reset_postgres(app)
    with app.app_context():
        if not PG_URL:
            _db.create_all()
        load_questionnaires(folder)
        _db.session.commit()
        yield app
        _db.session.remove()
        _db.engine.dispose()


class Browser:
    """A test client that reaches the app only through the proxy, the way a browser would."""

    def __init__(self, app: Flask, scheme: str) -> None:
        # scheme "http": the proxy talks plain HTTP to the app and ProxyFix believes its headers;
        # scheme "https": gunicorn has already believed X-Forwarded-Proto from a local proxy.
        self.client: FlaskClient = app.test_client()
        self.client.environ_base.update({"REMOTE_ADDR": PROXY_ADDRESS})
        self.base_url = f"{scheme}://{HOST}"

    def get(self, path: str) -> TestResponse:
        """Follow a link or type an address."""
        return self.client.get(path, base_url=self.base_url, headers={**FORWARDED, "Sec-Fetch-Site": "none"})

    def post(self, path: str, data: dict, headers: dict | None = None) -> TestResponse:
        """Send a form, with the headers the browser adds for the site it came from."""
        return self.client.post(
            path, base_url=self.base_url, data=data, headers={**FORWARDED, **(headers or SAME_SITE_POST)}
        )

    def form(self, path: str) -> dict[str, str]:
        """The hidden fields of the page's form (the CSRF token among them)."""
        page = self.get(path)
        assert page.status_code == 200, (path, page.status_code)
        assert_secure_page(page)
        return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))


def assert_secure_page(response: TestResponse) -> None:
    """What every page behind the HTTPS proxy carries."""
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    for cookie in response.headers.getlist("Set-Cookie"):
        assert "Secure" in cookie and "HttpOnly" in cookie, cookie


def location(response: TestResponse) -> str:
    """Where a redirect goes, as the browser would see it."""
    assert response.status_code in (302, 303), (response.status_code, response.text[:500])
    assert response.location.startswith(("/", f"https://{HOST}/")), "redirects stay on the HTTPS site"
    return response.location.removeprefix(f"https://{HOST}")


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_whole_journey_through_an_https_proxy(proxied: Flask, scheme: str) -> None:
    open_a_campaign_if_none_is()
    browser = Browser(proxied, scheme)
    landing = browser.get("/")
    assert landing.status_code == 200
    assert_secure_page(landing)

    started = browser.post("/start", {**browser.form("/start"), "questionnaire": "all-types"})
    assert location(started) == "/survey/intro"
    assert browser.get("/survey/intro").status_code == 200
    for page, answers in FULL.items():
        path = f"/survey/page/{page}"
        sent = browser.post(path, {**browser.form(path), **answers, "action": "continue"})
        location(sent)
    check = browser.form("/survey/check")
    assert "submission_key" in check and "csrf_token" in check
    thanks = location(browser.post("/survey/check", check))
    assert thanks == "/survey/thank-you"
    assert browser.get(thanks).status_code == 200
    assert _db.session.scalar(select(Response.id)) is not None, "the answers were stored"


def test_posts_from_another_site_still_fail_behind_the_proxy(proxied: Flask) -> None:
    open_a_campaign_if_none_is()
    browser = Browser(proxied, "http")
    start = browser.form("/start")
    assert browser.post("/start", {"questionnaire": "all-types"}).status_code == 400, "no token, no entry"
    for headers in (
        {"Sec-Fetch-Site": "cross-site", "Origin": "null"},
        {"Sec-Fetch-Site": "same-site", "Origin": "https://other.example.org"},
        {"Origin": "https://attacker.example"},  # a browser without Sec-Fetch-Site
    ):
        refused = browser.post("/start", {**start, "questionnaire": "all-types"}, headers=headers)
        assert refused.status_code == 400, headers
    assert browser.post("/start", {**start, "questionnaire": "all-types"}).status_code == 302


def test_the_client_address_from_the_proxy_is_kept_nowhere(proxied: Flask) -> None:
    open_a_campaign_if_none_is()
    browser = Browser(proxied, "http")
    browser.post("/start", {**browser.form("/start"), "questionnaire": "all-types"})
    cookie = browser.client.get_cookie(proxied.config["SESSION_COOKIE_NAME"], domain=HOST)
    assert cookie is not None
    session = proxied.session_interface.get_signing_serializer(proxied).loads(cookie.value)  # type: ignore[attr-defined]
    assert CLIENT_ADDRESS not in repr(session)
    stored = "\n".join(repr(row) for table in _db.metadata.sorted_tables for row in _db.session.execute(select(table)))
    assert CLIENT_ADDRESS not in stored


def test_staff_sign_in_through_the_same_proxy(proxied: Flask) -> None:
    partnership = Partnership(name="Proxyton Partnership", area_code="E08000009")
    _db.session.add(partnership)
    _db.session.flush()
    user = StaffUser(
        email="analyst@proxyton.example",
        display_name="Analyst",
        role="analyst",
        partnership_id=partnership.id,
        password_hash=password_hash(),
        totp_secret=pyotp.random_base32(),
        created_on=dt.date.today(),
    )
    _db.session.add(user)
    _db.session.commit()

    browser = Browser(proxied, "http")
    first = browser.post("/staff/login", {**browser.form("/staff/login"), "email": user.email, "password": PASSWORD})
    assert location(first) == "/staff/login/code"
    code = pyotp.TOTP(user.totp_secret).now()
    second = browser.post("/staff/login/code", {**browser.form("/staff/login/code"), "code": code})
    assert location(second) == "/staff/"
    home = browser.get("/staff/")
    assert home.status_code == 200 and "Sign out" in home.text
    assert_secure_page(home)
    # The staff cookie, like the respondent's, is only ever sent over HTTPS.
    staff_cookies = [c for c in second.headers.getlist("Set-Cookie") if c.startswith("cv_staff=")]
    assert staff_cookies and all("Secure" in c for c in staff_cookies)


def test_a_request_for_another_host_is_refused(proxied: Flask) -> None:
    browser = Browser(proxied, "http")
    assert browser.get("/").status_code == 200
    forged = browser.client.get(
        "/", base_url="http://attacker.example", headers={**FORWARDED, "X-Forwarded-Host": "attacker.example"}
    )
    assert forged.status_code == 400
