"""Settings for the test suite: PostgreSQL and Redis over real connections."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, env_str

if DATABASES["default"][
    "ENGINE"
] != "django.db.backends.postgresql" and not os.environ.get(
    "TRACKER_TEST_ALLOW_SQLITE"
):
    raise RuntimeError(
        "The tests run on PostgreSQL: set DATABASE_URL (scripts/test does this)."
    )

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_timeout": 2,
    "socket_connect_timeout": 2,
    "max_retries": 1,
}
CELERY_TASK_ALWAYS_EAGER = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
WHITENOISE_AUTOREFRESH = True
