"""Saved coder models: a header naming the library versions that made them, then the pickle.

A pickled scikit-learn model is only safe to load with the scikit-learn version that wrote it:
another version may refuse it, or load it and code answers differently without saying so. So every
saved model records the versions of scikit-learn, numpy, scipy and Python that trained it, and a
model is read only where they match; otherwise the message says which library differs and that
the model must be retrained. The versions are checked before anything is unpickled.

The bytes are three parts: a magic line, one line of JSON (the versions), and the pickle. The
command line (`python -m analysis.coding train`) writes them to a file; the web app keeps them in
its database (the `coder_file` table, with the versions beside them), so every app server reads the
same model and each refuses it alike when its libraries differ.
"""

from __future__ import annotations

import json
import pickle
import platform
from typing import Any

import numpy
import scipy
import sklearn

MAGIC = b"community-voice-theme-coder/2\n"
#: Files from before versions were recorded: refused, since nothing says what made them.
UNVERSIONED_MAGIC = b"community-voice-theme-coder/1\n"
#: Libraries whose version must match exactly (pickles of scikit-learn estimators are tied to one release).
EXACT = ("scikit-learn",)
#: Libraries where the same major.minor is enough (their pickled arrays are stable within a release series).
SAME_SERIES = ("numpy", "scipy", "python")


class ModelFileError(ValueError):
    """A file that is not a coder model this program can use; the message says why."""


class LibraryMismatch(ModelFileError):
    """A coder model trained with other library versions than this server has: it must be retrained."""


def library_versions() -> dict[str, str]:
    """The versions of the libraries a saved model depends on, as running now."""
    return {
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "python": platform.python_version(),
    }


def _series(version: str) -> str:
    return ".".join(version.split(".")[:2])


def mismatches(saved: dict[str, str], current: dict[str, str] | None = None) -> list[str]:
    """What differs between the versions a model was saved with and this server's, in words (empty if none)."""
    current = current or library_versions()
    out = []
    for name in (*EXACT, *SAME_SERIES):
        theirs, ours = saved.get(name), current[name]
        if theirs is None:
            out.append(f"it does not say which {name} trained it; this server has {ours}")
        elif (theirs != ours) if name in EXACT else (_series(theirs) != _series(ours)):
            out.append(f"this model was trained with {name} {theirs}; this server has {ours}")
    return out


def dumps(model: Any) -> bytes:
    """A model as bytes: magic line, versions, pickle (store them anywhere a file could go)."""
    header = json.dumps(library_versions(), sort_keys=True).encode("utf-8") + b"\n"
    return MAGIC + header + pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)


def saved_versions(data: bytes, source: str = "the model") -> dict[str, str]:
    """The library versions recorded in a saved model (without unpickling it)."""
    if data.startswith(UNVERSIONED_MAGIC):
        raise LibraryMismatch(
            f"{source}: this model was saved before library versions were recorded, so it may not work "
            "with this server's scikit-learn: retrain it"
        )
    if not data.startswith(MAGIC):
        raise ModelFileError(f"{source}: not a theme coder written by `python -m analysis.coding train`")
    line, _, _ = data[len(MAGIC) :].partition(b"\n")
    try:
        versions = json.loads(line)
    except ValueError:
        raise ModelFileError(f"{source}: the model's header is damaged") from None
    if not isinstance(versions, dict):
        raise ModelFileError(f"{source}: the model's header is damaged")
    return {str(k): str(v) for k, v in versions.items()}


def loads(data: bytes, source: str = "the model") -> Any:
    """A model from `dumps` bytes, refused unless this server's libraries match the ones that trained it.

    Trusted files only: unpickling can run code. The magic line and versions are checked first.
    """
    different = mismatches(saved_versions(data, source))
    if different:
        raise LibraryMismatch(f"{source}: {'; '.join(different)}: retrain it")
    _, _, body = data[len(MAGIC) :].partition(b"\n")
    return pickle.loads(body)  # noqa: S301 - only our own files, checked above, written by `train`
