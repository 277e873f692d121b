"""A small OpenID provider for the tests (django-oauth-toolkit), run as its own process
by tests/oidc_provider/serve.py. Configured by the environment that serve.py is given:
PROVIDER_DIR (its database, key and knobs) and PROVIDER_BASE (its address)."""

import os
from pathlib import Path

DIR = Path(os.environ["PROVIDER_DIR"])
SECRET_KEY = "test-provider-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.oidc_provider.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DIR / "provider.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USE_TZ = True
LOGIN_URL = "/konto/logga-in/"
# Cookies are per host, not per port: Tryggnav on 127.0.0.1 must keep its own.
SESSION_COOKIE_NAME = "provider_session"
CSRF_COOKIE_NAME = "provider_csrf"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (DIR / "key.pem").read_text() if (DIR / "key.pem").exists() else "",
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.validator.Validator",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http"],
    "PKCE_REQUIRED": True,
    # RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): the RP's ID token
    # as hint ends the session here without asking, then back to the RP.
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
    "SCOPES": {
        "openid": "OpenID Connect",
        "email": "E-mail",
        "profile": "Profile",
    },
}
