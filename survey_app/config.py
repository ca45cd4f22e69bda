"""Typed configuration, read from environment variables when the app is created (never at import)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

#: the checkout (or, when installed, site-packages): only development tools look here
ROOT = Path(__file__).resolve().parent.parent
#: the package itself: templates, static files, translations and migrations ship inside it, so an
#: installed wheel finds them without the checkout
PACKAGE = Path(__file__).resolve().parent


@dataclass
class Config:
    """Everything the app needs to know about its deployment."""

    #: "production", "development" or "testing"
    environment: str = "production"
    secret_key: str = ""
    #: SQLAlchemy URL; empty means SQLite in the instance folder
    database_url: str = ""
    #: where the questionnaire YAML files live
    questionnaire_folder: Path = ROOT / "questionnaires"
    #: languages offered (each needs translations/<code>/LC_MESSAGES/messages.mo and questionnaires.mo, except en)
    languages: tuple[str, ...] = ("en", "pl", "ur", "ar")
    default_language: str = "en"
    #: days an unfinished answer set is kept server-side before it is discarded
    draft_days: int = 30
    #: cookies only over HTTPS (off only for local development and tests)
    secure_cookies: bool = True
    csrf_enabled: bool = True
    #: seconds the check-your-answers page must be on screen before answers are sent (duplicate guard;
    #: 0 switches the check off, as the test config does except in the guard's own tests)
    min_seconds_on_check: float = 3.0
    #: extra Flask settings (tests use this for overrides)
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Config:
        """Build from environment variables (COMMUNITY_VOICE_ENV, SECRET_KEY, DATABASE_URL, ...)."""
        env = os.environ if environ is None else environ
        environment = env.get("COMMUNITY_VOICE_ENV", "production")
        secret = env.get("SECRET_KEY", "")
        if not secret:
            if environment == "production":
                raise RuntimeError(
                    "SECRET_KEY is not set. Production refuses to start without one: set SECRET_KEY "
                    "to a long random value (e.g. python -c 'import secrets; print(secrets.token_hex(32))')."
                )
            # Development and tests get a fresh random key each start: sessions just don't survive
            # a restart, which is the safe failure.
            secret = secrets.token_hex(32)
        return cls(
            environment=environment,
            secret_key=secret,
            database_url=env.get("DATABASE_URL", ""),
            questionnaire_folder=Path(env.get("QUESTIONNAIRE_FOLDER", ROOT / "questionnaires")),
            languages=tuple(env.get("LANGUAGES", "en,pl,ur,ar").split(",")),
            secure_cookies=environment == "production",
        )

    @classmethod
    def for_tests(cls, database_url: str = "", **overrides: object) -> Config:
        """A testing config: random key, no CSRF, given database."""
        config = cls(
            environment="testing",
            secret_key=secrets.token_hex(16),
            database_url=database_url,
            secure_cookies=False,
            csrf_enabled=False,
            min_seconds_on_check=0.0,
        )
        for name, value in overrides.items():
            setattr(config, name, value)
        return config
