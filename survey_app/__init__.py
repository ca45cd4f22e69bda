"""Community Voice: the Flask application factory."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, has_request_context, request, session
from flask_babel import get_locale
from sqlalchemy import event
from sqlalchemy.engine import Engine

from survey_app.config import PACKAGE, Config
from survey_app.extensions import babel, csrf, db, migrate


def create_app(config: Config | None = None) -> Flask:
    """Build the app from a typed config (from the environment when none is given)."""
    config = config or Config.from_env()
    app = Flask(
        __name__,
        template_folder=str(PACKAGE / "templates"),
        static_folder=str(PACKAGE / "static"),
        instance_relative_config=True,
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    database_url = config.database_url or f"sqlite:///{Path(app.instance_path) / 'community_voice.sqlite'}"
    app.config.update(
        SECRET_KEY=config.secret_key,
        SQLALCHEMY_DATABASE_URI=database_url,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True} if not database_url.startswith("sqlite") else {},
        WTF_CSRF_ENABLED=config.csrf_enabled,
        WTF_CSRF_TIME_LIMIT=None,  # a child may take a whole lesson over one page
        SESSION_COOKIE_NAME="cv_respondent",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.secure_cookies,
        BABEL_DEFAULT_LOCALE=config.default_language,
        BABEL_TRANSLATION_DIRECTORIES=str(PACKAGE / "translations"),
        TESTING=config.environment == "testing",
        COMMUNITY_VOICE=config,
        **config.extra,
    )
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PACKAGE / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=lambda: select_locale(config))
    app.jinja_env.globals["get_locale"] = get_locale
    _quiet_access_log()

    from survey_app.respond import bp as respond_bp

    app.register_blueprint(respond_bp)

    from survey_app.staff import init_staff

    init_staff(app)  # the staff blueprint, its sign-in and its own server-side session cookie

    from survey_app.cli import register_cli

    register_cli(app)

    @app.after_request
    def _privacy_headers(response):  # type: ignore[no-untyped-def]
        # Respondent pages load nothing from anywhere else and tell nobody where people came from.
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
            "frame-ancestors 'none'; form-action 'self'",
        )
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    return app


def select_locale(config: Config) -> str:
    """Query parameter, then session, then the browser's preference, then the default."""
    if not has_request_context():
        return config.default_language  # command-line work (paper imports, exports) speaks the default
    wanted = request.args.get("lang")
    if wanted in config.languages:
        session["lang"] = wanted
        return wanted
    if session.get("lang") in config.languages:
        return str(session["lang"])
    return request.accept_languages.best_match(config.languages) or config.default_language


def _quiet_access_log() -> None:
    """The development server's access log writes client addresses: keep it to errors only."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):  # type: ignore[no-untyped-def]
    """SQLite: WAL for concurrent readers, FULL sync so a committed answer survives power loss."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
