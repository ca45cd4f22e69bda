"""Two app servers, one PostgreSQL and one Redis: nothing a person does depends on which server answers.

Two `flask run` processes (ports 8201 and 8202) share this test's PostgreSQL database and a Redis
database. A staff member signs in half on one and half on the other and stays signed in on both;
failed sign-ins on both count against one allowance; a retraining queued on one is run by a
separate worker process and reported by the other.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from sqlalchemy import select

from survey_app.config import ROOT
from survey_app.models import CoderFile, CoderModel, CodeThrottle
from survey_app.staff.accounts.signin import PAIR_LIMIT
from survey_app.staff.free_text import coding
from tests.conftest import requires_postgres
from tests.staff.conftest import PASSWORD, World
from tests.staff.test_coding_screen import TEXTS, give_texts
from tests.test_throttle_counters import REDIS_URL, redis_reachable

requests = pytest.importorskip("requests")

PORTS = (8201, 8202)

pytestmark = [
    requires_postgres,
    pytest.mark.skipif(not redis_reachable(), reason=f"Redis not reachable at {REDIS_URL} (set TEST_REDIS_URL)"),
]


@pytest.fixture
def servers(app: Flask, tmp_path: Path) -> Iterator[dict[str, str]]:
    """Two app servers on this test's database; yields the environment they run with."""
    env = {
        **os.environ,
        "COMMUNITY_VOICE_ENV": "development",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": REDIS_URL,
        "JOBS_IN_WEB": "0",  # a separate worker runs the job, as in production
        "QUESTIONNAIRE_FOLDER": str(app.config["COMMUNITY_VOICE"].questionnaire_folder),
    }
    processes, logs = [], []
    for port in PORTS:
        logs.append((tmp_path / f"server-{port}.log").open("w"))
        command = [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--port", str(port), "--no-reload"]
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=logs[-1], stderr=subprocess.STDOUT)  # noqa: S603 - fixed command
        processes.append(server)
    try:
        for port, process in zip(PORTS, processes, strict=True):
            for _ in range(300):
                if process.poll() is not None:
                    pytest.fail(f"server on {port} stopped: {(tmp_path / f'server-{port}.log').read_text()}")
                try:
                    if requests.get(f"http://127.0.0.1:{port}/staff/login", timeout=2).status_code == 200:
                        break
                except requests.ConnectionError:
                    pass
                time.sleep(0.2)
            else:
                pytest.fail(f"server on {port} did not start")
        yield env
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=20)
        for log in logs:
            log.close()


def _url(port: int, path: str) -> str:
    return f"http://127.0.0.1:{port}{path}"


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    assert found, "no CSRF token on the page"
    return found.group(1)


def _post(browser, port: int, form_page: str, path: str, **data: str):  # type: ignore[no-untyped-def]
    token = _csrf(browser.get(_url(port, form_page)).text)
    return browser.post(_url(port, path), data={**data, "csrf_token": token}, allow_redirects=False)


def test_two_servers_share_sessions_throttles_and_jobs(app: Flask, db, world: World, servers) -> None:  # type: ignore[no-untyped-def]
    a, b = PORTS
    analyst = world.a.users["analyst"]
    email, totp = analyst.email, pyotp.TOTP(analyst.totp_secret)
    campaign_id = world.a.campaign.id

    # A session begun on one server is finished, used and ended on the other.
    browser = requests.Session()
    first = _post(browser, a, "/staff/login", "/staff/login", email=email, password=PASSWORD)
    assert first.status_code == 302 and "/staff/login/code" in first.headers["Location"]
    second = _post(browser, b, "/staff/login/code", "/staff/login/code", code=totp.now())
    assert second.status_code == 302 and second.headers["Location"].endswith("/staff/")
    assert browser.get(_url(a, "/staff/"), allow_redirects=False).status_code == 200
    assert browser.get(_url(b, "/staff/"), allow_redirects=False).status_code == 200

    # A retraining queued on one server is run by a worker process and reported on the other.
    answers = give_texts(db, world, TEXTS)
    coding.code_answers(app, campaign_id)
    truth = {TEXTS[0]: {"police"}, TEXTS[1]: {"youth_provision"}, TEXTS[2]: {"knives_weapons"}, TEXTS[3]: set()}
    for answer in answers[:22]:
        coding.record_review(campaign_id, answer.response_id, answer.question_key, truth[answer.text], analyst.id)
    db.session.commit()
    page = f"/staff/campaigns/{campaign_id}/coding"
    assert _post(browser, a, page, f"{page}/retrain").status_code == 302
    assert 'data-status="queued"' in browser.get(_url(b, page)).text
    worker = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "work", "--once"],
        cwd=ROOT,
        env=servers,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert worker.returncode == 0 and "after 1 job(s)" in worker.stdout, worker.stdout + worker.stderr
    reported = browser.get(_url(b, page)).text
    assert 'data-status="done"' in reported and "Trained coder version 1" in reported
    db.session.expire_all()
    model = db.session.scalar(select(CoderModel).where(CoderModel.campaign_id == campaign_id, CoderModel.version == 1))
    assert model is not None and db.session.get(CoderFile, model.id) is not None

    # Signing out on one server ends the session on both.
    assert _post(browser, a, "/staff/account", "/staff/logout").status_code == 302
    assert browser.get(_url(b, "/staff/"), allow_redirects=False).status_code == 302

    # Failed sign-ins on both servers count against one allowance, kept in Redis.
    viewer = world.a.users["viewer"].email
    guesser = requests.Session()
    for attempt in range(PAIR_LIMIT):
        port = PORTS[attempt % 2]
        assert _post(guesser, port, "/staff/login", "/staff/login", email=viewer, password="guess").status_code == 401
    for port in PORTS:
        refused = _post(guesser, port, "/staff/login", "/staff/login", email=viewer, password=PASSWORD)
        assert refused.status_code == 429 and "paused until" in refused.text
    db.session.expire_all()
    assert not db.session.scalars(select(CodeThrottle)).all(), "counted in Redis, not the database"
