#!/usr/bin/env bash
# `make test`: the quality gates, then the whole test suite on PostgreSQL and
# Redis, with browser flows in Chromium.
#
#   scripts/test.sh [PYTEST ARGS...]       e.g. scripts/test.sh tests/tasks -k submit
#   make test ARGS="tests/test_deploy_settings.py"
#
# Environment (all optional):
#   DATABASE_URL        default postgres:///directive_tracker (Unix socket, OS user)
#   REDIS_URL           default redis://127.0.0.1:${TRACKER_REDIS_PORT:-6379}/15
#   TRACKER_REDIS_PORT  port of the local Redis to use (or start) when REDIS_URL is unset
#   TRACKER_CHROMIUM    path of Chromium for tests/browser (default /usr/bin/chromium)
#   TRACKER_BROWSER=0   skip the browser tests on purpose
#   TEST_WORKERS        pytest-xdist workers (default 2)
#   GATES=0             skip ruff / migrations / check gates (quick local runs only)
#
# Only the environment is read, never .env: tests must not depend on a
# developer's local settings. PostgreSQL, Redis or Chromium are started or
# installed only when missing, and what this script started is stopped at exit.

set -euo pipefail
# shellcheck source=scripts/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
# shellcheck source=scripts/services.sh
source "$ROOT/scripts/services.sh"

_started_at=$SECONDS
_outcome="FAILED"

_on_exit() {
    local rc=$?
    trap - EXIT INT TERM
    services_cleanup
    if ((rc == 0)); then
        _outcome="PASSED"
    fi
    printf '\n%s==> make test: %s in %s%s\n' "$_c_bold" "$_outcome" \
        "$(elapsed $((SECONDS - _started_at)))" "$_c_off"
    exit "$rc"
}
trap _on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cd "$ROOT"
tracker_bootstrap

# --------------------------------------------------------------------- gates
_failed_gates=()

# gate NAME COMMAND... — run one gate, time it, remember a failure, go on.
gate() {
    local name="$1" started=$SECONDS
    shift
    say "$name"
    if "$@"; then
        say "$name: ok ($(elapsed $((SECONDS - started))))"
    else
        warn "$name: FAILED"
        _failed_gates+=("$name")
    fi
}

# The Django gates run on the embedded default (a throw-away SQLite file):
# makemigrations only needs a database to compare history, and this way the
# gates need no server at all.
_gates_db="$(mktemp -d "${TMPDIR:-/tmp}/tracker-gates.XXXXXX")"
_django_local() {
    env -u DJANGO_SETTINGS_MODULE DATABASE_URL="sqlite:///$_gates_db/gates.sqlite3" \
        "$VENV_PY" manage.py "$@"
}

if [[ "${GATES:-1}" != "0" ]]; then
    gate "ruff check" "$VENV/bin/ruff" check .
    gate "ruff format --check" "$VENV/bin/ruff" format --check .
    gate "makemigrations --check" _django_local makemigrations --check --dry-run
    gate "manage.py check" _django_local check
    gate "check --deploy (production settings)" "$ROOT/scripts/check-deploy.sh"
    rm -rf -- "$_gates_db"
    if ((${#_failed_gates[@]})); then
        die "Quality gates failed: $(printf '%s; ' "${_failed_gates[@]}")tests not run.
  Fix them (make format fixes the formatting), or for a quick local run only:
  GATES=0 scripts/test.sh ..."
    fi
else
    rm -rf -- "$_gates_db"
    warn "GATES=0: ruff, migrations and check gates skipped"
fi

# ------------------------------------------------------------------ services
ensure_postgres
ensure_redis
ensure_chromium

# --------------------------------------------------------------------- tests
# pyproject.toml names the test settings; a DJANGO_SETTINGS_MODULE left in
# the shell (say config.settings.local) would otherwise win over it.
unset DJANGO_SETTINGS_MODULE
say "pytest -n ${TEST_WORKERS:-2} --dist loadgroup $*"
rc=0
"$VENV_PY" -m pytest -n "${TEST_WORKERS:-2}" --dist loadgroup -ra --durations=10 "$@" ||
    rc=$?
if ((rc == 5)); then
    die "pytest collected no tests (exit 5): nothing was tested. Check the paths or
  -k/-m expression passed in ARGS (\"$*\")."
elif ((rc != 0)); then
    die "pytest failed (exit $rc)."
fi
