"""Passwords: argon2id hashing, and the rules a new password must meet.

The common-passwords list (common-passwords.txt.gz, 19,640 entries) is the one Django ships
(django/contrib/auth/common-passwords.txt.gz, BSD licence), itself drawn from Royce Williams'
list of passwords seen most often in breaches. Following NCSC and NIST guidance, the rules are
length, "not a common password" and "not easy to guess", with no composition rules and no expiry,
and pasting from a password manager is welcome. "Easy to guess" is zxcvbn's estimate (Dropbox's
strength estimator: repeats, sequences, keyboard patterns, dictionary words, dates and the person's
own name), which catches "aaaaaaaaaaaa" and twelve spaces that a length rule lets through.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 256
#: zxcvbn's score 3: "safely unguessable", about 10^8 guesses or more; three random words pass easily
MIN_STRENGTH = 3
#: zxcvbn refuses longer input (it would be slow); a passphrase that long is judged on its start
STRENGTH_CHECKED_CHARACTERS = 72
#: Kept one folder up, where the packaging settings (pyproject.toml) ship it from.
COMMON_PASSWORDS = Path(__file__).parents[1] / "common-passwords.txt.gz"

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def hash_password(password: str) -> str:
    """A slow, salted argon2id hash."""
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether the password matches the hash."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with older parameters and should be remade at next sign-in."""
    return _hasher.check_needs_rehash(stored_hash)


#: A valid hash of nothing anyone can type, so unknown emails cost the same time as known ones.
def dummy_verify(password: str) -> None:
    """Spend the time a real check would, for an email address that has no account."""
    verify_password(_dummy_hash(), password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("not a password anyone has \u2603")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The common-passwords list, lower-cased."""
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as f:
        return frozenset(line.strip().lower() for line in f if line.strip())


def password_problems(password: str, email: str = "", display_name: str = "") -> list[str]:
    """What is wrong with a proposed password, in words for the person choosing it (empty when fine)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Use at least {MIN_LENGTH} characters. A few unrelated words make a good password.")
    if len(password) > MAX_LENGTH:
        problems.append(f"Use at most {MAX_LENGTH} characters.")
    lowered = password.lower()
    if lowered in common_passwords() or lowered.strip("0123456789!. ") in common_passwords():
        problems.append("That password is on a list of common passwords that attackers try first. Choose another.")
    for part in (email.split("@")[0].lower() if email else "", display_name.lower()):
        if len(part) >= 4 and part in lowered:
            problems.append("Don't use your name or email address in your password.")
            break
    if not problems and MIN_LENGTH <= len(password) <= MAX_LENGTH:
        problems.extend(_guessable(password, email, display_name))
    return problems


def _guessable(password: str, email: str, display_name: str) -> list[str]:
    """zxcvbn's verdict in our words, with its own hint about what makes this one easy to guess."""
    known = [part for part in (email, email.split("@")[0], display_name, *display_name.split()) if part]
    estimate = zxcvbn(password[:STRENGTH_CHECKED_CHARACTERS], user_inputs=[*known, "community voice"])
    if estimate["score"] >= MIN_STRENGTH:
        return []
    hint = estimate["feedback"].get("warning") or ""
    advice = "A few unrelated words make a strong password that is easy to remember."
    return [" ".join(part for part in ("That password would be easy to guess.", hint, advice) if part)]
