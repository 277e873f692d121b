"""Tryggnav settings: one module, configured from the environment.

Runs with no environment at all (SQLite under var/, DEBUG off). With DEBUG off
it refuses to start on the built-in development secret key, so a production
deployment cannot forget to set SECRET_KEY. See docs/deployment.md.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} ska vara ett heltal, inte {value!r}. / {name} must be a whole number, "
            f"not {value!r}."
        ) from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
VAR_DIR = Path(os.environ.get("TRYGGNAV_VAR_DIR", PROJECT_DIR / "var"))

_DEV_SECRET_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY and not env_bool("TRYGGNAV_ALLOW_DEV_KEY", False):
    raise ImproperlyConfigured(
        "SECRET_KEY saknas: sätt miljövariabeln SECRET_KEY (minst 50 slumpmässiga tecken) "
        "eller DEBUG=1 för utveckling. / SECRET_KEY is not set: set the SECRET_KEY "
        "environment variable (50+ random characters) or DEBUG=1 for development."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "tryggnav.organisations",
    "tryggnav.audit",
    "tryggnav.areas",
    "tryggnav.incidents",
    "tryggnav.lagesbild",
    "tryggnav.surveys",
    "tryggnav.steering",
    "tryggnav.programmes",
    "tryggnav.official",
    "tryggnav.fund",
    "tryggnav.documents",
    "tryggnav.inspections",
    "tryggnav.privacy",
    "tryggnav.demo",
    # Before django_tasks_db: its `db_worker` command is replaced by one that first
    # marks imports whose worker died as failed.
    "tryggnav.background",
    "django_tasks_db",
    "tryggnav.ogc",
    "tryggnav.notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # The second factor (TOTP): is_verified() on the user, then the redirect of a
    # login still owing its code to verification or enrolment.
    "django_otp.middleware.OTPMiddleware",
    "tryggnav.organisations.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # After the CSP middleware: allows the tile server set on the web (areas/tiles.py).
    "tryggnav.areas.tiles.TileSourceMiddleware",
    # Last, so the refusal page has the user, the language and the security headers.
    "tryggnav.lib.middleware.ControlCharactersMiddleware",
]

ROOT_URLCONF = "tryggnav.urls"
WSGI_APPLICATION = "tryggnav.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tryggnav.organisations.context_processors.navigation",
                "tryggnav.notifications.context_processors.unread",
            ],
            "libraries": {
                "charts": "tryggnav.lib.templatetags.charts",
                "tryggnav_formats": "tryggnav.lib.templatetags.tryggnav_formats",
            },
        },
    },
]


def _database(url: str) -> dict:
    try:
        return dict(
            dj_database_url.parse(
                url,
                conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
                conn_health_checks=True,
            )
        )
    except ValueError as error:  # an unknown scheme or a bad port
        raise ImproperlyConfigured(
            f"DATABASE_URL kan inte läsas ({error}); exempel: "
            "postgres://användare:lösenord@127.0.0.1:5432/tryggnav. / DATABASE_URL "
            f"cannot be read ({error}); example: postgres://user:password@127.0.0.1:5432/tryggnav."
        ) from None


DATABASES = {
    "default": _database(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tryggnav.sqlite3'}")
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server read while an import command writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the planner turns it on for scans of a large table, and
    # compiling took 1.7 s of a 5 s map query at a million incidents (issue 16); the
    # short queries of a web request never earn it back. A URL's own options win.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["tryggnav.organisations.auth.EmailBackend"]
LOGIN_URL = "organisations:login"
LOGIN_REDIRECT_URL = "organisations:home"
LOGOUT_REDIRECT_URL = "organisations:login"
# Login throttling (organisations/throttle.py): attempts allowed freely per account at
# one address (and per known device), per address and per account; then each further
# attempt waits a delay doubling from DELAY up to MAX_DELAY; counts start over after
# WINDOW without attempts. A browser where a user logged in stays known for KNOWN_DEVICE_DAYS.
LOGIN_THROTTLE_ATTEMPTS = int(os.environ.get("LOGIN_THROTTLE_ATTEMPTS", "5"))
LOGIN_THROTTLE_ADDRESS_ATTEMPTS = int(os.environ.get("LOGIN_THROTTLE_ADDRESS_ATTEMPTS", "20"))
LOGIN_THROTTLE_ACCOUNT_ATTEMPTS = int(os.environ.get("LOGIN_THROTTLE_ACCOUNT_ATTEMPTS", "20"))
LOGIN_THROTTLE_DELAY_SECONDS = int(os.environ.get("LOGIN_THROTTLE_DELAY_SECONDS", "30"))
LOGIN_THROTTLE_MAX_DELAY_SECONDS = int(os.environ.get("LOGIN_THROTTLE_MAX_DELAY_SECONDS", "900"))
LOGIN_THROTTLE_WINDOW_SECONDS = int(os.environ.get("LOGIN_THROTTLE_WINDOW_SECONDS", "900"))
LOGIN_KNOWN_DEVICE_DAYS = int(os.environ.get("LOGIN_KNOWN_DEVICE_DAYS", "180"))

# The citizen channel (docs/inspections.md): reports allowed per client address and per
# e-mail address within WINDOW; the reporter's e-mail is erased EMAIL_DAYS after the case closed.
CITIZEN_REPORTS_PER_ADDRESS = int(os.environ.get("CITIZEN_REPORTS_PER_ADDRESS", "10"))
CITIZEN_REPORTS_PER_EMAIL = int(os.environ.get("CITIZEN_REPORTS_PER_EMAIL", "10"))
CITIZEN_WINDOW_SECONDS = int(os.environ.get("CITIZEN_WINDOW_SECONDS", "86400"))
CITIZEN_EMAIL_DAYS = int(os.environ.get("CITIZEN_EMAIL_DAYS", "30"))


def _oidc_issuer(url: str) -> str:
    """The OpenID provider's issuer: https, or http on this machine only (tests)."""
    parts = urlsplit(url)
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if not parts.netloc or not (parts.scheme == "https" or (parts.scheme == "http" and local)):
        raise ImproperlyConfigured(
            f"TRYGGNAV_OIDC_ISSUER ska vara en https-adress, inte {url!r}. / "
            f"TRYGGNAV_OIDC_ISSUER must be an https address, not {url!r}."
        )
    return url.rstrip("/")


