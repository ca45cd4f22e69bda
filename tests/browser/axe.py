"""axe-core in real Chromium: run it on a page and report WCAG 2.2 A/AA violations in plain words.

axe-core comes from npm, pinned in tests/browser/package.json and package-lock.json, and is installed
into tests/browser/node_modules (gitignored) by `ensure_axe()` the first time a test needs it, so a
clean clone needs nothing more than `npm` on the PATH. Reuse it from any browser test:

    from tests.browser.axe import assert_accessible
    assert_accessible(page, "staff sign-in page")
"""

from __future__ import annotations

import json
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
#: WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def ensure_axe() -> Path:
    """Install the pinned axe-core with npm if it is not there yet; skip (saying why) without npm."""
    if AXE_JS.exists():
        return AXE_JS
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip(
            "npm is not installed, so axe-core cannot be installed for the accessibility tests "
            "(apt-get install npm, or run `npm ci` in tests/browser)"
        )
    command = [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    done = subprocess.run(command, cwd=HERE, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603 - fixed command
    if done.returncode != 0 or not AXE_JS.exists():
        raise RuntimeError(f"`npm ci` in {HERE} failed:\n{done.stdout}\n{done.stderr}")
    return AXE_JS


@lru_cache(maxsize=1)
def axe_source() -> str:
    """The axe-core script text."""
    return ensure_axe().read_text(encoding="utf-8")


def violations(page: Any, tags: list[str] | None = None) -> list[dict]:
    """Run axe-core on the page as it is now; return its violations (empty when accessible)."""
    # Evaluated through the DevTools protocol, so the page's own Content-Security-Policy (which allows
    # only its own scripts) stays in force and is tested exactly as respondents get it.
    # A click's navigation changes the URL before the stylesheet has loaded; judging the page
    # unstyled would report the browser's default, not ours (tiny header links, say).
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source() + "\n;undefined")
    result = page.evaluate(
        "async (tags) => JSON.stringify(await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']}))",
        tags or WCAG_TAGS,
    )
    return json.loads(result)["violations"]


def describe(found: list[dict]) -> str:
    """Violations in words: the rule, why it matters, and which elements."""
    lines = []
    for v in found:
        lines.append(
            f"- {v['id']} ({v['impact']}): {v['help']} [{', '.join(t for t in v['tags'] if t.startswith('wcag'))}]"
        )
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


def assert_accessible(page: Any, where: str, tags: list[str] | None = None) -> None:
    """Fail with a readable list if axe-core finds any WCAG 2.2 A/AA violation on the page."""
    found = violations(page, tags)
    assert not found, f"axe-core found accessibility problems on {where} ({page.url}):\n{describe(found)}"
