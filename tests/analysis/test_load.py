"""The loader's own view of the schema stays in step with the app's models."""

from __future__ import annotations

import ast
from pathlib import Path

import survey_app.models  # noqa: F401 - registers every table
from analysis import schema
from survey_app.extensions import Base

ANALYSIS = Path(schema.__file__).parent


def test_every_column_analysis_reads_exists_in_the_models() -> None:
    for name, table in schema.metadata.tables.items():
        model = Base.metadata.tables[name]
        for column in table.columns:
            assert column.name in model.columns, f"{name}.{column.name} is not in survey_app's models"
            assert column.type.python_type == model.columns[column.name].type.python_type


def test_analysis_never_imports_flask_or_the_app() -> None:
    modules = sorted(ANALYSIS.rglob("*.py"))
    assert ANALYSIS / "disclosure" / "tables.py" in modules  # packages are walked too
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            for imported in names:
                assert not imported.startswith(("flask", "survey_app")), (
                    f"{path.relative_to(ANALYSIS.parent)} imports {imported}"
                )
