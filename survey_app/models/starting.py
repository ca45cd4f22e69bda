"""A campaign's chosen starting model for theme coding (see survey_app.staff.free_text.starting)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.extensions import Base

STARTING_SOURCES = ("campaigns", "public")


class StartingModel(Base):
    """A campaign's chosen starting model: what it was trained on (the partnership's earlier campaigns'
    reviewed answers, or the public set's answers for the themes that map onto this codebook), which
    themes it covers, and how well it is expected to do until the campaign's own reviewed answers
    check it. The newest row in use is the campaign's choice; stopping it keeps the row as a record."""

    __tablename__ = "coding_starting_model"
    __table_args__ = (CheckConstraint(f"source IN {STARTING_SOURCES!r}", name="starting_source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    #: "campaigns" (earlier campaigns of the same partnership) or "public" (the shared public set)
    source: Mapped[str] = mapped_column(String(10))
    #: the earlier campaigns whose reviewed answers it learns from (empty for the public set); ids,
    #: never their answers: the texts stay in those campaigns' own rows, inside the partnership
    source_campaign_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    #: the theme keys it codes, and those of the codebook it has no examples for
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    missing_themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: how many answers it was trained on (set when training finishes)
    starting_answers: Mapped[int] = mapped_column(Integer, default=0)
    #: the expected agreement before it is checked (analysis.coding.transfer.Expectation.to_dict())
    expected: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: the coder trained from it (coder_model.id), once training has finished
    coder_model_id: Mapped[int | None] = mapped_column(ForeignKey("coder_model.id", ondelete="SET NULL"))
    #: the staff user who chose it (staff_user.id, without a foreign key, like theme_code.reviewer_id)
    chosen_by: Mapped[int | None] = mapped_column(Integer)
    chosen_on: Mapped[dt.date] = mapped_column(Date)
    #: false once the analyst stops using it (retraining then learns from the campaign's own answers only)
    in_use: Mapped[bool] = mapped_column(Boolean, default=True)
