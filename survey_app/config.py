"""Typed configuration, read from environment variables when the app is created (never at import).

Every setting the app reads is a field of `Config`, checked by `Config.validate()` before the app
starts; docs/configuration.md lists each one with its environment variable, default and meaning.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

#: the checkout (or, when installed, site-packages): only development tools look here
ROOT = Path(__file__).resolve().parent.parent
#: the package itself: templates, static files, translations and migrations ship inside it, so an
#: installed wheel finds them without the checkout
PACKAGE = Path(__file__).resolve().parent

#: the only environment names there are; anything else (a typo such as "prod") refuses to start
ENVIRONMENTS = ("production", "development", "testing")
#: production refuses a secret key shorter than this (token_hex(32) gives 64)
MIN_SECRET_LENGTH = 32
MEBIBYTE = 1024 * 1024
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")


class ConfigError(RuntimeError):
    """The configuration is missing something or holds a value the app cannot use."""


@dataclass
class Config:
    """Everything the app needs to know about its deployment (see docs/configuration.md)."""

    #: "production", "development" or "testing"
    environment: str = "production"
    secret_key: str = ""
    #: SQLAlchemy URL; empty means SQLite in the instance folder (never in production)
    database_url: str = ""
    #: where the questionnaire YAML files live
    questionnaire_folder: Path = ROOT / "questionnaires"
    #: languages offered (each needs translations/<code>/LC_MESSAGES/messages.mo and questionnaires.mo, except en)
    languages: tuple[str, ...] = ("en", "pl", "ur", "ar")
    default_language: str = "en"
    #: days an unfinished answer set is kept server-side before it is discarded
    draft_days: int = 30
    #: cookies only over HTTPS (off only for local development and tests; production refuses off)
    secure_cookies: bool = True
    csrf_enabled: bool = True
    #: how many reverse proxies in front of the app set X-Forwarded-For/-Proto/-Host/-Port (0: none)
    trusted_proxy_hops: int = 0
    #: host names the app answers to (empty: any); a request for another Host gets 400
    trusted_hosts: tuple[str, ...] = ()
    #: the site's address as people type it (https://survey.example.gov.uk), for links the command
    #: line prints and puts on posters: a command has no request whose Host it could use
    public_base_url: str = ""
    #: Strict-Transport-Security max-age for pages served over HTTPS (0 sends no HSTS header)
    hsts_seconds: int = 365 * 24 * 3600
    #: largest request body anywhere; respondent forms are a few kilobytes
    max_content_length: int = 2 * MEBIBYTE
    #: largest request body under /staff, where completed paper questionnaires are uploaded
    max_upload_bytes: int = 16 * MEBIBYTE
    #: most rows read from one completed paper template (empty rows count), so a sheet that expands to
    #: millions of rows is refused early instead of tying up a worker
    paper_max_rows: int = 5000
    #: seconds the check-your-answers page must be on screen before answers are sent (duplicate guard;
    #: 0 switches the check off, as the test config does except in the guard's own tests)
    min_seconds_on_check: float = 3.0
    #: sets of answers one browser session may send (kiosks start a fresh session for every pupil)
    sends_per_browser: int = 5
    #: wrong session or poster codes allowed per code bucket per hour, across the whole site
    code_bucket_limit: int = 30
    #: seconds a kiosk may sit untouched before it asks whether anyone is there
    kiosk_idle_seconds: int = 180
    #: the partnership's own support services (YAML); national services only when the file is absent
    local_services_file: Path = ROOT / "config" / "local-services.yaml"
    #: the safeguarding rules that flag answers for review
    safeguarding_rules_file: Path = PACKAGE / "safeguarding" / "rules.yaml"
    #: a staff session ends after this many minutes without a request...
    staff_idle_minutes: int = 30
    #: ...and after this many hours whatever happens
    staff_absolute_hours: int = 10
    #: run a queued retraining job inside the request that queued it, instead of leaving it to a
    #: worker (tests; the job and its record are the same either way)
    coding_retrain_inline: bool = False
    #: Redis for the throttle counters, shared by every app server (empty: the database keeps them)
    redis_url: str = ""
    #: the web process also runs a background-job worker thread (the single-process demo); off in
    #: production, where `flask jobs work` runs as its own service
    jobs_in_web: bool = False
    #: seconds a worker may hold a job without saying it is still alive before another worker takes
    #: it over (the first one is presumed dead)
    job_lease_seconds: int = 600
    #: days a finished or failed job is kept before the worker or `flask jobs prune` deletes it (the
    #: newest of each kind and subject stays, without its arguments: staff pages report it)
    job_keep_days: int = 30
    #: the public human-coded free-text set a new campaign's coder may start from (the pxtextmining
    #: patient-feedback set; the staff page offers it only where this file exists)
    coding_public_set: Path = ROOT.parent / "shared" / "eval" / "pxtextmining" / "v6framework_230831.csv"
    #: built for the flask command line, not a web server (see from_env)
    command_line: bool = False
    #: the command line was started without SECRET_KEY and got a random one: the app serves no pages
    secret_missing: bool = False
    #: extra Flask settings (tests use this for overrides)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_development(self) -> bool:
        """Development or testing: demo accounts, printed second-factor codes and random keys allowed."""
        return self.environment in ("development", "testing")

    @property
    def is_production(self) -> bool:
        """Production: every safety setting is required, nothing is filled in for you."""
        return self.environment == "production"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, command_line: bool = False) -> Config:
        """Build from environment variables (COMMUNITY_VOICE_ENV, SECRET_KEY, DATABASE_URL, ...).

        With `command_line` (the flask command, not a web server) production may lack SECRET_KEY and
        DATABASE_URL: no command signs anything, and `translate status` or `questionnaires validate`
        touch no database. Such an app refuses to serve pages, and without DATABASE_URL refuses any
        database connection with a message saying so (see create_app).
        """
        env = os.environ if environ is None else environ
        environment = env.get("COMMUNITY_VOICE_ENV", "production").strip()
        if environment not in ENVIRONMENTS:
            raise ConfigError(
                f"COMMUNITY_VOICE_ENV is {environment!r}, which is not an environment this app knows. "
                f"Use one of: {', '.join(ENVIRONMENTS)}."
            )
        production = environment == "production"
        secret = env.get("SECRET_KEY", "")
        secret_missing = False
        if not secret:
            if production and not command_line:
                raise ConfigError(
                    "SECRET_KEY is not set. Production refuses to start without one: set SECRET_KEY "
                    "to a long random value (e.g. python -c 'import secrets; print(secrets.token_hex(32))')."
                )
            # Development and tests get a fresh random key each start: sessions just don't survive
            # a restart, which is the safe failure. A production command line gets one too, and a
            # flag that stops it serving pages signed with a key no other process knows.
            secret = secrets.token_hex(32)
            secret_missing = production
        languages = tuple(code.strip() for code in env.get("LANGUAGES", "en,pl,ur,ar").split(",") if code.strip())
        defaults = cls()
        config = cls(
            environment=environment,
            secret_key=secret,
            command_line=command_line,
            secret_missing=secret_missing,
            database_url=env.get("DATABASE_URL", "").strip(),
            questionnaire_folder=_path(env, "QUESTIONNAIRE_FOLDER", defaults.questionnaire_folder),
            languages=languages,
            default_language=env.get("DEFAULT_LANGUAGE", "en").strip(),
            draft_days=_int(env, "DRAFT_DAYS", defaults.draft_days),
            secure_cookies=_bool(env, "SECURE_COOKIES", production),
            trusted_proxy_hops=_int(env, "TRUSTED_PROXY_HOPS", defaults.trusted_proxy_hops),
            trusted_hosts=tuple(h.strip() for h in env.get("TRUSTED_HOSTS", "").split(",") if h.strip()),
            public_base_url=env.get("PUBLIC_BASE_URL", "").strip(),
            hsts_seconds=_int(env, "HSTS_SECONDS", defaults.hsts_seconds),
            max_content_length=_int(env, "MAX_CONTENT_LENGTH", defaults.max_content_length),
            max_upload_bytes=_int(env, "MAX_UPLOAD_BYTES", defaults.max_upload_bytes),
            paper_max_rows=_int(env, "PAPER_MAX_ROWS", defaults.paper_max_rows),
            min_seconds_on_check=_float(env, "MIN_SECONDS_ON_CHECK", defaults.min_seconds_on_check),
            sends_per_browser=_int(env, "SENDS_PER_BROWSER", defaults.sends_per_browser),
            code_bucket_limit=_int(env, "CODE_BUCKET_LIMIT", defaults.code_bucket_limit),
            kiosk_idle_seconds=_int(env, "KIOSK_IDLE_SECONDS", defaults.kiosk_idle_seconds),
            local_services_file=_path(env, "LOCAL_SERVICES_FILE", defaults.local_services_file),
            safeguarding_rules_file=_path(env, "SAFEGUARDING_RULES_FILE", defaults.safeguarding_rules_file),
            staff_idle_minutes=_int(env, "STAFF_IDLE_MINUTES", defaults.staff_idle_minutes),
            staff_absolute_hours=_int(env, "STAFF_ABSOLUTE_HOURS", defaults.staff_absolute_hours),
            coding_retrain_inline=_bool(env, "CODING_RETRAIN_INLINE", environment == "testing"),
            redis_url=env.get("REDIS_URL", "").strip(),
            jobs_in_web=_bool(env, "JOBS_IN_WEB", environment == "development"),
            job_lease_seconds=_int(env, "JOB_LEASE_SECONDS", defaults.job_lease_seconds),
            job_keep_days=_int(env, "JOB_KEEP_DAYS", defaults.job_keep_days),
            coding_public_set=_path(env, "CODING_PUBLIC_SET", defaults.coding_public_set),
        )
        config.validate()
        return config

    @classmethod
    def for_tests(cls, database_url: str = "", **overrides: Any) -> Config:
        """A testing config: random key, no CSRF, given database."""
        config = cls(
            environment="testing",
            secret_key=secrets.token_hex(16),
            database_url=database_url,
            secure_cookies=False,
            csrf_enabled=False,
            min_seconds_on_check=0.0,
            coding_retrain_inline=True,
        )
        for name, value in overrides.items():
            setattr(config, name, value)
        return config

    def validate(self) -> None:
        """Refuse, with a message naming the setting, anything the app cannot safely start with."""
        if self.environment not in ENVIRONMENTS:
            raise ConfigError(f"COMMUNITY_VOICE_ENV is {self.environment!r}; use one of: {', '.join(ENVIRONMENTS)}.")
        if self.is_production:
            self._validate_production()
        elif not self.secret_key:
            raise ConfigError("SECRET_KEY is empty.")
        for name in ("draft_days", "sends_per_browser", "code_bucket_limit", "kiosk_idle_seconds"):
            _at_least(self, name, 1)
        for name in ("staff_idle_minutes", "staff_absolute_hours", "max_content_length", "max_upload_bytes"):
            _at_least(self, name, 1)
        _at_least(self, "paper_max_rows", 1)
        _at_least(self, "job_lease_seconds", 30)
        _at_least(self, "job_keep_days", 1)
        if self.redis_url and not self.redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise ConfigError(
                "REDIS_URL must start with redis://, rediss:// or unix://, e.g. redis://127.0.0.1:6379/0."
            )
        for name in ("trusted_proxy_hops", "hsts_seconds", "min_seconds_on_check"):
            _at_least(self, name, 0)
        if self.public_base_url and not is_site_address(self.public_base_url):
            raise ConfigError(
                f"PUBLIC_BASE_URL is {self.public_base_url!r}; give the site's address with its scheme and "
                "nothing after the host but an optional path, e.g. https://survey.example.gov.uk."
            )
        if self.max_upload_bytes < self.max_content_length:
            raise ConfigError("MAX_UPLOAD_BYTES must be at least MAX_CONTENT_LENGTH.")
        if not self.languages or "en" not in self.languages:
            raise ConfigError("LANGUAGES must include en (every page and questionnaire is written in English first).")
        for code in self.languages:
            if not LANGUAGE_CODE.match(code):
                raise ConfigError(f"LANGUAGES holds {code!r}, which is not a language code such as pl or ur.")
            if code != "en" and not (PACKAGE / "translations" / code / "LC_MESSAGES" / "messages.mo").exists():
                raise ConfigError(f"LANGUAGES holds {code!r}, but there are no compiled translations for it.")
        if self.default_language not in self.languages:
            raise ConfigError(f"DEFAULT_LANGUAGE {self.default_language!r} is not one of LANGUAGES.")
        if not self.questionnaire_folder.is_dir():
            raise ConfigError(f"QUESTIONNAIRE_FOLDER {self.questionnaire_folder} is not a folder.")
        if not self.safeguarding_rules_file.is_file():
            raise ConfigError(
                f"SAFEGUARDING_RULES_FILE {self.safeguarding_rules_file} does not exist: without rules no "
                "answer could be flagged for review."
            )

    @property
    def ready_to_serve(self) -> bool:
        """False for a production command line lacking SECRET_KEY or DATABASE_URL: it must serve no page."""
        return not (self.is_production and (self.secret_missing or not self.database_url))

    def _validate_production(self) -> None:
        if len(self.secret_key) < MIN_SECRET_LENGTH and not self.secret_missing:
            raise ConfigError(
                f"SECRET_KEY is {'not set' if not self.secret_key else 'too short'}. Production refuses to "
                f"start without a random key of at least {MIN_SECRET_LENGTH} characters "
                "(python -c 'import secrets; print(secrets.token_hex(32))')."
            )
        if not self.database_url and not self.command_line:
            raise ConfigError(
                "DATABASE_URL is not set. Production refuses to guess: name the database, e.g. "
                "DATABASE_URL=postgresql+psycopg://user:password@host:5432/community_voice "
                "(or sqlite:////absolute/path/community_voice.sqlite)."
            )
        if not self.secure_cookies:
            raise ConfigError("SECURE_COOKIES is off. Production sends cookies over HTTPS only.")
        if not self.csrf_enabled:
            raise ConfigError("CSRF protection is off. Production never switches it off.")


def is_site_address(url: str) -> bool:
    """An http(s) address with a host and at most a path: what links on posters may start with."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not (parts.query or parts.fragment)


def _raw(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name)
    return value.strip() if value is not None and value.strip() else None


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = _raw(env, name)
    if raw is None:
        return default
    try:
        return int(raw.replace("_", ""))
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from None


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = _raw(env, name)
    if raw is None:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {raw!r}.") from None


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = _raw(env, name)
    if raw is None:
        return default
    if raw.lower() in TRUE_WORDS:
        return True
    if raw.lower() in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} must be one of {'/'.join(TRUE_WORDS)} or {'/'.join(FALSE_WORDS)}, not {raw!r}.")


def _path(env: Mapping[str, str], name: str, default: Path) -> Path:
    raw = _raw(env, name)
    return Path(raw).expanduser() if raw is not None else default


def _at_least(config: Config, name: str, minimum: float) -> None:
    value = getattr(config, name)
    if value < minimum:
        raise ConfigError(f"{name.upper()} must be at least {minimum:g}, not {value}.")
