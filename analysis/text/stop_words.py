"""scikit-learn's English stop words, without importing scikit-learn.

Several text modules need the list when they are imported, and the web app imports them when it
starts; importing scikit-learn for a word list would load SciPy and much more into every web
worker. The list is read from scikit-learn's own file (so it is exactly the list the vectorisers
use), and only if that file cannot be read is scikit-learn imported for it.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path


def _english_stop_words() -> frozenset[str]:
    spec = importlib.util.find_spec("sklearn")  # finds the package without importing it
    if spec is not None and spec.origin:
        source = Path(spec.origin).parent / "feature_extraction" / "_stop_words.py"
        try:
            for node in ast.parse(source.read_text(encoding="utf-8")).body:
                if (
                    isinstance(node, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "ENGLISH_STOP_WORDS" for t in node.targets)
                    and isinstance(node.value, ast.Call)
                    and node.value.args
                ):
                    return frozenset(ast.literal_eval(node.value.args[0]))
        except (OSError, SyntaxError, ValueError):
            pass
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as words  # the file moved: ask the library

    return frozenset(words)


ENGLISH_STOP_WORDS: frozenset[str] = _english_stop_words()