def _oidc_rules(text: str) -> list:
    # The parser is plain Python without models, so settings may import it.
    from tryggnav.organisations.claims import parse_rules

    try:
        return parse_rules(text)
    except ValueError as error:
        raise ImproperlyConfigured(str(error)) from None


# Sign-in with the municipality's OpenID Connect provider (docs/deployment.md), beside
# local accounts. The endpoints are read from the issuer's discovery document at first use.
TRYGGNAV_OIDC_ISSUER = os.environ.get("TRYGGNAV_OIDC_ISSUER", "").strip()
if TRYGGNAV_OIDC_ISSUER:
    TRYGGNAV_OIDC_ISSUER = _oidc_issuer(TRYGGNAV_OIDC_ISSUER)
    for _name in ("TRYGGNAV_OIDC_CLIENT_ID", "TRYGGNAV_OIDC_CLIENT_SECRET"):
        if not os.environ.get(_name, "").strip():
            raise ImproperlyConfigured(
                f"{_name} saknas: den behövs när TRYGGNAV_OIDC_ISSUER är satt. / "
                f"{_name} is missing: it is needed when TRYGGNAV_OIDC_ISSUER is set."
            )
    AUTHENTICATION_BACKENDS.append("tryggnav.organisations.oidc.OidcBackend")
