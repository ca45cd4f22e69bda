"""Headline figures of an earlier wave, imported from a CSV because its raw answers are held elsewhere.

Findings compare a campaign's headline share with the figure for the same measure and audience
(`analysis.waves`, which reads this table with its own Core definition) and say it was imported.
Figures are aggregates someone already published: they hold no answers and nothing about a person.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from questionnaires.model import AUDIENCES
from survey_app.extensions import Base


class ImportedFigure(Base):
    """One earlier headline figure: `numerator` of `base` people in `year` gave a measure's headline answer."""

    __tablename__ = "imported_figure"
    __table_args__ = (
        UniqueConstraint("campaign_id", "measure", "audience", "year", name="uq_imported_figure_measure_year"),
        CheckConstraint(f"audience IN {AUDIENCES!r}", name="audience"),
        CheckConstraint("base > 0 AND numerator >= 0 AND numerator <= base", name="numerator_within_base"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the campaign whose findings compare with it (figures go when the campaign goes)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    #: the shared measure id (or question key) it is a figure for
    measure: Mapped[str] = mapped_column(String(80))
    #: who it describes: one of questionnaires.model.AUDIENCES
    audience: Mapped[str] = mapped_column(String(20))
    #: how many gave the measure's headline answers
    numerator: Mapped[int] = mapped_column(Integer)
    #: how many answered
    base: Mapped[int] = mapped_column(Integer)
    #: the year of the earlier wave
    year: Mapped[int] = mapped_column(Integer)
    #: the earlier survey's name, as the analyst gave it
    label: Mapped[str] = mapped_column(String(200), default="")
    #: where the figure was published
    source: Mapped[str] = mapped_column(String(300), default="")
    #: the day it was imported (a date, never a time)
    imported_on: Mapped[dt.date] = mapped_column(Date)
