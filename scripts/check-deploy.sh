#!/usr/bin/env bash
# `make check-deploy`: Django's deployment checklist on the production
# settings, failing on warnings too. A throw-away SECRET_KEY and example
# hosts are supplied when the environment has none; the checks do not connect
# to PostgreSQL or Redis, so their URLs only need to be well-formed.

set -euo pipefail
# shellcheck source=scripts/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$ROOT"
tracker_bootstrap

secret="${SECRET_KEY:-}"
if [[ -z "$secret" ]]; then
    secret="$("$VENV_PY" -c 'import secrets; print(secrets.token_urlsafe(64))')"
fi
DJANGO_SETTINGS_MODULE=config.settings.production \
    SECRET_KEY="$secret" \
    ALLOWED_HOSTS="${ALLOWED_HOSTS:-tracker.example.org}" \
    CSRF_TRUSTED_ORIGINS="${CSRF_TRUSTED_ORIGINS:-https://tracker.example.org}" \
    SITE_URL="${SITE_URL:-https://tracker.example.org}" \
    DATABASE_URL="${DATABASE_URL:-postgres:///directive_tracker}" \
    REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}" \
    "$VENV_PY" manage.py check --deploy --fail-level WARNING "$@"
