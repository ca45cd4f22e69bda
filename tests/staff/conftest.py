"""Staff-workspace fixtures: two partnerships, each with a campaign, answers, a safeguarding flag and one
account per role; and a helper that signs in through the real two-step form."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyotp
import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from survey_app import create_app
from survey_app.config import Config
from survey_app.extensions import db as _db
from survey_app.models import (
    Answer,
    Campaign,
    CollectionPoint,
    Partnership,
    QuestionnaireVersion,
    Response,
    SafeguardingFlag,
    StaffUser,
)
from survey_app.models.staff import ROLES, StaffSession
from survey_app.questionnaire_store import load_questionnaires
from survey_app.staff import clock
from survey_app.staff.accounts.passwords import hash_password
from survey_app.staff.accounts.sessions import COOKIE, hash_id
from tests import snapshot
from tests.conftest import FIXTURES, PG_URL, database_url, reset_postgres

PASSWORD = "a long test passphrase for staff"
#: Words that only ever appear in respondents' free text, so a test can search every page for them.
SECRET_WORDS = "zebracrossing unreviewed words"
FLAG_WORDS = "i carry a blade for protection"


@lru_cache(maxsize=1)
def password_hash() -> str:
    """One argon2 hash reused for every fixture account (hashing is slow on purpose)."""
    return hash_password(PASSWORD)


@dataclass
class Side:
    """One partnership's objects."""

    partnership: Partnership
    campaign: Campaign
    points: list[CollectionPoint]
    flag: SafeguardingFlag
    users: dict[str, StaffUser] = field(default_factory=dict)
    #: an account no test signs in as, for administrators' actions to land on
    colleague: StaffUser | None = None


@dataclass
class World:
    """Partnership A (ours) and B (theirs)."""

    a: Side
    b: Side


def make_side(db, name: str, slug: str, version: QuestionnaireVersion, responses: int = 25) -> Side:  # type: ignore[no-untyped-def]
    """A partnership with a campaign, two collection points, answers, a flag and a user per role."""
    partnership = Partnership(name=name, area_code="E08000009")
    db.session.add(partnership)
    db.session.flush()
    campaign = Campaign(
        slug=slug,
        name=f"{name} survey",
        opens_on=dt.date(2026, 1, 5),
        closes_on=dt.date(2026, 3, 31),
        questionnaire_ids=["all-types"],
        partnership_id=partnership.id,
        targets={"total": 100, "young_people": 80},
    )
    db.session.add(campaign)
    db.session.flush()
    points = [
        CollectionPoint(campaign_id=campaign.id, name=f"{name} High School", kind="school", code=f"{slug[:4]}S1"),
        CollectionPoint(campaign_id=campaign.id, name=f"{name} Youth Club", kind="youth_club", code=f"{slug[:4]}Y1"),
    ]
    db.session.add_all(points)
    db.session.flush()
    first = None
    for i in range(responses):
        # 20 at the school, 5 at the youth club (below the threshold of 10)
        point = points[0] if i < 20 else points[1]
        r = Response(
            questionnaire_version_id=version.id,
            audience="young_people",
            language="en",
            campaign_id=campaign.id,
            collection_point_id=point.id,
            completion="complete" if i % 5 else "partial",
            submitted_on=dt.date(2026, 1, 5) + dt.timedelta(days=i % 3),
            idempotency_key=f"{slug}-{i}",
        )
        r.answers = [
            Answer(question_key="carried", position=0, value="yes" if i < 3 else "no"),
            Answer(question_key="gender", position=0, value="girl" if i % 2 else "boy"),
            Answer(question_key="unsafe_why", position=0, text=f"{SECRET_WORDS} {slug} {i}"),
        ]
        db.session.add(r)
        first = first or r
    db.session.flush()
    assert first is not None
    flag = SafeguardingFlag(
        response_id=first.id,
        rule="weapon_for_protection",
        reason="Says they carry a weapon for protection",
        question_key="unsafe_why",
        matched_text=f"{FLAG_WORDS} ({slug})",
        flagged_on=dt.date(2026, 1, 5),
    )
    db.session.add(flag)
    side = Side(partnership, campaign, points, flag)
    for role in ROLES:
        user = StaffUser(
            email=f"{role}@{slug}.example",
            display_name=f"{role} {slug}",
            role=role,
            partnership_id=partnership.id,
            password_hash=password_hash(),
            totp_secret=pyotp.random_base32(),
            created_on=dt.date(2026, 1, 1),
        )
        if role == "school_coordinator":
            user.collection_points = [points[0]]
        db.session.add(user)
        side.users[role] = user
    side.colleague = StaffUser(
        email=f"colleague@{slug}.example",
        display_name=f"Colleague {slug}",
        role="viewer",
        partnership_id=partnership.id,
        password_hash=password_hash(),
        totp_secret=pyotp.random_base32(),
        created_on=dt.date(2026, 1, 1),
    )
    db.session.add(side.colleague)
    db.session.flush()
    return side


@dataclass(frozen=True)
class _WorldRows:
    """The rows `world` adds to a fresh database with the test questionnaires loaded, and its objects' ids."""

    #: rows per table before the world is added, and the questionnaire versions its rows point at
    counts: dict[str, int]
    questionnaires: list[tuple[object, ...]]
    added: snapshot.Snapshot
    #: per side: partnership, campaign, collection points, flag, users by role, colleague
    ids: tuple[dict[str, Any], dict[str, Any]]


def _questionnaires(db) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    return [
        tuple(row)
        for row in db.session.execute(
            select(
                QuestionnaireVersion.id,
                QuestionnaireVersion.questionnaire_id,
                QuestionnaireVersion.version,
                QuestionnaireVersion.content_hash,
            ).order_by(QuestionnaireVersion.id)
        )
    ]


