#!/usr/bin/env bash
# `make bench`: the speed scripts in benchmarks/, once they exist.

set -euo pipefail
# shellcheck source=scripts/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$ROOT"

if [[ ! -f benchmarks/run.sh ]]; then
    say "No benchmarks yet: benchmarks/run.sh is not built."
    exit 0
fi
tracker_bootstrap
exec bash benchmarks/run.sh "$@"
