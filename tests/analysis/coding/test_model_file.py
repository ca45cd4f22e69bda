"""Saved coders carry the library versions that trained them, and a mismatched one is refused before unpickling."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest
import sklearn

from analysis.coding.codebook import load_codebook
from analysis.coding.engine import ThemeCoder
from analysis.coding.learned import CoderSettings
from analysis.coding.model_file import MAGIC, UNVERSIONED_MAGIC, LibraryMismatch, library_versions, saved_versions
from tests.analysis.coding.conftest import synthetic

FAST = CoderSettings(n_jobs=1, folds=3)


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> tuple[ThemeCoder, Path]:
    """A small trained coder and the file it was saved to."""
    texts, Y, keys = synthetic(80, seed=5)
    coder = ThemeCoder(load_codebook(), keys, FAST).fit(texts, Y)
    path = tmp_path_factory.mktemp("coder") / "coder.pkl"
    coder.save(path)
    return coder, path


def _with_versions(path: Path, out: Path, **changes: str) -> Path:
    """The same model file as another server would have written it, with other library versions."""
    data = path.read_bytes()
    header, _, body = data[len(MAGIC) :].partition(b"\n")
    versions = {**json.loads(header), **changes}
    out.write_bytes(MAGIC + json.dumps(versions).encode() + b"\n" + body)
    return out


def test_every_saved_model_records_the_library_versions(saved: tuple[ThemeCoder, Path]) -> None:
    _, path = saved
    versions = saved_versions(path.read_bytes())
    assert versions == library_versions()
    assert versions["scikit-learn"] == sklearn.__version__ and set(versions) >= {"numpy", "scipy", "python"}


def test_a_model_with_matching_versions_loads_and_codes_the_same(saved: tuple[ThemeCoder, Path]) -> None:
    coder, path = saved
    texts, _, _ = synthetic(10, seed=9)
    again = ThemeCoder.load(path)
    assert np.array_equal(again.probabilities(texts)[0], coder.probabilities(texts)[0])


def test_a_model_from_another_scikit_learn_is_refused_with_what_to_do(
    saved: tuple[ThemeCoder, Path], tmp_path: Path
) -> None:
    other = _with_versions(saved[1], tmp_path / "old.pkl", **{"scikit-learn": "1.2.0"})
    with pytest.raises(LibraryMismatch) as refused:
        ThemeCoder.load(other)
    assert f"this model was trained with scikit-learn 1.2.0; this server has {sklearn.__version__}: retrain it" in str(
        refused.value
    )


def test_another_numpy_series_is_refused_but_a_patch_release_is_not(
    saved: tuple[ThemeCoder, Path], tmp_path: Path
) -> None:
    major, minor, *_ = np.__version__.split(".")
    with pytest.raises(LibraryMismatch, match=f"trained with numpy 1.26.4; this server has {np.__version__}"):
        ThemeCoder.load(_with_versions(saved[1], tmp_path / "numpy1.pkl", numpy="1.26.4"))
    assert isinstance(
        ThemeCoder.load(_with_versions(saved[1], tmp_path / "p.pkl", numpy=f"{major}.{minor}.999")), ThemeCoder
    )


def test_the_versions_are_checked_before_anything_is_unpickled(tmp_path: Path) -> None:
    # A body that would fail loudly if unpickled: the refusal must come from the header alone.
    versions = {**library_versions(), "scikit-learn": "0.24.2"}
    path = tmp_path / "bad.pkl"
    path.write_bytes(MAGIC + json.dumps(versions).encode() + b"\n" + b"not a pickle at all")
    with pytest.raises(LibraryMismatch, match="scikit-learn 0.24.2"):
        ThemeCoder.load(path)


def test_a_model_saved_before_versions_were_recorded_is_refused(saved: tuple[ThemeCoder, Path], tmp_path: Path) -> None:
    path = tmp_path / "unversioned.pkl"
    path.write_bytes(UNVERSIONED_MAGIC + pickle.dumps(saved[0]))
    with pytest.raises(LibraryMismatch, match="saved before library versions were recorded.*retrain it"):
        ThemeCoder.load(path)
