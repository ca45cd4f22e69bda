"""A new staff password must be hard to guess, not only long enough (NCSC: three random words)."""

from __future__ import annotations

import pytest

from survey_app.staff.accounts.passwords import password_problems


@pytest.mark.parametrize(
    "password",
    [
        " " * 12,  # twelve spaces
        "aaaaaaaaaaaa",
        "abcdefghijkl",  # a sequence
        "qwertyuiopas",  # a keyboard row
        "111111111111",
        "passwordpassword",
        "199019901990",  # a repeated year
    ],
)
def test_long_but_easy_to_guess_passwords_are_refused_with_a_reason(password: str) -> None:
    problems = password_problems(password)
    assert problems, f"{password!r} should be refused"
    assert any("easy to guess" in p or "common passwords" in p for p in problems)


def test_the_persons_own_name_and_email_make_a_password_guessable() -> None:
    assert password_problems("Priya Shah Priya Shah", email="p.shah@trafford.gov.uk", display_name="Priya Shah")


@pytest.mark.parametrize(
    "password", ["seven purple lanterns hum", "demo voices carry far", "otter-kettle-sunrise-42", "Tr0ub4dor&3xyz!"]
)
def test_strong_passwords_and_passphrases_are_welcome(password: str) -> None:
    assert password_problems(password, email="p.shah@trafford.gov.uk", display_name="Priya Shah") == []


def test_the_longest_allowed_passphrase_is_accepted() -> None:
    words = [
        "lantern",
        "otter",
        "kettle",
        "sunrise",
        "maple",
        "harbour",
        "violet",
        "cobble",
        "thistle",
        "meadow",
        "quarry",
        "saffron",
    ]
    passphrase = " ".join(f"{word}{i}" for i, word in enumerate(words * 3))[:256]
    assert password_problems(passphrase) == []
