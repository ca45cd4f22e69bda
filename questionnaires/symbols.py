"""Symbols: small first-party pictures shown beside key words in easy-read questionnaires.

A symbol is named by its file in `static/symbols/` without `.svg` (`house` is
`static/symbols/house.svg`). The words always say the same as the picture, so pictures are
decoration for screen readers (alt="") and a missing picture never hides meaning; the checker
still refuses a name with no file, so a typo is caught before anyone sees a broken image.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from questionnaires.scales import DONT_KNOW, OTHER, PREFER_NOT_TO_SAY

#: Where symbols live: the app's first-party static folder (never fetched from elsewhere).
SYMBOL_FOLDER = Path(__file__).resolve().parent.parent / "survey_app" / "static" / "symbols"
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")

#: The answers the app adds itself get the same picture in every easy-read questionnaire.
ADDED_ANSWER_SYMBOLS = {DONT_KNOW[0]: "dont-know", PREFER_NOT_TO_SAY[0]: "prefer-not-to-say", OTHER[0]: "write"}


def available_symbols(folder: Path | None = None) -> frozenset[str]:
    """The names of every symbol in the symbols folder."""
    folder = folder or SYMBOL_FOLDER
    return frozenset(path.stem for path in folder.glob("*.svg")) if folder.is_dir() else frozenset()


def symbol_problem(name: object, known: frozenset[str]) -> str | None:
    """Why `name` is not a usable symbol, in plain words (None when it is fine)."""
    if not isinstance(name, str) or not NAME_RE.match(name):
        return (
            f"symbol {name!r} should be the name of a file in static/symbols/ without '.svg', "
            "using lower-case letters, numbers and dashes (for example: house)"
        )
    if name in known:
        return None
    close = difflib.get_close_matches(name, sorted(known), n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return (
        f"unknown symbol '{name}': there is no static/symbols/{name}.svg.{hint} "
        f"(symbols there: {', '.join(sorted(known)) or 'none'})"
    )