TRYGGNAV_OIDC_NAME = os.environ.get("TRYGGNAV_OIDC_NAME", "").strip() or "OpenID Connect"
TRYGGNAV_OIDC_RULES = _oidc_rules(os.environ.get("TRYGGNAV_OIDC_RULES", ""))
TRYGGNAV_OIDC_GROUPS_CLAIM = os.environ.get("TRYGGNAV_OIDC_GROUPS_CLAIM", "").strip() or "groups"
OIDC_RP_CLIENT_ID = os.environ.get("TRYGGNAV_OIDC_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = os.environ.get("TRYGGNAV_OIDC_CLIENT_SECRET", "").strip()
OIDC_RP_SIGN_ALGO = os.environ.get("TRYGGNAV_OIDC_SIGN_ALGO", "").strip() or "RS256"
OIDC_RP_SCOPES = " ".join(["openid", "email", "profile"] + env_list("TRYGGNAV_OIDC_EXTRA_SCOPES"))
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env_int("TRYGGNAV_OIDC_TIMEOUT_SECONDS", 10)
OIDC_AUTHENTICATION_CALLBACK_URL = "organisations:oidc_callback"
# The ID token stays in the session for RP-initiated logout (id_token_hint): signing
# out of Tryggnav also ends the session at the provider (organisations/oidc.py).
OIDC_STORE_ID_TOKEN = True

# A second factor (TOTP, with recovery codes) is optional for everyone; with this on, an
# admin of any organisation must enrol one at their next login before doing anything else.
TRYGGNAV_OTP_REQUIRED_FOR_ADMINS = env_bool("TRYGGNAV_OTP_REQUIRED_FOR_ADMINS", False)
OTP_TOTP_ISSUER = "Tryggnav"
# After a wrong code the next attempt waits 1, 2, 4, 8 … seconds (django-otp's throttle).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Reverse proxies in front of the application that append to X-Forwarded-For (nginx in
# docs/deployment.md: 1); 0 takes the client address from the connection.
TRYGGNAV_PROXY_COUNT = int(os.environ.get("TRYGGNAV_PROXY_COUNT", "0"))
INVITATION_VALID_DAYS = 14

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env_bool("TRYGGNAV_MANIFEST_STATIC", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# Uploaded partner files larger than this are refused with a message.
TRYGGNAV_MAX_IMPORT_BYTES = env_int("TRYGGNAV_MAX_IMPORT_BYTES", 200 * 1024 * 1024)
TRYGGNAV_MAX_APPENDIX_BYTES = env_int("TRYGGNAV_MAX_APPENDIX_BYTES", 20 * 1024 * 1024)
# Municipalities (or counties) whose police events `fetch_police` fetches, as the police
# name them, separated by ";" ("Stockholm;Sigtuna"); empty: the national feed.
TRYGGNAV_POLICE_LOCATIONS = [
    name.strip()
    for name in os.environ.get("TRYGGNAV_POLICE_LOCATIONS", "").split(";")
    if name.strip()
]

# Background work (Django's Tasks framework, docs/deployment.md). TRYGGNAV_TASKS_BACKEND:
# "database" (default) keeps tasks in the application's own database and
# `tryggnav db_worker` runs them; "immediate" runs them at once, in the process that
# enqueues them (no worker; for tests and one-off commands).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
_TASKS_BACKEND = os.environ.get("TRYGGNAV_TASKS_BACKEND", "database").strip() or "database"
if _TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TRYGGNAV_TASKS_BACKEND ska vara 'database' eller 'immediate', inte {_TASKS_BACKEND!r}."
        f" / TRYGGNAV_TASKS_BACKEND must be 'database' or 'immediate', not {_TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_TASKS_BACKEND]}}
# `tryggnav run_scheduled` (every minute from cron or a systemd timer) enqueues what is due:
# the police feed every N minutes (0: never; only when TRYGGNAV_POLICE_LOCATIONS is set),
# and the nightly jobs (the rollup check, the retention policies) from this hour (local time).
TRYGGNAV_POLICE_FETCH_MINUTES = env_int("TRYGGNAV_POLICE_FETCH_MINUTES", 15)
TRYGGNAV_NIGHTLY_HOUR = env_int("TRYGGNAV_NIGHTLY_HOUR", 3)
# Notifications (tryggnav send_notifications, run by run_scheduled): every N minutes
# (0: never), the daily digest from this local hour, an action is "due soon" this many
# days before its date.
TRYGGNAV_NOTIFY_MINUTES = env_int("TRYGGNAV_NOTIFY_MINUTES", 15)
TRYGGNAV_DIGEST_HOUR = env_int("TRYGGNAV_DIGEST_HOUR", 7)
TRYGGNAV_ACTION_DUE_DAYS = env_int("TRYGGNAV_ACTION_DUE_DAYS", 3)
# An import whose worker on another host has not finished after this many seconds is
# taken as interrupted (on the worker's own host, a dead process is seen at once).
TRYGGNAV_IMPORT_LEASE_SECONDS = env_int("TRYGGNAV_IMPORT_LEASE_SECONDS", 6 * 3600)
# Progress of running imports, shared between the worker and the web processes.
TRYGGNAV_PROGRESS_DIR = Path(os.environ.get("TRYGGNAV_PROGRESS_DIR", VAR_DIR / "progress"))

_EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": (
            {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "use_ssl": env_bool("EMAIL_USE_SSL", False),
            }
            if _EMAIL_BACKEND.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tryggnav@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tryggnav_cache",
    },
    # Per process, for what is cached under the counts' version (the compiled
    # lägesbild and its rendered tables): a repeated page reads them without a query.
    # A write of incidents changes the version, so no process serves an old entry.
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "tryggnav-local",  # at most 300 entries (Django's default)
    },
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"


def tile_source(url: str) -> str:
    """The origin a tile URL template loads from, for the Content Security Policy
    (``{s}`` subdomains become a wildcard); empty when there are no tiles."""
    if not url:
        return ""
    parts = urlsplit(url.replace("{s}", "sub"))
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ImproperlyConfigured(
            f"TRYGGNAV_TILE_URL ska vara en http(s)-adress med {{z}}/{{x}}/{{y}}, inte {url!r}. "
            f"/ TRYGGNAV_TILE_URL must be an http(s) address with {{z}}/{{x}}/{{y}}, not {url!r}."
        )
    host = parts.netloc.replace("sub.", "*.", 1) if "{s}" in url else parts.netloc
    return f"{parts.scheme}://{host}"


# The street background of the maps: OpenStreetMap's standard tiles unless the
# municipality names its own server (e.g. Lantmäteriet's); TRYGGNAV_TILE_URL= (empty)
# switches it off. The maps draw the app's own GeoJSON on top and work offline.
OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
TRYGGNAV_TILE_URL = os.environ.get("TRYGGNAV_TILE_URL", OSM_TILE_URL).strip()
TRYGGNAV_TILE_ATTRIBUTION = os.environ.get(
    "TRYGGNAV_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
_TILE_SOURCE = tile_source(TRYGGNAV_TILE_URL)

# Security. With DEBUG off and HTTPS (the default behind a TLS proxy), `tryggnav
# check --deploy` is clean. TRYGGNAV_HTTPS=0 is for a plain-HTTP demo only.
_HTTPS = env_bool("TRYGGNAV_HTTPS", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = _HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

SECURE_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"] + ([_TILE_SOURCE] if _TILE_SOURCE else []),
    # Vega compiles expressions with Function(); its CSP-safe interpreter is
    # not bundled in the vendored build, so charts need 'unsafe-eval'.
    "script-src": ["'self'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
