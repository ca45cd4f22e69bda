"""Static files with versioned addresses, cached for a year, compressed once, served before Flask.

Every page used to revalidate its styles and script (no-cache with an ETag), which on sync workers
cost whole extra requests per page, and nothing was compressed. Now:

- `url_for('static', filename='css/respond.css')` gives `/static/css/respond.<hash>.css`, the hash
  being the file's content, so a deploy that changes a file changes its address: a browser or proxy
  can never serve a stale copy, and the versioned address is cached for a year as immutable.
- Files are read and compressed (gzip, and brotli where the library is installed) once when the app
  is built, from the package's own folder, so an installed wheel works the same as a checkout.
- They are answered before Flask's request handling (no session, no database, no hooks), with the
  same security headers as every page.

Images keep their plain addresses (templates and the easy-read symbols name them directly), with a
shorter cache and an ETag; the plain address of a stylesheet or script still works the same way.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask

#: versioned addresses never change meaning: a year, and no revalidation
IMMUTABLE = "public, max-age=31536000, immutable"
#: plain addresses may change with a deploy: an hour, then revalidated with the ETag
REVALIDATE = "public, max-age=3600"
#: the files that change with the code and so get versioned addresses
VERSIONED = frozenset({".css", ".js"})
#: worth compressing (images such as PNG are compressed already)
COMPRESSIBLE = frozenset({".css", ".js", ".svg", ".json", ".txt", ".map", ".html"})
#: compressing anything smaller saves less than the headers cost
MIN_COMPRESS = 256
HASH_LENGTH = 12

try:  # brotli comes with the PDF and font libraries; gzip alone is fine without it
    import brotli as _brotli
except ImportError:  # pragma: no cover - depends on what is installed
    _brotli = None


@dataclass(frozen=True)
class StaticFile:
    """One file, as read and compressed at start-up."""

    body: bytes
    encodings: tuple[tuple[str, bytes], ...]  # (content-coding, body), best first
    content_type: str
    etag: str


def _read(path: Path) -> StaticFile:
    body = path.read_bytes()
    digest = hashlib.sha256(body).hexdigest()[:HASH_LENGTH]
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type in ("application/javascript", "image/svg+xml"):
        content_type += "; charset=utf-8"
    encodings: list[tuple[str, bytes]] = []
    if path.suffix in COMPRESSIBLE and len(body) >= MIN_COMPRESS:
        if _brotli is not None:
            encodings.append(("br", _brotli.compress(body, quality=11)))
        encodings.append(("gzip", gzip.compress(body, compresslevel=9, mtime=0)))
    smaller = tuple((coding, data) for coding, data in encodings if len(data) < len(body))
    return StaticFile(body, smaller, content_type, f'"{digest}"')


def _accepted(header: str) -> set[str]:
    """Content-codings an Accept-Encoding header allows (q=0 refuses one)."""
    allowed = set()
    for item in header.split(","):
        coding, _, params = item.strip().partition(";")
        q = params.strip().removeprefix("q=") if params.strip().startswith("q=") else "1"
        try:
            if float(q) > 0:
                allowed.add(coding.strip().lower())
        except ValueError:
            continue
    return allowed


class StaticFiles:
    """Every file under a folder, by the address it is served at; plus the versioned name of each."""

    def __init__(self, folder: Path, url_path: str = "/static") -> None:
        self.prefix = url_path.rstrip("/") + "/"
        self.versioned: dict[str, str] = {}  # filename -> versioned filename
        self.routes: dict[str, tuple[StaticFile, bool]] = {}  # address -> (file, versioned)
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = path.relative_to(folder).as_posix()
            file = _read(path)
            self.routes[self.prefix + name] = (file, False)
            if path.suffix in VERSIONED:
                stem, dot, suffix = name.rpartition(".")
                self.versioned[name] = f"{stem}.{file.etag.strip(chr(34))}{dot}{suffix}"
                self.routes[self.prefix + self.versioned[name]] = (file, True)

    def url_defaults(self, endpoint: str, values: dict[str, Any]) -> None:
        """Flask url_defaults hook: url_for('static', filename=...) gives the versioned address."""
        if endpoint == "static" and "filename" in values:
            values["filename"] = self.versioned.get(values["filename"], values["filename"])

    def middleware(self, app: Callable, headers: Callable[[dict], list[tuple[str, str]]]) -> Callable:
        """A WSGI app answering GET and HEAD for known files itself, passing everything else to `app`."""

        def serve(environ: dict, start_response: Callable) -> Iterable[bytes]:
            found = self.routes.get(environ.get("PATH_INFO", ""))
            method = environ.get("REQUEST_METHOD", "GET")
            if found is None or method not in ("GET", "HEAD"):
                return app(environ, start_response)
            file, versioned = found
            accepted = _accepted(environ.get("HTTP_ACCEPT_ENCODING", ""))
            coding, body = next(((c, b) for c, b in file.encodings if c in accepted), ("", file.body))
            etag = f'{file.etag[:-1]}-{coding}"' if coding else file.etag
            common = [
                ("Cache-Control", IMMUTABLE if versioned else REVALIDATE),
                ("ETag", etag),
                ("Vary", "Accept-Encoding"),
                *headers(environ),
            ]
            if etag in environ.get("HTTP_IF_NONE_MATCH", ""):
                start_response("304 Not Modified", common)
                return [b""]
            response_headers = [("Content-Type", file.content_type), ("Content-Length", str(len(body))), *common]
            if coding:
                response_headers.append(("Content-Encoding", coding))
            start_response("200 OK", response_headers)
            return [b"" if method == "HEAD" else body]

        return serve


def init_static_files(app: Flask) -> StaticFiles:
    """Read the app's static folder and serve it (call before wrapping wsgi_app in ProxyFix, so the
    headers see the scheme the proxy reported)."""
    from survey_app import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY  # noqa: PLC0415 - the package is built by now

    assert app.static_folder is not None
    files = StaticFiles(Path(app.static_folder), app.static_url_path or "/static")
    hsts = int(getattr(app.config.get("COMMUNITY_VOICE"), "hsts_seconds", 0))
    fixed = [
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("Referrer-Policy", "no-referrer"),
        ("X-Content-Type-Options", "nosniff"),
        ("Permissions-Policy", PERMISSIONS_POLICY),
    ]

    def headers(environ: dict) -> list[tuple[str, str]]:
        if hsts and environ.get("wsgi.url_scheme") == "https":
            return [*fixed, ("Strict-Transport-Security", f"max-age={hsts}")]
        return fixed

    app.wsgi_app = files.middleware(app.wsgi_app, headers)  # type: ignore[method-assign]  # wrapping wsgi_app is the documented way to add middleware
    app.url_defaults(files.url_defaults)
    app.extensions["static_files"] = files
    return files
