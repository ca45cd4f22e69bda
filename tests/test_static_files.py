"""Static files: versioned addresses cached for a year, compressed, and never stale after a deploy."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from survey_app.static_files import StaticFiles
from tests.journey_helpers import open_a_campaign_if_none_is


def _assets(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)


def test_pages_link_versioned_styles_and_script_cached_for_a_year(client: FlaskClient, loaded: object) -> None:
    open_a_campaign_if_none_is()
    assets = _assets(client.get("/start").text)
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    for address in assets:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", address), address
        with client.get(address) as served:
            assert served.status_code == 200
            cache = served.headers["Cache-Control"]
            assert "max-age=31536000" in cache and "immutable" in cache
            assert served.headers["X-Content-Type-Options"] == "nosniff"
            assert "camera=()" in served.headers["Permissions-Policy"]


def test_compressed_when_the_browser_asks(client: FlaskClient, loaded: object, app: Flask) -> None:
    css = next(a for a in _assets(client.get("/").text) if a.endswith("respond.css") or ".css" in a)
    original = (
        Path(app.static_folder or "") / re.sub(r"\.[0-9a-f]{12}\.", ".", css.removeprefix("/static/"))
    ).read_bytes()
    with client.get(css, headers={"Accept-Encoding": "gzip"}) as zipped:
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in zipped.headers["Vary"]
        assert gzip.decompress(zipped.get_data()) == original
        assert int(zipped.headers["Content-Length"]) < len(original)
        etag = zipped.headers["ETag"]
    with client.get(css, headers={"Accept-Encoding": "identity"}) as plain:
        assert "Content-Encoding" not in plain.headers and plain.get_data() == original
    with client.get(css, headers={"Accept-Encoding": "gzip", "If-None-Match": etag}) as again:
        assert again.status_code == 304 and again.get_data() == b""


def test_plain_addresses_still_work_but_are_revalidated(client: FlaskClient, loaded: object) -> None:
    with client.get("/static/css/respond.css") as served:
        assert served.status_code == 200 and served.mimetype == "text/css"
        assert "immutable" not in served.headers["Cache-Control"] and served.headers["ETag"]
    with client.get("/static/symbols/warning.svg") as symbol:
        assert symbol.status_code == 200 and symbol.mimetype == "image/svg+xml"
    assert client.get("/static/css/respond.000000000000.css").status_code == 404


def test_the_versioned_address_changes_when_the_file_changes(tmp_path: Path) -> None:
    """A deploy that edits a stylesheet gives it a new address, and the old address is no longer served."""
    (tmp_path / "css").mkdir()
    sheet = tmp_path / "css" / "site.css"
    sheet.write_text("body { color: black; }\n" * 20, encoding="utf-8")
    before = StaticFiles(tmp_path)
    old = before.versioned["css/site.css"]
    sheet.write_text("body { color: navy; }\n" * 20, encoding="utf-8")
    after = StaticFiles(tmp_path)
    new = after.versioned["css/site.css"]
    assert old != new and old.startswith("css/site.") and new.endswith(".css")
    assert "/static/" + new in after.routes and "/static/" + old not in after.routes
    values = {"filename": "css/site.css"}
    after.url_defaults("static", values)
    assert values["filename"] == new


def test_https_static_files_carry_hsts(app: Flask, loaded: object) -> None:
    client = app.test_client()
    with client.get("/static/css/respond.css", base_url="https://survey.example.org") as served:
        assert served.headers["Strict-Transport-Security"].startswith("max-age=")
    with client.get("/static/css/respond.css") as plain:
        assert "Strict-Transport-Security" not in plain.headers
