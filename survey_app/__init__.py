"""Community Voice: the Flask application factory.

`create_app(config)` registers everything explicitly: extensions, this app's database listeners,
request hooks, blueprints, error handlers and command groups. Importing a module registers nothing.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
from flask import Flask, abort, current_app, has_request_context, render_template, request, session
from flask_babel import get_locale
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from survey_app.cli import register_cli
from survey_app.config import PACKAGE, Config, ConfigError
from survey_app.errors import register_error_pages
from survey_app.extensions import babel, csrf, db, migrate
from survey_app.health import init_health
from survey_app.jobs import init_app as init_jobs
from survey_app.public.views import bp as public_bp
from survey_app.respond import bp as respond_bp
from survey_app.staff import JOB_HANDLERS, init_sign_in, staff_blueprint
from survey_app.static_files import init_static_files

log = logging.getLogger(__name__)

#: Methods that change something; the same set Flask-WTF checks for its token.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: What a page may use of the device: nothing a survey needs (speech synthesis needs no permission).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), serial=(), usb=()"
)
#: C0 control characters (and DEL) other than tab, newline and carriage return: nobody types them,
#: and PostgreSQL refuses NUL in text, which once made a draft impossible to send.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def create_app(config: Config | None = None) -> Flask:
    """Build the app from a typed config (from the environment when none is given)."""
    config = config or Config.from_env(command_line=_on_command_line())
    config.validate()
    app = Flask(
        __name__,
        template_folder=str(PACKAGE / "templates"),
        static_folder=str(PACKAGE / "static"),
        instance_relative_config=True,
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(flask_settings(config, Path(app.instance_path)))
    init_static_files(app)  # versioned, compressed, long-cached; before ProxyFix so it sees the real scheme
    if config.trusted_proxy_hops:
        hops = config.trusted_proxy_hops
        # Only as many X-Forwarded-* values as there are proxies we run are believed; a client can
        # add more of its own, and they are ignored.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)  # type: ignore[method-assign]  # wrapping wsgi_app is the documented way to add middleware

    db.init_app(app)
    _attach_database_listeners(app, config)
    migrate.init_app(app, db, directory=str(PACKAGE / "migrations"), render_as_batch=True)
    # Before Flask-WTF's own hook, so an oversized or cross-site post is refused before its form is read.
    _register_request_checks(app, config)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=lambda: select_locale(config))
    app.jinja_env.globals["get_locale"] = get_locale
    _quiet_access_log()

    app.register_blueprint(respond_bp)
    app.register_blueprint(public_bp)  # published reports, without sign-in
    init_health(app)  # GET /healthz for a load balancer: no cookie, no address logged
    init_sign_in(app)  # the staff login manager and its own server-side session cookie
    app.register_blueprint(staff_blueprint())
    register_error_pages(app)  # respondent error pages keep the quick exit and help
    app.after_request(_privacy_headers)
    register_cli(app)
    # Background jobs: handlers by kind; a worker thread in each web process only if JOBS_IN_WEB says so.
    init_jobs(app, JOB_HANDLERS)
    return app


def flask_settings(config: Config, instance: Path) -> dict[str, Any]:
    """The Flask and extension settings that follow from the config (app.config holds these keys)."""
    database_url = config.database_url or f"sqlite:///{instance / 'community_voice.sqlite'}"
    engine_options: dict[str, Any] = {
        # A failed statement's parameters are answers and dates: keep them out of errors and logs.
        "hide_parameters": config.environment != "development",
    }
    if not database_url.startswith("sqlite"):
        engine_options["pool_pre_ping"] = True
    return {
        "SECRET_KEY": config.secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "WTF_CSRF_ENABLED": config.csrf_enabled,
        "WTF_CSRF_TIME_LIMIT": None,  # a child may take a whole lesson over one page
        # Flask-WTF's HTTPS check wants a Referer, which our no-referrer policy never sends;
        # same_origin_only() checks where a post came from instead (Sec-Fetch-Site, Origin).
        "WTF_CSRF_SSL_STRICT": False,
        "SESSION_COOKIE_NAME": "cv_respondent",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": config.secure_cookies,
        "PREFERRED_URL_SCHEME": "https" if config.secure_cookies else "http",
        "MAX_CONTENT_LENGTH": config.max_content_length,
        # Poster links and the session code's address are built from the Host header: answer only to ours.
        "TRUSTED_HOSTS": list(config.trusted_hosts) or None,
        "PUBLIC_BASE_URL": config.public_base_url,
        "BABEL_DEFAULT_LOCALE": config.default_language,
        "BABEL_TRANSLATION_DIRECTORIES": str(PACKAGE / "translations"),
        "TESTING": config.environment == "testing",
        "COMMUNITY_VOICE": config,
        # The app's own settings under their environment variables' names, so a test can change one
        # on a running app (app.config["KIOSK_IDLE_SECONDS"] = 2) and the code reads it from one place.
        "MIN_SECONDS_ON_CHECK": config.min_seconds_on_check,
        "SENDS_PER_BROWSER": config.sends_per_browser,
        "CODE_BUCKET_LIMIT": config.code_bucket_limit,
        "KIOSK_IDLE_SECONDS": config.kiosk_idle_seconds,
        "LOCAL_SERVICES_FILE": str(config.local_services_file),
        "SAFEGUARDING_RULES_FILE": str(config.safeguarding_rules_file),
        "STAFF_IDLE_MINUTES": config.staff_idle_minutes,
        "STAFF_ABSOLUTE_HOURS": config.staff_absolute_hours,
        "CODING_RETRAIN_INLINE": config.coding_retrain_inline,
        "REDIS_URL": config.redis_url,
        "JOBS_IN_WEB": config.jobs_in_web,
        "JOB_LEASE_SECONDS": config.job_lease_seconds,
        "JOB_KEEP_DAYS": config.job_keep_days,
        "CODING_PUBLIC_SET": str(config.coding_public_set),
        "MAX_UPLOAD_BYTES": config.max_upload_bytes,
        **config.extra,
    }


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


def same_origin_only() -> None:
    """Refuse a form post that a browser says came from another site (the CSRF token is checked too).

    Browsers send Sec-Fetch-Site on every request to an HTTPS site, whatever the referrer policy;
    older ones send Origin, which our no-referrer policy turns into "null" (telling us nothing, so
    the token alone decides). Clients that are not browsers send neither and cannot carry a
    victim's cookies, so the token alone decides for them too.
    """
    if request.method not in UNSAFE_METHODS:
        return
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        if fetch_site in ("same-origin", "none"):  # "none": the person did it (a reload, a bookmark)
            return
        raise CSRFError("The form was sent from another site.")
    origin = request.headers.get("Origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.host:
        raise CSRFError("The form was sent from another site.")


def no_control_characters() -> tuple[str, int] | None:
    """Refuse an address with control characters kindly, and take them out of form values.

    An address with them was never a link we made. A form value may hold one pasted from another
    program: dropping it keeps the person's words and lets every database store them.
    """
    if CONTROL_CHARACTERS.search(request.path) or any(
        CONTROL_CHARACTERS.search(text) for pair in request.args.items(multi=True) for text in pair
    ):
        if request.path.startswith("/staff/"):
            message = "That address has characters in it that no page here uses. Check the link and try again."
            return render_template("staff/error.html", title="That address isn't right", message=message), 400
        return render_template("errors/bad_request.html"), 400
    if request.method in UNSAFE_METHODS and any(
        CONTROL_CHARACTERS.search(text) for pair in request.form.items(multi=True) for text in pair
    ):
        request.form = ImmutableMultiDict(
            [(CONTROL_CHARACTERS.sub("", k), CONTROL_CHARACTERS.sub("", v)) for k, v in request.form.items(multi=True)]
        )
    return None


def _register_request_checks(app: Flask, config: Config) -> None:
    if not config.ready_to_serve:
        missing = " and ".join(
            name
            for name, absent in (("SECRET_KEY", config.secret_missing), ("DATABASE_URL", not config.database_url))
            if absent
        )

        def refuse_to_serve() -> None:
            log.error("Production pages need %s; this app was built for commands only.", missing)
            abort(503)

        app.before_request(refuse_to_serve)

    def upload_limit() -> None:
        # Completed paper questionnaires are uploaded under /staff; respondents' forms are small.
        if request.path.startswith("/staff/"):
            request.max_content_length = app.config["MAX_UPLOAD_BYTES"]
        # Refuse a declared oversize body whatever its type, not only when a form is parsed.
        limit = request.max_content_length
        if request.content_length is not None and limit is not None and request.content_length > limit:
            raise RequestEntityTooLarge()

    app.before_request(upload_limit)
    app.before_request(same_origin_only)
    app.before_request(no_control_characters)


def _privacy_headers(response: Response) -> Response:
    """Pages load nothing from anywhere else, use no device feature and tell nobody where people came from."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    response.headers.setdefault("Cache-Control", "no-store")
    hsts = request_config().hsts_seconds
    if request.is_secure and hsts:
        # Only over HTTPS (directly, or behind a trusted proxy that said so): a browser ignores it on HTTP.
        response.headers.setdefault("Strict-Transport-Security", f"max-age={hsts}")
    return response


def request_config() -> Config:
    """The typed config of the app handling this request."""
    config: Config = current_app.config["COMMUNITY_VOICE"]
    return config


def _attach_database_listeners(app: Flask, config: Config) -> None:
    """Listeners on this app's engines only, never on every engine in the process."""
    with app.app_context():
        engines = list(db.engines.values())
    for engine in engines:
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        if not config.ready_to_serve and not config.database_url:
            event.listen(engine, "do_connect", _no_database_named)


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite: WAL for concurrent readers, FULL sync so a committed answer survives power loss."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _no_database_named(*_: Any) -> None:
    """A production command that needs the database, run without DATABASE_URL: say so, touch nothing."""
    raise ConfigError(
        "DATABASE_URL is not set. In production every command that uses the database needs it, "
        "e.g. DATABASE_URL=postgresql+psycopg://user:password@host:5432/community_voice."
    )


def _on_command_line() -> bool:
    """Whether the app is being built by the flask command (a click command), not a web server."""
    return click.get_current_context(silent=True) is not None


def _quiet_access_log() -> None:
    """The development server's access log writes client addresses: keep it to errors only."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
