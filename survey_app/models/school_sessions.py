"""School sessions: one class answering together, reached by a short session code.

A session knows which school (collection point) and year group it is for, how many pupils are
expected and how many have finished. It never knows which pupil sent which answers: completions
are a bare counter, bumped in the same transaction as each submitted response.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import Base
from survey_app.models.campaigns import CollectionPoint

#: England's school years that the questionnaires cover (Year 3, age 7-8, to Year 13, age 17-18)
YEAR_GROUPS = tuple(range(3, 14))


class SchoolSession(Base):
    """A class answering the survey in one sitting; pupils join with its code, no login."""

    __tablename__ = "school_session"
    __table_args__ = (
        CheckConstraint(f"year_group BETWEEN {YEAR_GROUPS[0]} AND {YEAR_GROUPS[-1]}", name="year_group"),
        CheckConstraint("expected_pupils > 0", name="expected_positive"),
        CheckConstraint("completed >= 0", name="completed_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the school (collection point) it belongs to
    collection_point_id: Mapped[int] = mapped_column(ForeignKey("collection_point.id"), index=True)
    #: the code pupils type, e.g. "K7PQM"; unambiguous letters and digits only
    code: Mapped[str] = mapped_column(String(16), unique=True)
    #: the class as the coordinator knows it, e.g. "8B" (a class, never a pupil)
    label: Mapped[str] = mapped_column(String(80), default="")
    #: school year, 3 to 13
    year_group: Mapped[int] = mapped_column(Integer)
    #: the questionnaire pupils in this year group answer, e.g. "children"
    questionnaire_id: Mapped[str] = mapped_column(String(80))
    #: how many pupils the coordinator expects
    expected_pupils: Mapped[int] = mapped_column(Integer)
    #: how many have sent their answers (a count only, never which)
    completed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: the day it was set up
    opened_on: Mapped[dt.date] = mapped_column(Date)
    #: the day the coordinator closed it (NULL while pupils can still join)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)

    collection_point: Mapped[CollectionPoint] = relationship()

    @property
    def is_open(self) -> bool:
        """Whether pupils can still join (the campaign's own dates apply too)."""
        return self.closed_on is None
