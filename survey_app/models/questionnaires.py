"""Immutable, content-hashed versions of questionnaires."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

from sqlalchemy import JSON, Date, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from questionnaires.loader import parsed_once
from questionnaires.model import Questionnaire
from survey_app.extensions import Base


class QuestionnaireVersion(Base):
    """One exact meaning of a questionnaire. Never updated: editing a file makes a new version."""

    __tablename__ = "questionnaire_version"
    __table_args__ = (
        UniqueConstraint("questionnaire_id", "content_hash"),
        UniqueConstraint("questionnaire_id", "version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the questionnaire's stable id from its file, e.g. "young-people"
    questionnaire_id: Mapped[str] = mapped_column(String(80), index=True)
    #: 1, 2, 3 ... per questionnaire, in loading order
    version: Mapped[int] = mapped_column(Integer)
    #: SHA-256 of the canonical definition: identical meaning, identical hash
    content_hash: Mapped[str] = mapped_column(String(64))
    #: who it is for (children, young_people, ...)
    audience: Mapped[str] = mapped_column(String(20))
    #: its title, for lists
    title: Mapped[str] = mapped_column(String(200))
    #: the whole canonical definition (pages, questions, options) as JSON; read only when asked for,
    #: since pages use the `questionnaire` built once per process
    definition: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    #: the YAML file's text when it was loaded, kept for the record (never needed to serve a page)
    source_text: Mapped[str] = mapped_column(Text, deferred=True)
    #: the day it was loaded
    loaded_on: Mapped[dt.date] = mapped_column(Date)

    @cached_property
    def questionnaire(self) -> Questionnaire:
        """The definition as a Questionnaire object, built once per process for each version (versions never change)."""
        return parsed_once((self.questionnaire_id, self.content_hash), lambda: self.definition)


@event.listens_for(QuestionnaireVersion, "before_update")
def _refuse_update(mapper: Any, connection: Any, target: QuestionnaireVersion) -> None:
    """Stored answers rely on a version's meaning never changing."""
    raise ValueError("questionnaire versions are immutable: load the file again to make a new version")
