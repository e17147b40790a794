"""The production settings pass Django's deployment checklist and refuse to
start half-configured.

Each case runs ``manage.py`` in a subprocess, because settings are read once
per process. No database is needed: DATABASE_URL points at a port where
nothing listens, so a check that tried to connect would fail the run.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
UNREACHABLE_DB = "postgres://nobody@127.0.0.1:9/unreachable"

# Everything the settings read from the environment: the subprocess starts
# from none of the test run's own values.
SETTINGS_VARIABLES = (
    "ALLOWED_HOSTS",
    "BROKER_DIR",
    "CELERY_BROKER_URL",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "EMAIL_HOST",
    "PGDATABASE",
    "PGHOST",
    "REDIS_URL",
    "SECRET_KEY",
    "SITE_URL",
)


def production_env(**overrides: str | None) -> dict[str, str]:
    """A complete production environment; an override of None removes it."""
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests for their own
    # process; a production machine never has it (async.E001 says so).
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SETTINGS_VARIABLES and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="chithi.example.gov.vn",
        CSRF_TRUSTED_ORIGINS="https://chithi.example.gov.vn",
        SITE_URL="https://chithi.example.gov.vn",
        DATABASE_URL=UNREACHABLE_DB,
        REDIS_URL="redis://127.0.0.1:9/0",
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_checklist_without_a_database():
    # given a complete production environment whose database cannot be reached
    env = production_env()

    # when Django's deployment checklist runs, failing on warnings too
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    # then there is nothing to report
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_keeps_debug_off_csp_on_and_mail_on_smtp():
    # given an environment that asks for DEBUG
    env = production_env(DEBUG="true")
    script = (
        "import json; from django.conf import settings; print(json.dumps({"
        "'debug': settings.DEBUG, 'middleware': settings.MIDDLEWARE, "
        "'csp': settings.SECURE_CSP, "
        "'mail': settings.MAILERS['default']['BACKEND']}))"
    )

    # when the production settings are loaded
    result = manage("shell", "--no-imports", "-c", script, env=env)

    # then DEBUG stays off, the CSP header is sent, and e-mail goes out by SMTP
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded["debug"] is False
    csp_middleware = "django.middleware.csp.ContentSecurityPolicyMiddleware"
    assert csp_middleware in loaded["middleware"]
    assert loaded["csp"]["default-src"] == ["'self'"]
    assert loaded["mail"] == "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize(
    ("secret_key", "message"),
    [
        pytest.param(None, "SECRET_KEY is not set", id="missing"),
        pytest.param("", "SECRET_KEY is not set", id="empty"),
        pytest.param("too-short-a-secret", "SECRET_KEY is too weak", id="short"),
        pytest.param("a" * 64, "SECRET_KEY is too weak", id="one-letter"),
        pytest.param(
            "dev-only-insecure-key-change-me" + "x" * 30,
            "SECRET_KEY is too weak",
            id="development-key",
        ),
    ],
)
def test_production_refuses_a_missing_or_weak_secret_key(secret_key, message):
    # given production settings without a real secret
    env = production_env(SECRET_KEY=secret_key)

    # when any management command starts
    result = manage("check", env=env)

    # then it stops with a message that says what to set and how
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
    assert "secrets.token_urlsafe" in result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param(
            {"DATABASE_URL": None},
            "Production runs on PostgreSQL: set DATABASE_URL",
            id="no-database-url",
        ),
        pytest.param(
            {"DATABASE_URL": "sqlite:////tmp/tracker.sqlite3"},
            "Production runs on PostgreSQL: set DATABASE_URL",
            id="sqlite",
        ),
        pytest.param(
            {"REDIS_URL": None},
            "Production needs Redis",
            id="no-broker",
        ),
        pytest.param(
            {"ALLOWED_HOSTS": None},
            "Set ALLOWED_HOSTS",
            id="no-allowed-hosts",
        ),
    ],
)
def test_production_refuses_to_start_half_configured(overrides, message):
    # given production settings with one required part missing
    env = production_env(**overrides)

    # when any management command starts
    result = manage("check", env=env)

    # then it stops and names what is missing
    assert result.returncode != 0
    assert message in result.stderr
