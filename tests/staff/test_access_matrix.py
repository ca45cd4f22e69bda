"""Role × route × object: every staff route, every role, two partnerships.

The routes are read from the app itself, so a staff page added later is covered automatically: it
must declare its roles with `role_required` (or be one of the sign-in pages), and its URL arguments
must be known below. For each route and role:

- a role the route does not allow gets 403, and the refusal is in the audit log;
- an allowed role reaching for the other partnership's object gets 404, also audited;
- an allowed role with its own partnership's object is served (or, for a form post without data,
  told what is missing), never refused;
- nobody signed in is sent to the sign-in page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from survey_app import create_app
from survey_app.config import Config
from survey_app.models import AuditEvent
from survey_app.models.staff import ROLES
from tests.staff.conftest import Side, World
from tests.staff.test_agreement import sample_for as agreement_sample_for
from tests.staff.test_reports import report_for, snapshot_for

#: Pages anyone may reach: signing in and out.
PUBLIC = {"staff.login", "staff.login_code", "staff.setup_authenticator", "staff.logout"}

#: How to fill each URL argument from one partnership's objects. A new staff route with another
#: argument name fails below until it is added here.
OBJECT_ARGS: dict[str, Callable[[Side], Any]] = {
    "campaign_id": lambda side: side.campaign.id,
    "flag_id": lambda side: side.flag.id,
    "user_id": lambda side: side.colleague.id,
    "point_id": lambda side: side.points[0].id,
    "collection_point_id": lambda side: side.points[0].id,
    "sample_id": lambda side: agreement_sample_for(side),
    "report_id": lambda side: report_for(side),
    "snapshot_id": lambda side: snapshot_for(side),
}
#: Arguments that name no object (formats and the like), with a value to use.
PLAIN_ARGS: dict[str, Any] = {"fmt": "csv", "by": "audience", "group": "young_people", "report_format": "html"}


def _routes() -> list[tuple[str, str, str]]:
    app = create_app(Config.for_tests(database_url="sqlite://"))
    out = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("staff.") or rule.endpoint == "staff.static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            out.append((rule.endpoint, rule.rule, method))
    return sorted(out)


ROUTES = _routes()


def _url(rule: str, side: Side) -> tuple[str, bool]:
    """The rule's URL filled with one side's objects, and whether it names an object at all."""
    import re

    names_object = False
    url = rule
    for name in re.findall(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>", rule):
        if name in OBJECT_ARGS:
            value, names_object = OBJECT_ARGS[name](side), True
        elif name in PLAIN_ARGS:
            value = PLAIN_ARGS[name]
        else:
            pytest.fail(f"{rule}: add the URL argument {name!r} to OBJECT_ARGS or PLAIN_ARGS in {__file__}")
        url = re.sub(rf"<(?:[a-z]+(?:\([^)]*\))?:)?{name}>", str(value), url, count=1)
    return url, names_object


def _roles_of(app, endpoint: str) -> frozenset[str]:  # type: ignore[no-untyped-def]
    view = app.view_functions[endpoint]
    roles = getattr(view, "staff_roles", None)
    assert roles is not None, f"{endpoint} must declare who may use it with role_required(...) or login_required"
    return roles


def _last_denial(db) -> AuditEvent | None:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "access_denied").order_by(AuditEvent.id.desc()).limit(1)
    )


@pytest.mark.parametrize(("endpoint", "rule", "method"), ROUTES, ids=[f"{m} {r}" for _, r, m in ROUTES])
def test_every_role_on_every_route(app, db, world: World, session_for, endpoint, rule, method):
    if endpoint in PUBLIC:
        return
    allowed = _roles_of(app, endpoint)
    own_url, names_object = _url(rule, world.a)
    other_url, _ = _url(rule, world.b)

    anonymous = app.test_client().open(own_url, method=method)
    assert anonymous.status_code == 302 and "/staff/login" in anonymous.location, (endpoint, anonymous.status_code)

    for role in ROLES:
        user = world.a.users[role]
        client = session_for(user)
        before = _last_denial(db)
        own = client.open(own_url, method=method)
        if role not in allowed:
            assert own.status_code == 403, (role, endpoint, own.status_code)
            denial = _last_denial(db)
            assert denial is not None and denial is not before, f"{role} refused at {endpoint} but not audited"
            assert denial.user_id == user.id and denial.details["status"] == 403
            assert denial.details["endpoint"] == endpoint
            continue
        assert own.status_code not in (401, 403, 404, 500), (role, endpoint, own.status_code, own.text[:500])
        if method == "GET":
            assert own.status_code == 200, (role, endpoint, own.status_code)
        if names_object:
            before = _last_denial(db)
            other = client.open(other_url, method=method)
            assert other.status_code == 404, (role, endpoint, "other partnership's object", other.status_code)
            denial = _last_denial(db)
            assert denial is not None and denial is not before, (
                f"{role} reached for B's object at {endpoint}: not audited"
            )
            assert denial.user_id == user.id and denial.details["status"] == 404


def test_every_staff_route_is_in_the_matrix():
    endpoints = {e for e, _, _ in ROUTES}
    assert {
        "staff.dashboard",
        "staff.safeguarding_queue",
        "staff.users",
        "staff.audit_log",
        "staff.campaign_export",
        "staff.campaign_delete",
    } <= endpoints
    assert len(ROUTES) >= 20


def test_partnership_lists_show_only_their_own(app, db, world: World, session_for):
    admin = session_for(world.a.users["administrator"])
    home = admin.get("/staff/").text
    assert world.a.campaign.name in home and world.b.campaign.name not in home
    users = admin.get("/staff/users").text
    assert world.a.colleague.email in users and world.b.colleague.email not in users
    reviewer = session_for(world.a.users["safeguarding_reviewer"])
    queue = reviewer.get("/staff/safeguarding").text
    assert "(alderley-2026)" in queue and "(brookfield-2026)" not in queue
    coordinator = session_for(world.a.users["school_coordinator"])
    mine = coordinator.get("/staff/my-collection-points").text
    assert world.a.points[0].name in mine and world.a.points[1].name not in mine
