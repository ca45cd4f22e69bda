"""The coding engine stays a plain library: nothing in analysis/coding imports Flask or the web app."""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).parents[3] / "analysis" / "coding"


def test_engine_imports_no_flask_and_no_survey_app() -> None:
    for path in ENGINE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            for name in names:
                assert not name.startswith(("flask", "survey_app")), f"{path.name} imports {name}"
