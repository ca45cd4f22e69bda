"""Trained theme coders kept in the database, where every app server reads the same bytes.

A coder's bytes are analysis.coding.model_file's format (a magic line, the library versions that
trained it, the pickle), stored in `coder_file` beside a copy of those versions. A server whose
scikit-learn, numpy, scipy or Python differ refuses the model (and the coding page says why); the
codebook's rules code until it is retrained. Each process unpickles a coder once and keeps a few.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from sqlalchemy import delete, select

from survey_app.extensions import db
from survey_app.models.coding import CoderModel
from survey_app.models.jobs import CoderFile

if TYPE_CHECKING:
    from analysis.coding.engine import ThemeCoder

#: trained coders whose saved bytes are kept per campaign (the newest; older ones keep only their figures)
KEEP = 3

#: trained coders this process has unpickled, by the SHA-256 of their bytes (a few campaigns at most)
_LOADED: dict[str, ThemeCoder] = {}
_LOADED_MAX = 4


def store(model: CoderModel, coder: ThemeCoder) -> None:
    """Save a newly trained coder's bytes for its (flushed) model row, and let the oldest go."""
    from analysis.coding.model_file import dumps, library_versions  # heavy: with scikit-learn

    data = dumps(coder)
    db.session.add(
        CoderFile(
            coder_model_id=model.id,
            library_versions=library_versions(),
            sha256=hashlib.sha256(data).hexdigest(),
            data=data,
        )
    )
    older = (
        select(CoderModel.id)
        .where(CoderModel.campaign_id == model.campaign_id, CoderModel.id != model.id)
        .order_by(CoderModel.id.desc())
        .offset(KEEP - 1)
    )
    db.session.execute(delete(CoderFile).where(CoderFile.coder_model_id.in_(older)))
    db.session.flush()


def load(model: CoderModel) -> ThemeCoder | None:
    """The model's trained coder, or None when its bytes are not stored. Raises ModelFileError
    (LibraryMismatch) when it was trained with other library versions than this server has."""
    from analysis.coding.engine import ThemeCoder
    from analysis.coding.model_file import ModelFileError, loads

    stored = db.session.get(CoderFile, model.id)
    if stored is None:
        return None
    coder = _LOADED.get(stored.sha256)
    if coder is None:
        loaded = loads(stored.data, f"coder model {stored.coder_model_id}")
        if not isinstance(loaded, ThemeCoder):
            raise ModelFileError(f"coder model {stored.coder_model_id}: not a theme coder")
        while len(_LOADED) >= _LOADED_MAX:
            _LOADED.pop(next(iter(_LOADED)))
        coder = _LOADED[stored.sha256] = loaded
    return coder


def problem(model: CoderModel | None) -> str | None:
    """Why a trained coder cannot be used on this server, in words, or None (from the versions stored
    beside it, without unpickling anything)."""
    from analysis.coding.model_file import mismatches

    if model is None or not model.file_name:
        return None
    versions = db.session.scalar(select(CoderFile.library_versions).where(CoderFile.coder_model_id == model.id))
    if versions is None:
        return "the trained coder was not saved where every server can read it"
    different = mismatches(versions)
    return "; ".join(different) if different else None
