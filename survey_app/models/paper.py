"""Paper returns: completed templates imported by staff, each file once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.extensions import Base


class PaperImport(Base):
    """One imported file of paper questionnaires; its content hash stops the same file going in twice."""

    __tablename__ = "paper_import"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: SHA-256 of the file's bytes; UNIQUE, so the same file is never imported twice
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: the file's name when it was uploaded, for the staff's records
    filename: Mapped[str] = mapped_column(String(255))
    #: the questionnaire the rows answer
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_version.id"))
    #: the paper collection point the forms came through, if given
    collection_point_id: Mapped[int | None] = mapped_column(ForeignKey("collection_point.id"))
    #: rows imported
    imported_rows: Mapped[int] = mapped_column(Integer)
    #: rows left out because they had problems
    rejected_rows: Mapped[int] = mapped_column(Integer)
    #: the day it was imported
    imported_on: Mapped[dt.date] = mapped_column(Date)
