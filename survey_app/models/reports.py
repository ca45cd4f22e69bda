"""Saved findings reports (the lead's choices) and their published, frozen snapshots.

A saved report stores only choices and the lead's own words; its numbers are rebuilt from the
answers each time it is previewed. Publishing copies the built report's JSON into a snapshot, whose
numbers never change afterwards, whatever answers arrive later.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import Base


class SavedReport(Base):
    """A findings report the communications lead or analyst is building for one campaign."""

    __tablename__ = "saved_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnership.id"), index=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    #: an earlier campaign to compare with ("compared with 2024")
    earlier_campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="SET NULL"))
    #: audience keys; empty = every audience that answered
    audiences: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: section kinds in the report's order
    sections: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: section kind -> the lead's own words beside it
    narrative: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    #: priority key -> what the partnership will do about it
    priority_responses: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    #: staff user ids, kept without a foreign key so removing an account keeps the report
    created_by: Mapped[int | None] = mapped_column(Integer)
    updated_by: Mapped[int | None] = mapped_column(Integer)
    created_on: Mapped[dt.date] = mapped_column(Date)
    updated_on: Mapped[dt.date] = mapped_column(Date)
    #: how many responses the campaign had when the report was last saved (to say when more arrive)
    responses_at_save: Mapped[int] = mapped_column(Integer, default=0)

    snapshots: Mapped[list[PublishedReport]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="PublishedReport.id"
    )


class PublishedReport(Base):
    """A frozen copy of a built report: what was published, exactly, and whether it still is."""

    __tablename__ = "published_report"
    __table_args__ = (
        # A republished report's snapshots share its address (its old links keep working), so the
        # address is unique only among the snapshots published now: one page per address.
        Index(
            "uq_published_report_live_slug",
            "slug",
            unique=True,
            sqlite_where=text("live"),
            postgresql_where=text("live"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("saved_report.id", ondelete="CASCADE"), index=True)
    #: the `FindingsReport` JSON as published: never rebuilt
    snapshot: Mapped[str] = mapped_column(Text)
    published_on: Mapped[dt.date] = mapped_column(Date)
    published_by: Mapped[int | None] = mapped_column(Integer)
    #: shown on the public pages without sign-in (otherwise only to signed-in staff)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the public address: unguessable, so an unpublished report's address reveals nothing; kept by
    #: every later snapshot of the same report, so republishing never breaks a shared link
    slug: Mapped[str] = mapped_column(String(40), index=True)
    #: cleared when unpublished (the row is kept, so the record of what was published stays)
    live: Mapped[bool] = mapped_column(Boolean, default=True)
    unpublished_on: Mapped[dt.date | None] = mapped_column(Date)

    report: Mapped[SavedReport] = relationship(back_populates="snapshots")
