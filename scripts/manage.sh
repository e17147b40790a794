#!/usr/bin/env bash
# manage.py with the project's virtualenv and .env: `scripts/manage.sh migrate`.
# Same environment as `make run` (embedded default unless DATABASE_URL /
# REDIS_URL are set in the environment or in .env).

set -euo pipefail
# shellcheck source=scripts/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$ROOT"
tracker_bootstrap
load_dotenv "$ROOT/.env" >&2
if [[ "${1:-}" == "migrate" ]]; then
    "$VENV_PY" scripts/ensure_db.py
fi
exec "$VENV_PY" manage.py "$@"
