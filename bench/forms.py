"""Reading a respondent page's form the way a browser would, for bench/load.py.

A pupil's answers are chosen at random from what the page offers (one option of each set of radio
buttons, one tick box of each group, a marker in the first free-text box), so every questionnaire
page can be answered without knowing the questionnaire in advance.
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass, field

#: the duplicate guard's hidden box: people never fill it, so neither does the bench
HONEYPOT = "website"


@dataclass
class Form:
    """One <form method="post">: its hidden fields and the answerable fields by name."""

    hidden: list[tuple[str, str]] = field(default_factory=list)
    radios: dict[str, list[str]] = field(default_factory=dict)
    boxes: dict[str, list[str]] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.hidden) + len(self.radios) + len(self.boxes) + len(self.texts)


@dataclass
class Page:
    """The page's main form."""

    form: Form

    @property
    def fields(self) -> list[tuple[str, str]]:
        """What is posted whatever the answers: the CSRF token and the other hidden fields."""
        return list(self.form.hidden)

    def answers(self, rng: random.Random | object, marker: str | None) -> list[tuple[str, str]]:
        """One random answer to each choice question, and `marker` in the first free-text box."""
        chooser = rng if hasattr(rng, "choice") else random
        out = [(name, chooser.choice(values)) for name, values in self.form.radios.items()]  # type: ignore[attr-defined]
        out += [(name, chooser.choice(values)) for name, values in self.form.boxes.items()]  # type: ignore[attr-defined]
        if marker and self.form.texts:
            out.append((self.form.texts[0], marker))
        return out


_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
_TAG = re.compile(r"<(input|textarea)\b([^>]*)>", re.I)
_ATTR = re.compile(r'([a-zA-Z_:-]+)(?:="([^"]*)")?')


def _form(body: str) -> Form:
    form = Form()
    for tag, raw in _TAG.findall(body):
        a = {k.lower(): html.unescape(v) for k, v in _ATTR.findall(raw)}
        name, kind = a.get("name", ""), a.get("type", "text").lower()
        if not name or name == HONEYPOT:
            continue
        if tag.lower() == "textarea":
            form.texts.append(name)
        elif kind == "hidden":
            form.hidden.append((name, a.get("value", "")))
        elif kind == "radio":
            form.radios.setdefault(name, []).append(a.get("value", ""))
        elif kind == "checkbox":
            form.boxes.setdefault(name, []).append(a.get("value", ""))
    return form


def parse_page(page_html: str) -> Page:
    """The largest post form on the page (the questions, not a language switch or a save button).

    Regular expressions rather than a full HTML parser: the bench shares the machine's cores with
    the server it measures, so reading a page must cost next to nothing.
    """
    forms = [_form(body) for attrs, body in _FORM.findall(page_html) if re.search(r'method="post"', attrs, re.I)]
    forms.sort(key=lambda f: f.size, reverse=True)
    return Page(forms[0] if forms else Form())
