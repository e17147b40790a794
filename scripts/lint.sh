#!/usr/bin/env bash
# `make lint`: ruff's lint rules and formatting check (pyproject.toml).
# `scripts/lint.sh --fix` (make format): apply the safe fixes and format.

set -euo pipefail
# shellcheck source=scripts/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$ROOT"
tracker_bootstrap

if [[ "${1:-}" == "--fix" ]]; then
    shift
    "$VENV/bin/ruff" check --fix "$@" .
    "$VENV/bin/ruff" format "$@" .
else
    rc=0
    "$VENV/bin/ruff" check "$@" . || rc=1
    "$VENV/bin/ruff" format --check "$@" . || rc=1
    exit "$rc"
fi
