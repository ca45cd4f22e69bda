"""Reading a respondent page's form the way a browser would, for bench/load.py.

A pupil's answers are chosen at random from what the page offers (one option of each set of radio
buttons, one tick box of each group, a marker in the first free-text box), so every questionnaire
page can be answered without knowing the questionnaire in advance.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from html.parser import HTMLParser

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


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.current: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.current = Form() if a.get("method", "get").lower() == "post" else None
            if self.current is not None:
                self.forms.append(self.current)
            return
        form, name = self.current, a.get("name", "")
        if form is None or not name or name == HONEYPOT:
            return
        kind = a.get("type", "text").lower()
        if tag == "input" and kind == "hidden":
            form.hidden.append((name, a.get("value", "")))
        elif tag == "input" and kind == "radio":
            form.radios.setdefault(name, []).append(a.get("value", ""))
        elif tag == "input" and kind == "checkbox":
            form.boxes.setdefault(name, []).append(a.get("value", ""))
        elif tag == "textarea":
            form.texts.append(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None


def parse_page(html: str) -> Page:
    """The largest post form on the page (the questions, not a language switch or a save button)."""
    reader = _Reader()
    reader.feed(html)
    forms = sorted(reader.forms, key=lambda f: f.size, reverse=True)
    return Page(forms[0] if forms else Form())
