"""Every first-party script that listens for events says so on the page, so browser tests can wait for
it (`wait_for_script` in conftest.py) instead of for time: a key pressed before a script listens is
lost, and a test that passes or fails on timing stops good changes from landing."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey_app.config import PACKAGE

SCRIPTS = sorted((PACKAGE / "static" / "js").glob("*.js"))


def test_there_are_scripts_to_check() -> None:
    assert {p.stem for p in SCRIPTS} >= {"respond", "coding-review", "kiosk"}


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_a_script_that_listens_marks_the_page_ready(script: Path) -> None:
    source = script.read_text(encoding="utf-8")
    if "addEventListener" not in source:
        pytest.skip(f"{script.name} attaches no handlers")
    assert "data-js-ready" in source and f'"{script.stem}"' in source, (
        f"{script.name} attaches handlers but never adds {script.stem!r} to <html data-js-ready>"
    )
