"""Theme coding state: codebook versions, the codes on free-text answers, and trained coders.

The engine (`analysis.coding`) decides; these tables remember. Every code records where it came
from (the codebook's rules, a trained model, or a person), how confident it was, which codebook
version it was made under and what a reviewer decided, so earlier coding survives when analysts add,
merge or retire themes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.extensions import Base
from survey_app.models.responses import Response

CODE_SOURCES = ("rule", "model", "human")
#: applied: above the analyst's threshold; suggested: waiting in the review queue;
#: accepted / rejected / added: a reviewer's decision
CODE_STATUSES = ("applied", "suggested", "accepted", "rejected", "added")


class CodebookVersion(Base):
    """One version of a theme codebook, stored whole so old codes can always be read against it.

    Rows with no campaign are codebook files as shipped, shared by every campaign that has not edited
    its codebook. An analyst's edit makes a row for that campaign alone: codes, the review queue and
    trained coders are per campaign, and an edit for this year's survey must not change the themes
    of a campaign whose findings are already published. A campaign's current version is its newest
    row, or the shipped file's.
    """

    __tablename__ = "codebook_version"
    __table_args__ = (
        UniqueConstraint("campaign_id", "name", "version", name="uq_codebook_version_campaign_name_version"),
        CheckConstraint("version >= 1", name="version_positive"),
        # A shipped file is stored once; campaigns' edited versions may share content (two campaigns
        # making the same edit), so only shipped rows need a unique hash.
        Index(
            "uq_codebook_version_shipped_hash",
            "content_hash",
            unique=True,
            sqlite_where=text("campaign_id IS NULL"),
            postgresql_where=text("campaign_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the campaign whose analysts made this version; NULL for a codebook file as shipped
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    #: the codebook's name, e.g. "violence-reduction"
    name: Mapped[str] = mapped_column(String(80))
    #: 1, 2, 3 ... one higher after each change
    version: Mapped[int] = mapped_column(Integer)
    #: hash of the content (analysis.coding.codebook.Codebook.fingerprint; named so that no column
    #: anywhere looks like a device fingerprint, see tests/test_privacy_schema.py)
    content_hash: Mapped[str] = mapped_column(String(16), index=True)
    #: the whole codebook as plain data (Codebook.to_dict())
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: the day this version was made
    created_on: Mapped[dt.date] = mapped_column(Date)
    #: what changed, in the analyst's words ("merged media into social media")
    change_note: Mapped[str | None] = mapped_column(Text)

    @property
    def label(self) -> str:
        """As recorded with codes by the engine: name@version:content hash."""
        return f"{self.name}@{self.version}:{self.content_hash}"


class ThemeCode(Base):
    """One theme on one free-text answer: suggested, applied, or decided by a person."""

    __tablename__ = "theme_code"
    __table_args__ = (
        CheckConstraint(f"source IN {CODE_SOURCES!r}", name="source"),
        CheckConstraint(f"status IN {CODE_STATUSES!r}", name="status"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the anonymous response whose answer is coded (codes go when the response goes)
    response_id: Mapped[str] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), index=True)
    #: the free-text question's key
    question_key: Mapped[str] = mapped_column(String(80))
    #: the theme's key in the codebook
    theme_key: Mapped[str] = mapped_column(String(80), index=True)
    #: the codebook version the code was made under
    codebook_version_id: Mapped[int] = mapped_column(ForeignKey("codebook_version.id"), index=True)
    #: "rule", "model" or "human"
    source: Mapped[str] = mapped_column(String(10))
    #: 0..1; 1 for a person's decision
    confidence: Mapped[float] = mapped_column(Float)
    #: see CODE_STATUSES
    status: Mapped[str] = mapped_column(String(10), default="suggested")
    #: what triggered the theme: [{"phrase": codebook phrase, "start": .., "end": .., "negated": ..}];
    #: character offsets into the answer rather than its words, so removing the text removes them too
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: which trained coder made it (coder_model.version), for model codes
    model_version: Mapped[int | None] = mapped_column(Integer)
    #: the staff user who decided (staff_user.id); kept without a foreign key so coding history
    #: survives an account's removal and the two features migrate independently
    reviewer_id: Mapped[int | None] = mapped_column(Integer)
    #: the day a person decided
    decided_on: Mapped[dt.date | None] = mapped_column(Date)

    codebook_version: Mapped[CodebookVersion] = relationship()
    response: Mapped[Response] = relationship()


class CoderModel(Base):
    """A campaign's coder: the analyst's auto-apply threshold, and for trained ones what they learned
    from, how well they did out of fold and where the file is. The newest row is the one in use."""

    __tablename__ = "coder_model"
    __table_args__ = (
        UniqueConstraint("campaign_id", "codebook_version_id", "version", name="uq_coder_model_campaign_version"),
        CheckConstraint("auto_apply_threshold >= 0.5 AND auto_apply_threshold <= 1", name="threshold_range"),
        CheckConstraint("target_precision >= 0.5 AND target_precision < 1", name="target_precision_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the campaign whose reviewed answers it learned from (a model never crosses partnerships)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    #: the codebook version whose themes it codes
    codebook_version_id: Mapped[int] = mapped_column(ForeignKey("codebook_version.id"), index=True)
    #: 1, 2, 3 ... one higher after each retraining; 0 = the codebook's rules alone (no file)
    version: Mapped[int] = mapped_column(Integer)
    #: how many reviewed answers it was trained on
    trained_on_answers: Mapped[int] = mapped_column(Integer)
    #: the day it was trained
    trained_on: Mapped[dt.date] = mapped_column(Date)
    #: codes at or above this confidence are applied without review (the analyst's choice)
    auto_apply_threshold: Mapped[float] = mapped_column(Float, default=0.9)
    #: file name of the saved coder in the instance folder (written by ThemeCoder.save)
    file_name: Mapped[str] = mapped_column(String(200))
    #: out-of-fold figures from training: per-theme thresholds and F1, and the automation curves
    #: (analysis.coding.automation.curves) the analyst chooses per-theme thresholds from
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: the precision the analyst asked automatic codes to reach (each theme's confidence then follows
    #: the model's out-of-fold curve, also after retraining); NULL: one confidence for every theme
    target_precision: Mapped[float | None] = mapped_column(Float)
    #: confidences the analyst set for single themes, kept across retraining:
    #: {theme key: {"confidence": 0.85, "expected": precision the curve showed when set, or null}}
    theme_thresholds: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    codebook_version: Mapped[CodebookVersion] = relationship()
