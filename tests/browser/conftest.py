"""Real-browser fixtures: a live server for the app, and Debian's Chromium driven by Playwright.

No browser is ever downloaded: the tests use /usr/bin/chromium (apt-get install chromium) and skip,
saying why, when it or the Playwright package is missing.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.journey_helpers import open_a_campaign_if_none_is

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: Screenshots for people to look at; deliberately outside the repository.
SCREENS = Path("/tmp/screens")  # noqa: S108 - the lead asked for them here, outside the repo
#: Fail fast: a respondent page that takes 10 seconds to appear is a failure anyway.
TIMEOUT_MS = 10_000
if sync_playwright is not None:
    # Assertions wait as long as actions and navigations do (Playwright's own default is 5 s): on a
    # loaded 2-core machine the quick exit's redirect, which has the browser clear the site's cookies
    # and storage first, has taken longer than 5 s.
    expect.set_options(timeout=TIMEOUT_MS)
#: Browser contexts opened with JavaScript off: their pages run no script, so there is none to wait for.
_SCRIPTS_OFF: weakref.WeakSet[Any] = weakref.WeakSet()

DEVICES: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    # A small phone, as teenagers use (iPhone SE size).
    "phone": {
        "viewport": {"width": 375, "height": 667},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    # A school tablet in portrait (iPad size).
    "tablet": {
        "viewport": {"width": 768, "height": 1024},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole run (each test gets fresh contexts, so no shared cookies)."""
    if sync_playwright is None:
        pytest.skip("Playwright for Python is not installed (pip install playwright); browser tests need it")
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} not found: install Debian's Chromium (apt-get install -y chromium) to run the browser tests"
        )
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


class _InFlight:
    """Counts requests the app is still handling, so a test's server can wait for them at the end.

    The browser may still be fetching (a word cloud, say) when a test finishes; if the app fixture
    then disposed of the database engine, that request's connection would outlive its pool (and,
    on PostgreSQL, hold locks the next test's clean-up has to wait for).
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.count = 0
        self.idle = threading.Condition()

    def __call__(self, environ: dict, start_response: Callable[..., Any]) -> Any:
        with self.idle:
            self.count += 1
        try:
            return self.app(environ, start_response)  # Flask tears its contexts down before returning
        finally:
            with self.idle:
                self.count -= 1
                self.idle.notify_all()

    def wait(self, seconds: float) -> None:
        with self.idle:
            self.idle.wait_for(lambda: self.count == 0, timeout=seconds)


def _serve(app: Flask) -> Iterator[str]:
    """Run the app on 127.0.0.1 on a free port in a daemon thread; yield its base URL."""
    counted = _InFlight(app)
    server = make_server("127.0.0.1", 0, counted, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        counted.wait(30)
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def live_server(app: Flask, loaded: Callable[[], None]) -> Iterator[str]:
    """Base URL of the app serving the every-question-type test questionnaire."""
    open_a_campaign_if_none_is()
    yield from _serve(app)


@pytest.fixture
def shipped_server(shipped_app: Flask) -> Iterator[str]:
    """Base URL of the app serving the real shipped questionnaires."""
    open_a_campaign_if_none_is()
    yield from _serve(shipped_app)


class Problems:
    """JavaScript errors and failed loads seen while browsing; a test fails if there are any."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def watch(self, page: Any) -> None:
        page.on("pageerror", lambda error: self.seen.append(f"JavaScript error on {page.url}: {error}"))
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        # Failed loads are reported through _response, with their URL.
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.seen.append(f"console error: {message.text}")

    def _response(self, response: Any) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.seen.append(f"HTTP {response.status} for {response.url}")


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh context: new_page(device="phone", js=True, **context_options)."""
    contexts = []
    problems = Problems()

    def open_page(device: str = "desktop", js: bool = True, **options: Any) -> Any:
        context = browser.new_context(java_script_enabled=js, **DEVICES[device], **options)
        if not js:
            _SCRIPTS_OFF.add(context)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems.seen, "the browser reported problems:\n" + "\n".join(problems.seen)


def wait_for_script(page: Any, name: str) -> None:
    """Wait until the page's script `name` (respond, coding-review, kiosk) has attached its handlers.

    Each script adds its name to <html data-js-ready> once it listens, so a key press or a click that
    depends on it is never sent before it is there. Call it once the page in question is showing (its
    URL or content has changed): the page before it had its own marker. With JavaScript off it returns.
    """
    if page.context in _SCRIPTS_OFF:
        return
    ready = re.compile(rf"(^|\s){re.escape(name)}(\s|$)")
    expect(page.locator("html")).to_have_attribute("data-js-ready", ready, timeout=TIMEOUT_MS)


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    """Save a full-page screenshot to /tmp/screens/<name>.png for people to look at."""

    def save(page: Any, name: str) -> Path:
        SCREENS.mkdir(parents=True, exist_ok=True)
        path = SCREENS / f"{name}.png"
        # A long staff page at full length can take more than Playwright's 10 s on two busy cores.
        page.screenshot(path=str(path), full_page=True, timeout=60_000)
        return path

    return save


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The test server (werkzeug's) leaves a static file open when the browser drops a connection
    mid-download, as quick exit does on purpose; that is the test server's leak, not the app's."""
    browser_dir = Path(__file__).parent
    for item in items:
        if browser_dir in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.filterwarnings("ignore:unclosed file:ResourceWarning"))
            item.add_marker(
                pytest.mark.filterwarnings(
                    "ignore:Exception ignored in. <_io.FileIO:pytest.PytestUnraisableExceptionWarning"
                )
            )
