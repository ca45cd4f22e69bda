"""The demo data for the staff browser tests, built once per test process and restored for each test."""

from __future__ import annotations

import pytest
from flask import Flask

from tests import snapshot

#: responses in the demo campaign the staff browser tests work on
DEMO_RESPONSES = 900


def _make_demo(app: Flask) -> None:
    from survey_app.demo import build_demo

    build_demo(responses=DEMO_RESPONSES, seed=2026)
    result = app.test_cli_runner().invoke(args=["users", "demo"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="session")
def demo_rows(tmp_path_factory: pytest.TempPathFactory, _postgres_schema: None) -> snapshot.Snapshot:
    """The demo campaign with its partnership, accounts and safeguarding flags, as `flask demo` and
    `flask users demo` make them. Building it costs about seven seconds of CPU (900 responses, argon2
    for six accounts, the safeguarding rules over every answer); restoring the rows costs about half a
    second, and every test still starts from exactly the same data."""
    return snapshot.build(tmp_path_factory.mktemp("demo"), _make_demo)
