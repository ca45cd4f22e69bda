"""Safeguarding flags: responses whose answers suggest someone may be at risk.

A flag identifies no one: it points at an anonymous response and says which rule matched and why.
Reviewers record what they did with it.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import Base
from survey_app.models.responses import Response

OUTCOMES = ("no_action", "signposting_sufficient", "shared_with_dsl", "other")


def flag_id() -> str:
    """A short random id a reviewer can read out ("flag 3f9c2a71d0e4"), with no order in it."""
    return secrets.token_hex(6)


class SafeguardingFlag(Base):
    """One safeguarding rule that a response matched."""

    __tablename__ = "safeguarding_flag"
    __table_args__ = (
        CheckConstraint(f"outcome IS NULL OR outcome IN {OUTCOMES!r}", name="outcome"),
        # SQLite would otherwise number rows in the order they were written (rowid).
        {"sqlite_with_rowid": False},
    )

    #: random, so the order in which flags were raised (and so responses sent) can't be read from ids
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=flag_id)
    #: the anonymous response that matched
    response_id: Mapped[str] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), index=True)
    #: id of the rule in the safeguarding rules file, e.g. "weapon_for_protection"
    rule: Mapped[str] = mapped_column(String(80))
    #: why it was flagged, in the rule's words
    reason: Mapped[str] = mapped_column(Text)
    #: the question key whose answer matched
    question_key: Mapped[str | None] = mapped_column(String(80))
    #: the words that matched, for free-text rules
    matched_text: Mapped[str | None] = mapped_column(Text)
    #: the day it was flagged
    flagged_on: Mapped[dt.date] = mapped_column(Date, index=True)
    #: what the reviewer decided (NULL until reviewed)
    outcome: Mapped[str | None] = mapped_column(String(30))
    #: the reviewer's note
    outcome_note: Mapped[str | None] = mapped_column(Text)
    #: the day it was reviewed
    reviewed_on: Mapped[dt.date | None] = mapped_column(Date)

    response: Mapped[Response] = relationship()
