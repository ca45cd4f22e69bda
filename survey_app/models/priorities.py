"""A partnership's own priorities: the names its strategy uses and the themes and measures behind each.

A partnership with no rows uses the seed priorities (`analysis.report.priorities.SEED_PRIORITIES`);
the first change on the settings page copies the seeds into rows, so what the lead sees is what
every later report and results page uses.
"""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.extensions import Base


class PartnershipPriority(Base):
    """One priority of one partnership, in the order the partnership lists them."""

    __tablename__ = "partnership_priority"
    __table_args__ = (UniqueConstraint("partnership_id", "key", name="uq_partnership_priority_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"), index=True)
    #: stable identifier: saved reports key "what we will do" by it, so renaming keeps the words
    key: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: codebook theme keys whose free-text answers raise this priority
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: survey measures whose findings are quoted as evidence for it
    measures: Mapped[list[str]] = mapped_column(JSON, default=list)
