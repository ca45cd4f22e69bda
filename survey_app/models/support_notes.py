"""The help to show someone once their answers are sent, kept on the server rather than in their cookie.

The browser's (signed, not encrypted) cookie holds only a random token. A note has no link to the
response and no time in it: the audience, the support topics (never the answers) and the last day it
may be shown.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import JSON, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.extensions import Base


class SupportNote(Base):
    """Who the help is worded for and which help, under a random token."""

    __tablename__ = "support_note"

    #: random token; the cookie holds this and nothing derived from the answers
    token: Mapped[str] = mapped_column(String(64), primary_key=True, default=lambda: secrets.token_urlsafe(32))
    #: who the questionnaire was for, so the help is worded for them
    audience: Mapped[str] = mapped_column(String(20))
    #: support topic ids from the safeguarding rules file, most urgent first
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: the last day it may be shown (a date, never a time); notes past it are deleted
    expires_on: Mapped[dt.date] = mapped_column(Date, index=True)
