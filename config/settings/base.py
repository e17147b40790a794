"""Settings shared by every environment. Values come from the environment."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.env import (
    BASE_DIR,
    broker_url,
    database_config,
    env_bool,
    env_int,
    env_list,
    env_str,
    filesystem_broker_dir,
)

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "treebeard",
    "django_htmx",
    "axes",
    "units",
    "directives",
    "tasks",
    "appraisal",
    "quotas",
    "conduct",
    "supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "units.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "tasks.context_processors.tracker",
            ],
            # Django's i18n tags, a literal's translation kept per language.
            "libraries": {"i18n": "config.i18n_tags"},
        },
    },
]
# That library replaces Django's "i18n" on purpose, which Django's check
# reports as two modules under one name; tests/test_i18n_tags.py fails on
# any other name so used.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]

DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "units.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, the user of each request read without the ORM.
    "units.backends.ModelBackend",
]
# Django's sessions in the database, the session of each request read
# without the ORM.
SESSION_ENGINE = "config.sessions"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: five failures lock that username from that address only,
# so nobody can lock a colleague out from elsewhere.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours = 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
# locale_django: Vietnamese for the strings Django leaves in English.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_django"]
# Numbers grouped by three in Vietnamese (1.000.000): config/formats/vi.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded evidence lives outside the web root and is only served through
# permission-checked views: there is deliberately no MEDIA_URL route.
MEDIA_ROOT = env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media"))
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)

SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.TrackerRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# E-mail through Django 6.1's MAILERS: SMTP when EMAIL_HOST is set, else
# each message is written as a file under var/mail (the "mail log").
_EMAIL_HOST = env_str("EMAIL_HOST", "")
if _EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _EMAIL_HOST,
                "port": env_int("EMAIL_PORT", 25),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {
                "file_path": env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
            },
        }
    }
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Theo dõi chỉ thị <no-reply@localhost>"
)

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = broker_url()
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = filesystem_broker_dir()
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # Short timeouts so that a request never hangs on a dead or hung broker;
    # every job's run time and retry countdown stays far below the one-hour
    # visibility timeout, after which Redis would redeliver it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "socket_timeout": 2,
        "socket_connect_timeout": 2,
        "max_retries": 1,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# No result backend: jobs write their outcome to the database (scan runs,
# alert rows), and a result backend only makes .delay() slower when Redis is
# down.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Every 15 minutes, day and night: open tasks past their deadline get
    # their overdue alerts; a tick lost while the broker was down is caught
    # up by the next one because the scan selects by state.
    "scan-overdue-every-15-minutes": {
        "task": "tasks.scan_overdue",
        "schedule": crontab(minute="*/15"),
    },
    # Every 5 minutes: e-mail the alerts not sent yet (a safety net for
    # the send that each scan enqueues on commit).
    "send-pending-alerts-every-5-minutes": {
        "task": "tasks.send_pending_alerts",
        "schedule": crontab(minute="*/5"),
    },
    # Every 15 minutes: the daily digests whose hour has come (each reader
    # chooses the hour; a digest not sent yet is caught up at the next run).
    "send-alert-digests-every-15-minutes": {
        "task": "tasks.send_alert_digests",
        "schedule": crontab(minute="*/15"),
    },
    # Every night at 01:30: last month's scores for every unit (confirmed
    # rows stay as they are), so the rounds of the month are ready on the
    # 1st and follow late approvals until everyone is confirmed.
    "compute-last-month-scores-nightly": {
        "task": "appraisal.compute_last_month",
        "schedule": crontab(hour=1, minute=30),
    },
    # Every hour at 20 past: reminders to register hard tasks for people
    # still short as the deadline nears (quotas.ReminderStep), then their
    # e-mails; ledger rows, so a missed or repeated beat is harmless.
    "remind-hard-task-quotas-hourly": {
        "task": "quotas.remind_shortfalls",
        "schedule": crontab(minute=20),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")

# --- Directive tracker -------------------------------------------------------
# Open tasks whose deadline falls within this many working days are "due soon".
TRACKER_DUE_SOON_WORKING_DAYS = env_int("TRACKER_DUE_SOON_WORKING_DAYS", 3)
TRACKER_ALERT_BATCH_SIZE = env_int("TRACKER_ALERT_BATCH_SIZE", 5000)
# On PostgreSQL the scan writes all the ladder's task steps with one
# INSERT … SELECT per range of task ids: at most this many ids, and at most
# TRACKER_ALERT_BATCH_SIZE tasks to alert (which bounds the work and memory
# of each statement).
TRACKER_ALERT_SCAN_ID_RANGE = env_int("TRACKER_ALERT_SCAN_ID_RANGE", 1_000_000)
# A ladder step is written from its day until this many working days after
# it (a late scan catches up within that window); older steps are not sent.
# Empty or "none": no limit.
TRACKER_ALERT_CATCH_UP_WORKING_DAYS = (
    None
    if env_str("TRACKER_ALERT_CATCH_UP_WORKING_DAYS", "").lower() in ("none", "off")
    else env_int("TRACKER_ALERT_CATCH_UP_WORKING_DAYS", 10)
)
# A request for explanation is due this many working days after it is made.
TRACKER_EXPLANATION_DUE_WORKING_DAYS = env_int(
    "TRACKER_EXPLANATION_DUE_WORKING_DAYS", 5
)
# /health/ answers 503 when the last successful alert scan is older than this.
TRACKER_HEALTH_MAX_SCAN_AGE_MINUTES = env_int("TRACKER_HEALTH_MAX_SCAN_AGE_MINUTES", 45)
# An alert whose e-mail failed this many times stays in the app only.
TRACKER_ALERT_EMAIL_MAX_ATTEMPTS = env_int("TRACKER_ALERT_EMAIL_MAX_ATTEMPTS", 5)
# "Việc của tôi" served from the cache (tasks.page_cache) on repeat views;
# only on PostgreSQL, whose triggers tell the cache when a page changes.
TRACKER_MY_TASKS_CACHE = env_bool("TRACKER_MY_TASKS_CACHE", True)
# A dashboard's parts (unit table and trend, task lists, panels) read on
# other connections while the page is built and rendered (config.side_reads);
# only on PostgreSQL.
TRACKER_SIDE_READS = env_bool("TRACKER_SIDE_READS", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
