"""Short codes people read aloud, type and scan: no 0/O or 1/I, and never the same code twice."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError

from survey_app.extensions import db

#: Letters and digits that cannot be mistaken for each other when read aloud or handwritten.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: Collection point codes (printed on posters, kept for a whole campaign).
POINT_CODE_LENGTH = 6
#: School session codes (typed by pupils, kept for a lesson): shorter, and never the same length as a
#: collection point code, so one "Enter your code" box can tell them apart.
SESSION_CODE_LENGTH = 5
#: Tries before giving up; at these lengths a clash is already rare, so running out means a real fault.
ATTEMPTS = 20

_system = secrets.SystemRandom()
T = TypeVar("T")


class CodeSpaceExhausted(RuntimeError):
    """Every try clashed with an existing code."""


def generate(length: int, rng: random.Random | None = None) -> str:
    """A random code of `length` characters from ALPHABET."""
    chooser = rng or _system
    return "".join(chooser.choice(ALPHABET) for _ in range(length))


def normalise(typed: str) -> str:
    """What someone typed, as a code: capitals, without spaces or dashes.

    0 and 1 are never in a code, so a typed 0 is read as O's twin and a 1 as I's: both are dropped from
    the alphabet, so neither can match, and the caller's "not found" message asks them to check.
    """
    return "".join(ch for ch in typed.upper() if ch not in " -\t\n\r")


def is_well_formed(code: str, length: int) -> bool:
    """Whether `code` could be a code of this length."""
    return len(code) == length and all(ch in ALPHABET for ch in code)


def display(code: str) -> str:
    """A code split for reading aloud: 'K7PQMZ' -> 'K7P QMZ'."""
    return f"{code[:3]} {code[3:]}" if len(code) > 4 else code


def insert_with_code(make: Callable[[str], T], length: int, rng: random.Random | None = None) -> T:
    """Add the object `make(code)` with a fresh code, retrying on the UNIQUE constraint until one fits.

    Each try runs in a savepoint, so a clash rolls back only that try; the database's UNIQUE
    constraint is the judge, so two requests racing for the same code cannot both win.
    """
    for _ in range(ATTEMPTS):
        obj = make(generate(length, rng))
        try:
            with db.session.begin_nested():
                db.session.add(obj)
        except IntegrityError:
            continue
        return obj
    raise CodeSpaceExhausted(f"no free code of length {length} after {ATTEMPTS} tries")
