"""Signing in: two factors, throttling by account and address, revocation, timeouts, password rules, cookies."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from survey_app.models import AuditEvent, CodeThrottle, StaffSession
from survey_app.staff.accounts.passwords import password_problems
from survey_app.staff.accounts.sessions import COOKIE
from survey_app.staff.accounts.signin import ACCOUNT_SLOW_AFTER, PAIR_LIMIT, PAIR_LIMIT_UNDER_ATTACK
from tests.staff.conftest import PASSWORD, World


def _password_step(client, email: str, password: str = PASSWORD, **kwargs):  # type: ignore[no-untyped-def]
    return client.post("/staff/login", data={"email": email, "password": password}, **kwargs)


def _staff_cookie(response) -> str:  # type: ignore[no-untyped-def]
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{COOKIE}=")]
    assert headers, "no staff cookie set"
    return headers[-1]


def _actions(db) -> list[str]:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_two_steps_sign_in_with_only_the_staff_cookie(app, db, world: World, fake_clock):
    user = world.a.users["analyst"]
    client = app.test_client()
    first = _password_step(client, user.email)
    assert first.status_code == 302 and first.location.startswith("/staff/login/code")
    assert client.get("/staff/").status_code == 302, "a password alone must not open the workspace"
    second = client.post("/staff/login/code", data={"code": fake_clock.code(user)})
    assert second.status_code == 302 and second.location == "/staff/"
    cookie = _staff_cookie(second)
    assert "Path=/staff" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Expires" not in cookie, "the staff cookie ends with the browser; the server enforces timeouts"
    assert not any(h.startswith("cv_respondent=") for h in second.headers.getlist("Set-Cookie"))
    assert client.get("/staff/").status_code == 200
    assert "login" in _actions(db)


def test_the_session_id_changes_at_sign_in(app, db, world: World, fake_clock):
    user = world.a.users["viewer"]
    client = app.test_client()
    client.get("/staff/login")  # a CSRF-bearing session may exist before sign-in
    before = client.get_cookie(COOKIE, path="/staff")
    _password_step(client, user.email)
    client.post("/staff/login/code", data={"code": fake_clock.code(user)})
    after = client.get_cookie(COOKIE, path="/staff")
    assert after is not None and (before is None or before.value != after.value)


def test_wrong_password_and_unknown_address_get_the_same_answer(app, db, world: World):
    client = app.test_client()
    wrong = _password_step(client, world.a.users["viewer"].email, "not the password at all")
    unknown = _password_step(client, "nobody@nowhere.example", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    message = "That email address and password do not match an account."
    assert message in wrong.text and message in unknown.text
    assert _actions(db).count("login_failed") == 2


def _from(address: str) -> dict[str, str]:
    return {"REMOTE_ADDR": address}


def test_ten_attempts_an_hour_from_one_address_then_a_pause(app, db, world: World, fake_clock):
    user = world.a.users["analyst"]
    client = app.test_client()
    here = _from("198.51.100.7")
    for _ in range(PAIR_LIMIT):
        assert _password_step(client, user.email, "wrong wrong wrong", environ_base=here).status_code == 401
    assert "login_locked" in _actions(db)
    # Even the right password is not checked now: the attempt is refused before any check.
    paused = _password_step(client, user.email, environ_base=here)
    assert paused.status_code == 429 and "paused until" in paused.text
    assert _actions(db).count("login_failed") == PAIR_LIMIT
    fake_clock.advance(hours=1)
    assert _password_step(client, user.email, environ_base=here).status_code == 302, "the pause lifts next hour"


def test_someone_elsewhere_cannot_lock_the_owner_out(app, db, world: World, fake_clock):
    user = world.a.users["analyst"]
    attacker = app.test_client()
    for _ in range(PAIR_LIMIT + 5):
        _password_step(attacker, user.email, "guess guess guess", environ_base=_from("203.0.113.50"))
    assert _password_step(attacker, user.email, environ_base=_from("203.0.113.50")).status_code == 429
    owner = app.test_client()
    assert _password_step(owner, user.email, environ_base=_from("198.51.100.7")).status_code == 302
    assert owner.post("/staff/login/code", data={"code": fake_clock.code(user)}).status_code == 302


def test_an_account_under_attack_from_many_addresses_is_slowed_not_locked(app, db, world: World, fake_clock):
    user = world.a.users["analyst"]
    attackers = [f"203.0.113.{n}" for n in range(1, ACCOUNT_SLOW_AFTER // PAIR_LIMIT + 1)]
    for address in attackers:
        client = app.test_client()
        for _ in range(PAIR_LIMIT):
            _password_step(client, user.email, "guess guess guess", environ_base=_from(address))
    assert "login_account_under_attack" in _actions(db)
    # A fresh address now gets only a few attempts an hour...
    another = app.test_client()
    for _ in range(PAIR_LIMIT_UNDER_ATTACK):
        assert _password_step(another, user.email, "guess", environ_base=_from("192.0.2.99")).status_code == 401
    assert _password_step(another, user.email, "guess", environ_base=_from("192.0.2.99")).status_code == 429
    # ...and the owner, from their own, still signs in with both factors.
    owner = app.test_client()
    assert _password_step(owner, user.email, environ_base=_from("198.51.100.7")).status_code == 302
    assert owner.post("/staff/login/code", data={"code": fake_clock.code(user)}).status_code == 302


def test_unknown_addresses_are_throttled_alike(app, db, world: World, fake_clock):
    client = app.test_client()
    for _ in range(PAIR_LIMIT):
        assert _password_step(client, "nobody@nowhere.example", "guess guess guess").status_code == 401
    assert _password_step(client, "nobody@nowhere.example", "guess guess guess").status_code == 429


def test_concurrent_attempts_never_check_more_than_the_allowance(app, db, world: World):
    """Twenty wrong passwords at once from one address: exactly ten are checked, the rest refused."""
    email = world.a.users["viewer"].email
    barrier = threading.Barrier(4)

    def attempts(_: int) -> list[int]:
        client = app.test_client()
        barrier.wait()
        return [_password_step(client, email, "wrong wrong wrong").status_code for _ in range(5)]

    with ThreadPoolExecutor(4) as pool:
        codes = [code for batch in pool.map(attempts, range(4)) for code in batch]
    assert sorted(codes) == [401] * PAIR_LIMIT + [429] * (20 - PAIR_LIMIT)
    assert _actions(db).count("login_failed") == PAIR_LIMIT


def test_the_throttle_keeps_no_client_address(app, db, world: World, caplog):
    user = world.a.users["viewer"]
    client = app.test_client()
    for _ in range(3):
        _password_step(client, user.email, "wrong wrong wrong", environ_base=_from("203.0.113.77"))
    stored = " ".join(f"{row.bucket}" for row in db.session.scalars(select(CodeThrottle)))
    assert stored and "203.0.113.77" not in stored and user.email not in stored
    assert "203.0.113.77" not in caplog.text


def test_wrong_and_replayed_codes_are_refused(app, db, world: World, fake_clock):
    user = world.a.users["analyst"]
    client = app.test_client()
    _password_step(client, user.email)
    assert client.post("/staff/login/code", data={"code": "000000"}).status_code == 401
    assert client.post("/staff/login/code", data={"code": fake_clock.code(user, -3)}).status_code == 401
    code = fake_clock.code(user)
    assert client.post("/staff/login/code", data={"code": code}).status_code == 302
    client.post("/staff/logout")
    other = app.test_client()
    _password_step(other, user.email)
    replay = other.post("/staff/login/code", data={"code": code})
    assert replay.status_code == 401, "a code that has been used must not work again"
    fake_clock.advance(seconds=30)
    assert other.post("/staff/login/code", data={"code": fake_clock.code(user)}).status_code == 302


def test_a_wrong_code_is_reported_at_the_field_it_was_typed_in(app, db, world: World, fake_clock):
    user = world.a.users["analyst"]
    client = app.test_client()
    _password_step(client, user.email)
    wrong = client.post("/staff/login/code", data={"code": "000000", "next": "/staff/coding"})
    assert wrong.status_code == 401
    assert 'id="code-error"' in wrong.text and 'aria-describedby="code-error"' in wrong.text
    assert "That code didn&#39;t work" in wrong.text
    assert 'name="next" value="/staff/coding"' in wrong.text, "where to go next survives a wrong code"
    recovery = client.post("/staff/login/code", data={"recovery_code": "not-a-code"})
    assert recovery.status_code == 401 and 'id="recovery_code-error"' in recovery.text
    assert 'id="code-error"' not in recovery.text


def test_second_step_must_follow_soon(app, db, world: World, fake_clock):
    user = world.a.users["analyst"]
    client = app.test_client()
    _password_step(client, user.email)
    fake_clock.advance(minutes=6)
    late = client.post("/staff/login/code", data={"code": fake_clock.code(user)})
    assert late.status_code == 302 and late.location == "/staff/login"


def test_first_sign_in_sets_up_the_authenticator_and_gives_recovery_codes(app, db, world: World, fake_clock):
    import pyotp

    user = world.a.users["viewer"]
    user.totp_secret = None
    db.session.commit()
    client = app.test_client()
    assert _password_step(client, user.email).location == "/staff/login/setup-authenticator"
    page = client.get("/staff/login/setup-authenticator").text
    secret = re.search(r'<p class="secret"><code>([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    assert "otpauth://totp/" in page
    assert client.post("/staff/login/setup-authenticator", data={"code": "123456"}).status_code == 400
    done = client.post(
        "/staff/login/setup-authenticator",
        data={"code": pyotp.TOTP(secret).at(fake_clock.now.replace(tzinfo=__import__("datetime").UTC))},
    )
    assert done.status_code == 200 and "Your recovery codes" in done.text
    codes = re.findall(r"<li><code>([0-9a-f]{8}-[0-9a-f]{8})</code></li>", done.text)
    assert len(codes) == 10
    assert client.get("/staff/").status_code == 200
    db.session.expire_all()
    assert user.totp_secret == secret
    # A recovery code signs in once, and only once.
    client.post("/staff/logout")
    second = app.test_client()
    _password_step(second, user.email)
    assert second.post("/staff/login/code", data={"recovery_code": codes[0]}).status_code == 302
    second.post("/staff/logout")
    third = app.test_client()
    _password_step(third, user.email)
    assert third.post("/staff/login/code", data={"recovery_code": codes[0]}).status_code == 401
    assert third.post("/staff/login/code", data={"recovery_code": codes[1].upper()}).status_code == 302


def test_sign_out_revokes_the_session_everywhere(app, db, world: World, sign_in):
    client = sign_in(world.a.users["analyst"])
    token = client.get_cookie(COOKIE, path="/staff").value
    out = client.post("/staff/logout")
    assert out.status_code == 302
    stolen = app.test_client()
    stolen.set_cookie(COOKIE, token, path="/staff")
    assert stolen.get("/staff/").status_code == 302, "a copied cookie must be useless after sign-out"
    assert (
        db.session.scalar(
            select(func.count()).select_from(StaffSession).where(StaffSession.user_id == world.a.users["analyst"].id)
        )
        == 0
    )


def test_changing_password_signs_out_every_other_session(app, db, world: World, sign_in):
    user = world.a.users["analyst"]
    here, elsewhere = sign_in(user), sign_in(user)
    old_token = here.get_cookie(COOKIE, path="/staff").value
    changed = here.post(
        "/staff/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "seven purple lanterns hum",
            "confirm_password": "seven purple lanterns hum",
        },
    )
    assert changed.status_code == 302
    assert here.get("/staff/account").status_code == 200, "the person who changed it stays signed in"
    assert here.get_cookie(COOKIE, path="/staff").value != old_token
    assert elsewhere.get("/staff/account").status_code == 302
    replay = app.test_client()
    replay.set_cookie(COOKIE, old_token, path="/staff")
    assert replay.get("/staff/").status_code == 302
    assert "password_changed" in _actions(db)


def test_idle_timeout(app, db, world: World, sign_in, fake_clock):
    client = sign_in(world.a.users["analyst"])
    fake_clock.advance(minutes=29)
    assert client.get("/staff/").status_code == 200
    fake_clock.advance(minutes=29)
    assert client.get("/staff/").status_code == 200, "activity keeps the session alive"
    fake_clock.advance(minutes=31)
    gone = client.get("/staff/")
    assert gone.status_code == 302 and "/staff/login" in gone.location
    assert "unused for a while" in client.get("/staff/login").text


def test_absolute_timeout(app, db, world: World, sign_in, fake_clock):
    client = sign_in(world.a.users["analyst"])
    for _ in range(40):  # busy all day: a request every 20 minutes, past the 10-hour limit
        fake_clock.advance(minutes=20)
        if client.get("/staff/").status_code != 200:
            break
    else:
        pytest.fail("the session outlived the 10-hour limit")
    assert fake_clock.now - db.session.scalar(
        select(AuditEvent.occurred_at).where(AuditEvent.action == "login")
    ) >= __import__("datetime").timedelta(hours=10)
    assert "time limit" in client.get("/staff/login").text


@pytest.mark.parametrize("password", ["password1234", "1qaz2wsx3edc", "iloveyou1234", "Password123!", "short"])
def test_weak_and_common_passwords_are_refused(password):
    assert password_problems(password)


def test_a_common_password_is_refused_when_changing(app, db, world: World, session_for):
    client = session_for(world.a.users["analyst"])
    refused = client.post(
        "/staff/account/password",
        data={"current_password": PASSWORD, "new_password": "password1234", "confirm_password": "password1234"},
    )
    assert refused.status_code == 400 and "list of common passwords" in refused.text
    assert password_problems("seven purple lanterns hum") == []


def test_password_fields_welcome_paste_and_password_managers(app, client):
    login = client.get("/staff/login").text
    assert 'autocomplete="username"' in login and 'autocomplete="current-password"' in login
    assert "onpaste" not in login.lower() and "maxlength" not in re.search(r'<input id="password"[^>]*>', login).group(
        0
    )
    assert "<script" not in login


def test_switched_off_accounts_and_role_changes(app, db, world: World, sign_in, session_for):
    admin = session_for(world.a.users["administrator"])
    target = world.a.colleague
    signed_in = session_for(target)
    assert signed_in.get("/staff/").status_code == 200
    saved = admin.post(
        f"/staff/users/{target.id}", data={"display_name": target.display_name, "role": "analyst", "active": "no"}
    )
    assert saved.status_code == 302
    assert signed_in.get("/staff/").status_code == 302, "a role change or switch-off signs the person out"
    assert _password_step(app.test_client(), target.email).status_code == 401
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user_changed"))
    assert event.details["role"] == ["viewer", "analyst"] and event.details["active"] == [True, False]


def test_forms_need_the_csrf_token_kept_in_the_staff_session(app, db, world: World, fake_clock):
    app.config["WTF_CSRF_ENABLED"] = True
    user = world.a.users["analyst"]
    client = app.test_client()

    def token(path: str) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)

    assert client.post("/staff/login", data={"email": user.email, "password": PASSWORD}).status_code == 400
    first = client.post(
        "/staff/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token("/staff/login")}
    )
    assert first.status_code == 302
    assert client.post("/staff/login/code", data={"code": fake_clock.code(user)}).status_code == 400
    second = client.post(
        "/staff/login/code", data={"code": fake_clock.code(user), "csrf_token": token("/staff/login/code")}
    )
    assert second.status_code == 302 and second.location == "/staff/"
    assert client.post("/staff/logout").status_code == 400, "signing out needs the token too"
    assert client.post("/staff/logout", data={"csrf_token": token("/staff/account")}).status_code == 302
    assert client.get("/staff/").status_code == 302


def test_respondent_pages_never_get_the_staff_cookie(app, db, world: World, sign_in):
    client = sign_in(world.a.users["analyst"])
    landing = client.get("/")
    assert not any(h.startswith(f"{COOKIE}=") for h in landing.headers.getlist("Set-Cookie"))
    assert client.get_cookie(COOKIE, path="/") is None, "the staff cookie is sent only under /staff"


def test_sessions_keep_nothing_of_the_client_address_or_browser(app, db, world: World, fake_clock):
    user = world.a.users["analyst"]
    client = app.test_client()
    environ = {"REMOTE_ADDR": "203.0.113.77", "HTTP_USER_AGENT": "UniqueStaffBrowser/1.0"}
    client.post("/staff/login", data={"email": user.email, "password": PASSWORD}, environ_base=environ)
    client.post("/staff/login/code", data={"code": fake_clock.code(user)}, environ_base=environ)
    stored = " ".join(str(row.data) for row in db.session.scalars(select(StaffSession)))
    logged = " ".join(f"{e.actor} {e.target} {e.details}" for e in db.session.scalars(select(AuditEvent)))
    assert "_user_id" in stored
    for text in (stored, logged):
        assert "203.0.113.77" not in text and "UniqueStaffBrowser" not in text
        # Flask-Login's default keeps a SHA-512 of address and browser in the session: not here.
        assert not re.search(r"[0-9a-f]{64,}", text), text


def test_a_slow_request_that_changed_nothing_does_not_undo_a_message_stored_meanwhile(app, db, world, session_for):
    """The report builder's preview can take seconds; a lead who presses Publish meanwhile must still
    be told "Report published." when the preview finishes after the publishing request did."""
    client = session_for(world.a.users["communications_lead"])
    token = client.get_cookie(COOKIE, path="/staff").value
    interface = app.session_interface
    headers = {"Cookie": f"{COOKIE}={token}"}
    with app.test_request_context("/staff/reports/1/preview", headers=headers) as previewing:
        preview = interface.open_session(app, previewing.request)  # begins before Publish is pressed
    with app.test_request_context("/staff/reports/1/publish", method="POST", headers=headers) as publishing:
        session = interface.open_session(app, publishing.request)
        session["_flashes"] = [("success", "Report published.")]
        interface.save_session(app, session, app.response_class())
    with app.test_request_context("/staff/reports/1/preview", headers=headers):
        interface.save_session(app, preview, app.response_class())  # the preview ends last
    assert client.get("/staff/").text.count("Report published.") == 1