def _make_world(db) -> World:  # type: ignore[no-untyped-def]
    version = db.session.scalar(
        select(QuestionnaireVersion).where(QuestionnaireVersion.questionnaire_id == "all-types")
    )
    w = World(
        make_side(db, "Alderley", "alderley-2026", version), make_side(db, "Brookfield", "brookfield-2026", version)
    )
    db.session.commit()
    return w


def _ids(side: Side) -> dict[str, Any]:
    assert side.colleague is not None
    return {
        "partnership": side.partnership.id,
        "campaign": side.campaign.id,
        "points": [point.id for point in side.points],
        "flag": side.flag.id,
        "users": {role: user.id for role, user in side.users.items()},
        "colleague": side.colleague.id,
    }


def _side(db, ids: dict[str, Any]) -> Side:  # type: ignore[no-untyped-def]
    users = {user.id: user for user in db.session.scalars(select(StaffUser))}
    return Side(
        db.session.get(Partnership, ids["partnership"]),
        db.session.get(Campaign, ids["campaign"]),
        [db.session.get(CollectionPoint, point) for point in ids["points"]],
        db.session.get(SafeguardingFlag, ids["flag"]),
        {role: users[user] for role, user in ids["users"].items()},
        users[ids["colleague"]],
    )


def build_world_rows(folder: Path) -> _WorldRows:
    """`world` built once, on a database of its own (a SQLite file in `folder`, or this worker's PostgreSQL
    database emptied first): the `world_rows` fixture in tests/conftest.py, set up once per process."""
    app = create_app(Config.for_tests(database_url=database_url(folder), questionnaire_folder=FIXTURES))
    if PG_URL:
        reset_postgres(app)
    with app.app_context():
        _db.create_all()
        load_questionnaires(FIXTURES)
        before = snapshot.take()
        counts, questionnaires = snapshot.row_counts(), _questionnaires(_db)
        w = _make_world(_db)
        ids = (_ids(w.a), _ids(w.b))
        added = snapshot.added(before, snapshot.take())
        _db.session.remove()
        _db.engine.dispose()
    return _WorldRows(counts, questionnaires, added, ids)


@pytest.fixture
def world(world_rows, app, db, loaded) -> World:  # type: ignore[no-untyped-def]
    """Two partnerships with everything in them, committed.

    Building them costs each test tens of milliseconds (a hundred inserts through the models, more on
    PostgreSQL), so the rows made once per process (`world_rows`, tests/conftest.py) are added instead: the same rows, ids
    included, and on PostgreSQL the id sequences where building leaves them. Only on top of what they were
    made on, a fresh database with the test questionnaires loaded: if anything else is there (a fixture
    set up earlier wrote, or changed a questionnaire file before loading), the world is built afresh."""
    db.session.commit()
    if snapshot.row_counts() != world_rows.counts or _questionnaires(db) != world_rows.questionnaires:
        return _make_world(db)
    snapshot.insert(world_rows.added)
    w = World(_side(db, world_rows.ids[0]), _side(db, world_rows.ids[1]))
    db.session.commit()  # as building ends: every object expired, so read afresh when first used
    return w


def totp_code(user: StaffUser, offset_steps: int = 0) -> str:
    """The authenticator code for the user's secret now (or some steps away)."""
    totp = pyotp.TOTP(user.totp_secret)
    return totp.at(dt.datetime.now(dt.UTC), counter_offset=offset_steps)


@pytest.fixture
def sign_in(app, db) -> Callable[..., FlaskClient]:  # type: ignore[no-untyped-def]
    """sign_in(user) -> a fresh test client signed in as that user through both steps."""

    def do(user: StaffUser, client: FlaskClient | None = None) -> FlaskClient:
        client = client or app.test_client()
        user.totp_last_step = None  # each test sign-in may reuse the current code
        db.session.commit()
        first = client.post("/staff/login", data={"email": user.email, "password": PASSWORD})
        assert first.status_code == 302, first.text
        second = client.post("/staff/login/code", data={"code": totp_code(user)})
        assert second.status_code == 302, second.text
        assert second.location.endswith("/staff/"), second.location
        return client

    return do


@pytest.fixture
def session_for(app, db) -> Callable[[StaffUser], FlaskClient]:  # type: ignore[no-untyped-def]
    """session_for(user) -> a client holding a real server-side session for the user, made directly
    (for tests about what a signed-in user may do, not about signing in: argon2 is slow on purpose)."""

    def do(user: StaffUser) -> FlaskClient:
        token = secrets.token_urlsafe(32)
        now = clock.utcnow()
        db.session.add(
            StaffSession(
                id_hash=hash_id(token),
                user_id=user.id,
                created_at=now,
                last_seen_at=now,
                data={"_user_id": str(user.id), "_fresh": True},
            )
        )
        db.session.commit()
        client = app.test_client()
        client.set_cookie(COOKIE, token, path="/staff")
        return client

    return do


class FakeClock:
    """The workspace's clock, moved by the test instead of waited for."""

    def __init__(self) -> None:
        self.now = clock.utcnow()

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)

    def code(self, user: StaffUser, offset_steps: int = 0) -> str:
        """The user's authenticator code at this clock's time."""
        return pyotp.TOTP(user.totp_secret).at(self.now.replace(tzinfo=dt.UTC), counter_offset=offset_steps)


@pytest.fixture
def fake_clock(monkeypatch) -> FakeClock:  # type: ignore[no-untyped-def]
    """Replace the workspace's clock with one the test moves."""
    fake = FakeClock()
    monkeypatch.setattr(clock, "utcnow", fake)
    return fake
