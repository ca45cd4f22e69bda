"""Campaigns (a consultation such as "Youth Safety Survey 2026") and their collection points."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import Base

COLLECTION_KINDS = ("online", "school", "youth_club", "community_event", "paper")


class Campaign(Base):
    """A consultation run over a period, using some questionnaires."""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: short name used in links, e.g. "youth-safety-2026"
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    #: the name people see
    name: Mapped[str] = mapped_column(String(200))
    #: words for the landing page
    description: Mapped[str] = mapped_column(Text, default="")
    #: first day answers are accepted
    opens_on: Mapped[dt.date] = mapped_column(Date)
    #: last day answers are accepted
    closes_on: Mapped[dt.date] = mapped_column(Date)
    #: ids of the questionnaires it uses (their current versions are shown)
    questionnaire_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: the areas (wards or neighbourhoods) it covers, as values from an area list, e.g. ["stretford"]
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: the partnership that runs it; its staff alone can see it (NULL only for data made before partnerships)
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnership.id"), index=True)
    #: days after closing that answers are kept before `flask retention apply` removes them
    retention_days: Mapped[int] = mapped_column(Integer, default=365, server_default="365")
    #: what retention removes: "free_text" (the words typed) or "responses" (whole responses)
    retention_action: Mapped[str] = mapped_column(String(20), default="free_text", server_default="free_text")
    #: response targets: {"total": 3000, "young_people": 1500, ...} (audience ids or "total")
    targets: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)

    #: the name and description in other languages, typed by staff: {"ur": {"name": "...", "description": "..."}}
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)

    collection_points: Mapped[list[CollectionPoint]] = relationship(back_populates="campaign")

    def shown_name(self, locale: str) -> str:
        """The name in this language, or in English where nobody has translated it."""
        return (self.translations or {}).get(locale.split("_")[0], {}).get("name") or self.name

    def shown_description(self, locale: str) -> str:
        """The description in this language, or in English where nobody has translated it."""
        return (self.translations or {}).get(locale.split("_")[0], {}).get("description") or self.description

    def is_open(self, today: dt.date) -> bool:
        """Whether answers are accepted today."""
        return self.opens_on <= today <= self.closes_on


class CollectionPoint(Base):
    """Where answers come through (a school, an online link, an event, paper): never who."""

    __tablename__ = "collection_point"
    __table_args__ = (CheckConstraint(f"kind IN {COLLECTION_KINDS!r}", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the campaign it belongs to
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    #: its name, e.g. "Stretford High School"
    name: Mapped[str] = mapped_column(String(200))
    #: online, school, youth_club, community_event or paper
    kind: Mapped[str] = mapped_column(String(20))
    #: the short code people type or scan
    code: Mapped[str] = mapped_column(String(16), unique=True)

    campaign: Mapped[Campaign] = relationship(back_populates="collection_points")
