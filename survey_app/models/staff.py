"""Staff accounts: partnerships, staff users and their roles, second factors, sessions.

Staff are not respondents: a staff account has an email address. Nothing here ever records a client's
IP address or browser: sessions are random ids. Sign-in attempts are counted in the shared throttle
counters under a keyed hash of the email address and client address together (survey_app.campaigns.throttle).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import Base

#: Roles, in the users' words. Each user has exactly one.
ROLES = ("administrator", "analyst", "communications_lead", "safeguarding_reviewer", "school_coordinator", "viewer")
ROLE_LABELS = {
    "administrator": "Administrator",
    "analyst": "Analyst",
    "communications_lead": "Communications lead",
    "safeguarding_reviewer": "Safeguarding reviewer",
    "school_coordinator": "School coordinator",
    "viewer": "Viewer",
}


class Partnership(Base):
    """A community-safety or violence-reduction partnership; its staff see only its own campaigns."""

    __tablename__ = "partnership"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the name people see, e.g. "Trafford Community Safety Partnership"
    name: Mapped[str] = mapped_column(String(200), unique=True)
    #: ONS code of the area whose population the dashboards compare against, e.g. "E08000009"
    area_code: Mapped[str | None] = mapped_column(String(12))


#: Which collection points a school coordinator looks after.
coordinator_points = Table(
    "staff_user_collection_point",
    Base.metadata,
    Column("staff_user_id", ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True),
    Column("collection_point_id", ForeignKey("collection_point.id", ondelete="CASCADE"), primary_key=True),
)


class StaffUser(Base):
    """A person who runs consultations. Flask-Login's user object."""

    __tablename__ = "staff_user"
    __table_args__ = (CheckConstraint(f"role IN {ROLES!r}", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: sign-in name, stored lower-case
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: the name shown in the workspace and the audit log
    display_name: Mapped[str] = mapped_column(String(120))
    #: the partnership whose campaigns this person may see
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    #: one of ROLES
    role: Mapped[str] = mapped_column(String(30))
    #: argon2id hash of the password
    password_hash: Mapped[str] = mapped_column(String(255))
    #: base32 TOTP secret; NULL until the person has set up their authenticator app
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    #: the last TOTP time step accepted, so a code cannot be used twice
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    #: False when an administrator has switched the account off (accounts are never deleted: the audit
    #: log refers to them)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: the day the account was made
    created_on: Mapped[dt.date] = mapped_column(Date)

    partnership: Mapped[Partnership] = relationship()
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(back_populates="user", cascade="all, delete-orphan")
    collection_points = relationship("CollectionPoint", secondary=coordinator_points)

    # Flask-Login's user interface.
    @property
    def is_authenticated(self) -> bool:
        """Every loaded user is authenticated (the session only names one after both factors)."""
        return True

    @property
    def is_active(self) -> bool:
        """Switched-off accounts cannot sign in."""
        return bool(self.active)

    @property
    def is_anonymous(self) -> bool:
        """Never anonymous."""
        return False

    def get_id(self) -> str:
        """Flask-Login's id for the session."""
        return str(self.id)

    @property
    def role_label(self) -> str:
        """The role in words."""
        return ROLE_LABELS.get(self.role, self.role)


class RecoveryCode(Base):
    """A one-time code that stands in for the authenticator app when the phone is lost."""

    __tablename__ = "staff_recovery_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: whose code it is
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the code (codes are long and random, so a fast hash is enough)
    code_hash: Mapped[str] = mapped_column(String(64))
    #: the day it was used; NULL while unused
    used_on: Mapped[dt.date | None] = mapped_column(Date)

    user: Mapped[StaffUser] = relationship(back_populates="recovery_codes")


class StaffSession(Base):
    """A server-side staff session. Deleting the row signs the browser out, wherever it is."""

    __tablename__ = "staff_session"

    #: SHA-256 of the random id in the cv_staff cookie (a database leak does not hand out sessions)
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: the signed-in user; NULL before sign-in completes
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    #: the session's contents (sign-in progress, CSRF token, Flask-Login's keys)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    #: when it began (UTC); for the absolute timeout
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    #: the last request (UTC); for the idle timeout
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class PopulationEstimate(Base):
    """One cell of a population table (e.g. ONS mid-year estimates): people of one age and sex in an area."""

    __tablename__ = "population_estimate"
    __table_args__ = (
        UniqueConstraint("area_code", "period", "sex", "age"),
        CheckConstraint("sex IN ('females', 'males')", name="sex"),
        CheckConstraint("age >= 0 AND people >= 0", name="non_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: ONS area code, e.g. "E08000009"
    area_code: Mapped[str] = mapped_column(String(12), index=True)
    #: the area's name
    area_name: Mapped[str] = mapped_column(String(120))
    #: the estimate's reference date, e.g. "2024-06-30"
    period: Mapped[str] = mapped_column(String(20))
    #: "females" or "males"
    sex: Mapped[str] = mapped_column(String(10))
    #: single year of age (the top age, e.g. 90, means that age and over)
    age: Mapped[int] = mapped_column(Integer)
    #: how many people
    people: Mapped[int] = mapped_column(Integer)
