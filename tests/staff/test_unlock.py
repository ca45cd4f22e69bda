"""`flask users unlock EMAIL`: an administrator lifts a sign-in pause, whichever address caused it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from survey_app.models import AuditEvent, CodeThrottle
from survey_app.staff.accounts.signin import ACCOUNT_SLOW_AFTER, PAIR_LIMIT
from tests.staff.conftest import PASSWORD, World
from tests.test_throttle_counters import REDIS_URL, requires_redis


def _sign_in(app, email: str, address: str, password: str = PASSWORD) -> int:  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = client.post(
        "/staff/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address}
    )
    return response.status_code


def _lock_out(app, email: str, addresses: list[str]) -> None:  # type: ignore[no-untyped-def]
    for address in addresses:
        for _ in range(PAIR_LIMIT):
            _sign_in(app, email, address, "wrong wrong wrong")
        assert _sign_in(app, email, address) == 429, "paused, even with the right password"


@pytest.mark.parametrize("store", ["database", pytest.param("redis", marks=requires_redis)])
def test_unlock_lifts_the_pause_from_every_address_and_only_for_that_account(
    app, db, runner, world: World, fake_clock, store
):
    if store == "redis":
        app.config["REDIS_URL"] = REDIS_URL
    owner, colleague = world.a.users["administrator"], world.a.users["analyst"]
    # Enough addresses that the account counts as under attack as well.
    addresses = [f"203.0.113.{n}" for n in range(1, ACCOUNT_SLOW_AFTER // PAIR_LIMIT + 1)]
    _lock_out(app, owner.email, addresses)
    _lock_out(app, colleague.email, ["198.51.100.9"])

    result = runner.invoke(args=["users", "unlock", owner.email.upper()])

    assert result.exit_code == 0, result.output
    assert f"Sign-in attempts for {owner.email} forgotten" in result.output
    for address in addresses:
        assert _sign_in(app, owner.email, address) == 302, "the pause is lifted wherever it was"
    assert _sign_in(app, colleague.email, "198.51.100.9") == 429, "another account's pause stays"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login_unlocked"))
    assert event is not None and event.actor == "command line"
    assert (event.target, event.partnership_id) == (f"user:{owner.id}", owner.partnership_id)
    if store == "redis":
        assert db.session.scalar(select(CodeThrottle)) is None, "counted in Redis, not the table"


def test_unlock_names_an_unknown_account(app, db, runner, world: World):
    result = runner.invoke(args=["users", "unlock", "nobody@nowhere.example"])
    assert result.exit_code == 1
    assert "There is no staff account nobody@nowhere.example" in result.output
    assert "Traceback" not in result.output
