"""Production: PostgreSQL, Redis, SMTP, HTTPS behind a reverse proxy.

Start-up is refused, with a message that says what to set, unless the
environment gives a real ``SECRET_KEY``, a PostgreSQL ``DATABASE_URL``, a
Redis broker (``REDIS_URL``) and ``ALLOWED_HOSTS``. ``manage.py check --deploy
--fail-level WARNING`` passes on these settings (scripts/check-deploy.sh).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    CELERY_BROKER_URL,
    DATABASES,
    SECRET_KEY,
    env_bool,
    env_int,
    env_list,
    env_str,
)

DEBUG = False

# --- Refuse to start half-configured ----------------------------------------
_GENERATE_KEY = (
    "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(64))'"
)
if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Production needs its own long random secret "
        "(50+ characters). " + _GENERATE_KEY
    )
# The same rule as Django's security.W009 check.
if (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith(("django-insecure", "dev-only"))
):
    raise ImproperlyConfigured(
        f"SECRET_KEY is too weak ({len(SECRET_KEY)} characters): production needs "
        "at least 50 characters with at least 5 different ones, not a "
        "development key. " + _GENERATE_KEY
    )
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "Production runs on PostgreSQL: set "
        "DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/NAME (or the libpq PG* "
        "variables). The SQLite default is for local use only."
    )

if CELERY_BROKER_URL.startswith("filesystem://"):
    raise ImproperlyConfigured(
        "Production needs Redis as the Celery broker and the cache: set "
        "REDIS_URL=redis://HOST:6379/0 (or CELERY_BROKER_URL). The filesystem "
        "broker only works on one machine and loses jobs on a crash."
    )

if not os.environ.get("ALLOWED_HOSTS"):
    raise ImproperlyConfigured(
        "Set ALLOWED_HOSTS to the host name(s) the site answers to, "
        "comma-separated (for example: ALLOWED_HOSTS=chithi.example.gov.vn)."
    )

# --- HTTPS behind a reverse proxy -------------------------------------------
# The proxy terminates TLS and must set X-Forwarded-Proto (and strip any value
# a client sent); only then may Django trust it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# SECURE_CSP (base.py) is served by ContentSecurityPolicyMiddleware as is.

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- E-mail: always SMTP ------------------------------------------------------
# Alerts must reach people: no file backend here. Without EMAIL_HOST the
# server's own MTA on localhost:25 relays (as Django's default does).
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": 20,
        },
    }
}
