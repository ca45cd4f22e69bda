"""Save and come back later, without an account.

A resume code is a few easy words shown once on screen. Only a keyed hash of it is stored, beside
the draft it reopens; it stops working the day after the campaign closes (or when the draft is
sent or cleared). Wrong guesses are limited without knowing who is guessing: a count in the
browser's own session, plus a site-wide count per first word (see survey_app.campaigns.resume).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import Base
from survey_app.models.responses import Draft


class ResumeCode(Base):
    """The keyed hash of one resume code, and the draft it reopens."""

    __tablename__ = "resume_code"

    #: HMAC-SHA-256 of the normalised words, keyed with the app's secret; never the words themselves
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: the unfinished answers it reopens; one live code per draft
    draft_token: Mapped[str] = mapped_column(ForeignKey("draft.token", ondelete="CASCADE"), unique=True)
    #: the last day it works: the campaign's closing day, or the draft keeping period without one
    expires_on: Mapped[dt.date] = mapped_column(Date, index=True)

    draft: Mapped[Draft] = relationship()


class CodeThrottle(Base):
    """Wrong codes (resume or session) per bucket per hour, site-wide: slows guessing without knowing who."""

    __tablename__ = "code_throttle"

    #: what kind of code and a keyed hash of its start, cut short (many codes share a bucket)
    bucket: Mapped[str] = mapped_column(String(24), primary_key=True)
    #: which hour the count is for, as hours since 1970 (a throttle window, linked to no answers)
    window: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: wrong codes typed in that bucket in that hour
    failures: Mapped[int] = mapped_column(Integer, default=0)
