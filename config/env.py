"""Read settings from the environment, with the embedded defaults of local use.

With nothing set, the project runs on SQLite in the project folder and a
filesystem broker that needs no server. ``DATABASE_URL`` (or the libpq ``PG*``
variables) switches to PostgreSQL via psycopg2; ``REDIS_URL`` (or
``CELERY_BROKER_URL``) switches Celery to Redis.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_config() -> dict:
    """``DATABASE_URL`` first, then ``PG*`` variables, else embedded SQLite."""
    url = os.environ.get("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    elif os.environ.get("PGDATABASE") or os.environ.get("PGHOST"):
        config = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("PGDATABASE", "directive_tracker"),
            "USER": os.environ.get("PGUSER", ""),
            "PASSWORD": os.environ.get("PGPASSWORD", ""),
            "HOST": os.environ.get("PGHOST", ""),
            "PORT": os.environ.get("PGPORT", ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    else:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(BASE_DIR / "db.sqlite3"),
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    if config.get("ENGINE") == "django.db.backends.postgresql":
        # Short OLTP queries: JIT compilation only adds latency here.
        options = config.setdefault("OPTIONS", {})
        options.setdefault("options", "-c jit=off")
    return config


def broker_url() -> str:
    """Redis when configured; otherwise kombu's filesystem transport."""
    return (
        os.environ.get("CELERY_BROKER_URL")
        or os.environ.get("REDIS_URL")
        or "filesystem://"
    )


def filesystem_broker_dir() -> Path:
    return Path(env_str("BROKER_DIR", str(BASE_DIR / "var" / "broker")))
