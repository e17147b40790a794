#!/usr/bin/env bash
# Speed of the dashboards, the "my tasks" page and a hello-world view on the
# scale dataset (manage.py seed_scale --tasks 1000000 --seed 42).
#
#   DATABASE_URL=postgres:///dt_scale bash benchmarks/run.sh [--runs 15] [--warmup 3] [--only TEXT]
#
# Prints one table: each page's median server time, the time of its own SQL
# run directly against PostgreSQL (the floor), their ratio, the queries per
# page, and whether the targets are met. Not part of the test suite.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DATABASE_URL="${DATABASE_URL:-postgres:///dt_scale}"
# The cache in Redis, as in production ("my tasks" is served from it).
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:${TRACKER_REDIS_PORT:-6379}/14}"
export DJANGO_SETTINGS_MODULE=benchmarks.settings
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
PY="${VENV_PY:-$ROOT/.venv/bin/python}"
[[ -x "$PY" ]] || PY="$(command -v python3)"
# `run.sh parts`: where a dashboard's time goes (benchmarks/page_parts.py).
if [[ "${1:-}" == "parts" ]]; then
    shift
    exec "$PY" benchmarks/page_parts.py "$@"
fi
exec "$PY" benchmarks/pages.py "$@"
