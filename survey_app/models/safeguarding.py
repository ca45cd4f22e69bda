"""Safeguarding flags: responses whose answers suggest someone may be at risk.

A flag identifies no one: it points at an anonymous response and says which rule matched and why.
Reviewers record what they did with it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import Base
from survey_app.models.responses import Response

OUTCOMES = ("no_action", "signposting_sufficient", "shared_with_dsl", "other")


class SafeguardingFlag(Base):
    """One safeguarding rule that a response matched."""

    __tablename__ = "safeguarding_flag"
    __table_args__ = (CheckConstraint(f"outcome IS NULL OR outcome IN {OUTCOMES!r}", name="outcome"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
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
