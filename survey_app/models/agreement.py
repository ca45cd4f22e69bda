"""Two analysts coding the same sample blind, and the communications lead's choice of quotes.

No free text is stored here: samples and codings point at answers by response id and question key,
and a quote choice names the answer and theme it is about, never its words, so retention removing
an answer leaves nothing quoted behind (every row goes with its response).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import Base

QUOTE_DECISIONS = ("use", "dont_use")


class AgreementSample(Base):
    """A random sample of a campaign's free-text answers that two analysts code without seeing each other's codes."""

    __tablename__ = "agreement_sample"
    __table_args__ = (
        CheckConstraint("size >= 1", name="size_positive"),
        CheckConstraint(
            "second_analyst_id IS NULL OR second_analyst_id <> first_analyst_id", name="two_different_analysts"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the campaign whose answers were sampled
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    #: the codebook version whose themes the analysts choose from
    codebook_version_id: Mapped[int] = mapped_column(ForeignKey("codebook_version.id"))
    #: the free-text question keys sampled from
    question_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: how many answers were drawn
    size: Mapped[int] = mapped_column(Integer)
    #: the staff user who started it (staff_user.id, kept without a foreign key like theme_code.reviewer_id)
    started_by: Mapped[int] = mapped_column(Integer)
    #: the day it was started
    started_on: Mapped[dt.date] = mapped_column(Date)
    #: the first analyst to save a coding (staff_user.id)
    first_analyst_id: Mapped[int | None] = mapped_column(Integer)
    #: the second analyst to save a coding (staff_user.id); nobody else may take part
    second_analyst_id: Mapped[int | None] = mapped_column(Integer)

    items: Mapped[list[AgreementItem]] = relationship(
        back_populates="sample", cascade="all, delete-orphan", order_by="AgreementItem.position"
    )

    def analysts(self) -> list[int]:
        """The analysts taking part so far, first first."""
        return [a for a in (self.first_analyst_id, self.second_analyst_id) if a is not None]


class AgreementItem(Base):
    """One sampled answer, in the order the analysts are shown it, and whether the disagreement is resolved."""

    __tablename__ = "agreement_item"

    #: the sample it belongs to
    sample_id: Mapped[int] = mapped_column(ForeignKey("agreement_sample.id", ondelete="CASCADE"), primary_key=True)
    #: the anonymous response whose answer was drawn (the item goes when the response goes)
    response_id: Mapped[str] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), primary_key=True)
    #: the free-text question's key
    question_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    #: 0, 1, 2 ... the order both analysts code in
    position: Mapped[int] = mapped_column(Integer)
    #: who recorded the agreed themes (staff_user.id), once a disagreement is resolved
    resolved_by: Mapped[int | None] = mapped_column(Integer)
    #: the day it was resolved
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)

    sample: Mapped[AgreementSample] = relationship(back_populates="items")


class AgreementCoding(Base):
    """One analyst's themes for one sampled answer (theme keys only)."""

    __tablename__ = "agreement_coding"
    __table_args__ = (
        UniqueConstraint("sample_id", "response_id", "question_key", "analyst_id", name="uq_agreement_coding_once"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the sample it belongs to
    sample_id: Mapped[int] = mapped_column(ForeignKey("agreement_sample.id", ondelete="CASCADE"), index=True)
    #: the response whose answer was coded
    response_id: Mapped[str] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), index=True)
    #: the free-text question's key
    question_key: Mapped[str] = mapped_column(String(80))
    #: the analyst (staff_user.id)
    analyst_id: Mapped[int] = mapped_column(Integer)
    #: the codebook theme keys the analyst chose (may be empty: "no theme")
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: the day it was saved
    coded_on: Mapped[dt.date] = mapped_column(Date)


class QuoteChoice(Base):
    """The communications lead's decision on one proposed quote: use it, or don't."""

    __tablename__ = "quote_choice"
    __table_args__ = (
        UniqueConstraint("response_id", "question_key", "theme_key", name="uq_quote_choice_quote"),
        CheckConstraint(f"decision IN {QUOTE_DECISIONS!r}", name="decision"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the campaign (for listing a campaign's choices)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    #: the response whose answer was proposed (the choice goes when the response goes)
    response_id: Mapped[str] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), index=True)
    #: the free-text question's key
    question_key: Mapped[str] = mapped_column(String(80))
    #: the theme it was proposed for
    theme_key: Mapped[str] = mapped_column(String(80))
    #: "use" or "dont_use"
    decision: Mapped[str] = mapped_column(String(10))
    #: who decided (staff_user.id)
    decided_by: Mapped[int] = mapped_column(Integer)
    #: the day they decided
    decided_on: Mapped[dt.date] = mapped_column(Date)
