"""Anonymous answers: drafts in progress, and submitted responses with their answers.

Nothing here may identify a person: no names, emails, IP addresses, user agents or exact times.
Response ids are random rather than sequential, so that the order in which a class submitted
cannot be read back from the table.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from questionnaires.model import AUDIENCES
from survey_app.extensions import Base
from survey_app.models.questionnaires import QuestionnaireVersion

COMPLETION_STATES = ("complete", "partial")


def random_id() -> str:
    """An unguessable, unordered id."""
    return secrets.token_hex(16)


class Draft(Base):
    """Answers in progress, kept server-side under a random token held in the session cookie."""

    __tablename__ = "draft"

    #: random token; the only link between a browser and its unfinished answers
    token: Mapped[str] = mapped_column(String(64), primary_key=True, default=lambda: secrets.token_urlsafe(32))
    #: the questionnaire version being answered
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_version.id"))
    #: campaign it came through, if known
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"))
    #: collection point it came through, if known
    collection_point_id: Mapped[int | None] = mapped_column(ForeignKey("collection_point.id"))
    #: interface language, e.g. "en"
    language: Mapped[str] = mapped_column(String(10))
    #: answers so far: {question key: {"values": [...], "text": ..., "number": ...}}
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: input that did not pass its checks, kept so nothing typed is lost: {field name: raw text}
    pending: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: the idempotency key the final submit carries
    submission_key: Mapped[str] = mapped_column(String(64), unique=True, default=random_id)
    #: the last day it was touched (a date, never a time), for clearing out abandoned drafts
    active_on: Mapped[dt.date] = mapped_column(Date)

    version: Mapped[QuestionnaireVersion] = relationship()


class Response(Base):
    """A submitted, anonymous response."""

    __tablename__ = "response"
    __table_args__ = (
        CheckConstraint(f"completion IN {COMPLETION_STATES!r}", name="completion"),
        CheckConstraint(f"audience IN {AUDIENCES!r}", name="audience"),
        # SQLite would otherwise number rows in the order they were written (rowid); without it, rows
        # are kept in the order of their random ids.
        {"sqlite_with_rowid": False},
    )

    #: random id (see module docstring)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    #: the exact questionnaire version that was answered
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_version.id"), index=True)
    #: who the questionnaire was for
    audience: Mapped[str] = mapped_column(String(20))
    #: interface language used
    language: Mapped[str] = mapped_column(String(10))
    #: campaign it came through, if known
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    #: collection point it came through, if known (where, never who)
    collection_point_id: Mapped[int | None] = mapped_column(ForeignKey("collection_point.id"), index=True)
    #: "complete" when sent from the check-your-answers page
    completion: Mapped[str] = mapped_column(String(10), default="complete")
    #: the day it was sent: a date only, never a time
    submitted_on: Mapped[dt.date] = mapped_column(Date, index=True)
    #: the key carried by the submit button; UNIQUE, so retries and double clicks make one response
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)

    version: Mapped[QuestionnaireVersion] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="Answer.position"
    )


class Answer(Base):
    """One part of an answer: a chosen option, a ranked option, a number or a piece of text."""

    __tablename__ = "answer"
    __table_args__ = (
        CheckConstraint("value IS NOT NULL OR text IS NOT NULL OR number IS NOT NULL", name="not_empty"),
        CheckConstraint("rank IS NULL OR rank >= 1", name="rank_positive"),
        {"sqlite_with_rowid": False},  # as for responses: no hidden write order
    )

    #: the response it belongs to
    response_id: Mapped[str] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), primary_key=True)
    #: the question's stable key
    question_key: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)
    #: 0, 1, 2 ... for the parts of one answer (ticked boxes, ranked choices)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the question's shared measure id, if any, for comparing audiences
    measure: Mapped[str | None] = mapped_column(String(80), index=True)
    #: a chosen option's value
    value: Mapped[str | None] = mapped_column(String(100))
    #: 1 = first choice, for ranking questions
    rank: Mapped[int | None] = mapped_column(Integer)
    #: free text, or the words typed with "Other" / "I describe myself in another way"
    text: Mapped[str | None] = mapped_column(Text)
    #: a number answer
    number: Mapped[int | None] = mapped_column(Integer)

    response: Mapped[Response] = relationship(back_populates="answers")
