"""Small pieces every staff page uses: the view return type and file downloads."""

from __future__ import annotations

from flask import Response
from werkzeug.wrappers import Response as WerkzeugResponse

#: What a staff view returns: a page, a redirect or file, or a page with its status code.
View = str | WerkzeugResponse | tuple[str, int]


def download(data: bytes | str, mimetype: str, filename: str, inline: bool = False) -> Response:
    """A file for the browser to save (or, inline, to show)."""
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response
