#!/usr/bin/env bash
# Make .venv ready: find a Python >= 3.12, create the virtualenv, and install
# requirements/lock.txt (hash-checked) whenever the lock file has changed.
#
# Run it directly (`scripts/bootstrap.sh`), or source it and call
# `tracker_bootstrap`, as run.sh and test.sh do. Afterwards .venv/bin is first
# on PATH and VENV_PY names the virtualenv's Python.
#
# TRACKER_PYTHON=/path/to/python3.12 skips the search.

set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VENV="$ROOT/.venv"
VENV_PY="$VENV/bin/python"
LOCK_FILE="$ROOT/requirements/lock.txt"
STAMP_FILE="$VENV/.lock-sha256"

# Django 6.1 needs Python 3.12 or newer.
_python_ok() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' \
        >/dev/null 2>&1
}

_python_version() {
    "$1" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null ||
        echo "unknown"
}

# find_python — sets PYTHON to the first usable interpreter, in this order:
# TRACKER_PYTHON; python3.12 / python3.13 on PATH (a pyenv shim that answers
# "command not found" is skipped because it does not run); pyenv's installed
# 3.12.x / 3.13.x; python3 when it is new enough.
find_python() {
    local candidate pyenv_root
    local -a candidates=()
    PYTHON=""
    if [[ -n "${TRACKER_PYTHON:-}" ]]; then
        if _python_ok "$TRACKER_PYTHON"; then
            PYTHON="$TRACKER_PYTHON"
            return 0
        fi
        die "TRACKER_PYTHON=$TRACKER_PYTHON is not a working Python >= 3.12."
    fi
    for candidate in python3.12 python3.13; do
        if command -v "$candidate" >/dev/null 2>&1; then
            candidates+=("$(command -v "$candidate")")
        fi
    done
    if command -v pyenv >/dev/null 2>&1; then
        pyenv_root="$(pyenv root 2>/dev/null || true)"
    fi
    pyenv_root="${pyenv_root:-${PYENV_ROOT:-$HOME/.pyenv}}"
    if [[ -d "$pyenv_root/versions" ]]; then
        # Newest patch release first within each minor version.
        while IFS= read -r candidate; do
            candidates+=("$candidate")
        done < <(
            compgen -G "$pyenv_root/versions/3.12.*/bin/python3.12" | sort -rV || true
            compgen -G "$pyenv_root/versions/3.13.*/bin/python3.13" | sort -rV || true
        )
    fi
    if command -v python3 >/dev/null 2>&1; then
        candidates+=("$(command -v python3)")
    fi
    for candidate in "${candidates[@]}"; do
        if _python_ok "$candidate"; then
            PYTHON="$candidate"
            return 0
        fi
    done
    local found="none"
    if command -v python3 >/dev/null 2>&1; then
        found="python3 is $(_python_version python3)"
    fi
    die "No Python >= 3.12 found (Django 6.1 needs it; $found).
  Looked for: python3.12 and python3.13 on PATH, $pyenv_root/versions/3.12.* and
  3.13.*, and python3. Install one of them, then run the command again:
    - Debian 13 / Ubuntu 24.04 (as root): apt-get install python3 python3-venv python3-dev
    - with pyenv:                        pyenv install 3.12
    - or point at one you have:          TRACKER_PYTHON=/path/to/python3.12 make ..."
}

# The Debian/Ubuntu system Python ships venv and the C headers separately.
_debian_python_pkg() {
    local python="$1" suffix="$2" version
    version="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    if [[ "$(readlink -f "$python")" == /usr/bin/* ]]; then
        if apt-cache show "python${version}-${suffix}" >/dev/null 2>&1; then
            echo "python${version}-${suffix}"
        else
            echo "python3-${suffix}"
        fi
    fi
}

_ensure_venv() {
    if [[ -x "$VENV_PY" ]] && _python_ok "$VENV_PY"; then
        return 0
    fi
    find_python
    if [[ -e "$VENV" ]]; then
        say "Re-creating .venv (its Python is $(_python_version "$VENV_PY"); 3.12+ needed)"
        rm -rf -- "$VENV"
    fi
    if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        local pkg=""
        if can_apt; then
            pkg="$(_debian_python_pkg "$PYTHON" venv)"
        fi
        if [[ -n "$pkg" ]]; then
            apt_install "$pkg"
        else
            die "$PYTHON has no 'venv'/'ensurepip' module. On Debian/Ubuntu install
  python3-venv (for example: apt-get install python3-venv), then run again."
        fi
    fi
    say "Creating .venv with $PYTHON (Python $(_python_version "$PYTHON"))"
    "$PYTHON" -m venv "$VENV"
}

# psycopg2 (not -binary) compiles against libpq: it needs pg_config (libpq-dev),
# a C compiler and the Python headers. Only checked when psycopg2 is missing.
_ensure_build_deps() {
    "$VENV_PY" -c 'import psycopg2' >/dev/null 2>&1 && return 0
    local -a missing=() pkgs=()
    local headers
    headers="$("$VENV_PY" -c 'import os, sysconfig
print(os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))')"
    if ! command -v pg_config >/dev/null 2>&1; then
        missing+=("pg_config (libpq-dev)")
        pkgs+=(libpq-dev)
    fi
    if ! command -v cc >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; then
        missing+=("a C compiler (build-essential)")
        pkgs+=(build-essential)
    fi
    if [[ "$headers" != "True" ]]; then
        missing+=("the Python headers (Python.h)")
        local dev_pkg
        dev_pkg="$(_debian_python_pkg "$VENV_PY" dev)"
        pkgs+=("${dev_pkg:-python3-dev}")
    fi
    ((${#missing[@]} == 0)) && return 0
    if can_apt; then
        say "psycopg2 is built from source and needs: ${missing[*]}"
        apt_install "${pkgs[@]}"
    else
        die "psycopg2 is built from source and needs: ${missing[*]}.
  On Debian/Ubuntu (as root): apt-get install ${pkgs[*]}
  Elsewhere: install the PostgreSQL client development files (pg_config on PATH),
  a C compiler and the headers of your Python, then run again."
    fi
}

_lock_digest() {
    "$VENV_PY" - "$LOCK_FILE" <<'EOF'
import hashlib, sys
digest = hashlib.sha256(open(sys.argv[1], "rb").read())
digest.update(sys.version.encode())
print(digest.hexdigest())
EOF
}

_install_lock() {
    local want have=""
    want="$(_lock_digest)"
    [[ -f "$STAMP_FILE" ]] && have="$(<"$STAMP_FILE")"
    [[ "$want" == "$have" ]] && return 0
    _ensure_build_deps
    local started=$SECONDS
    say "Installing requirements/lock.txt into .venv (about 30 s the first time)"
    # (A pip.conf that names a missing local index makes pip warn once per
    # package; those lines say nothing about the install and are dropped.)
    PIP_NO_INPUT=1 "$VENV_PY" -m pip install --quiet --disable-pip-version-check \
        --progress-bar off --require-hashes --no-deps -r "$LOCK_FILE" \
        2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
    printf '%s\n' "$want" >"$STAMP_FILE"
    say "Dependencies installed in $(elapsed $((SECONDS - started)))"
}

tracker_bootstrap() {
    [[ -f "$LOCK_FILE" ]] || die "requirements/lock.txt is missing."
    _ensure_venv
    # Two scripts started at once (make run beside make test) must not run
    # pip into the same virtualenv together.
    if command -v flock >/dev/null 2>&1; then
        exec 9>"$VENV/.bootstrap.lock"
        flock -w 900 9 || die "Timed out waiting for another bootstrap to finish."
        _install_lock
        flock -u 9
        exec 9>&-
    else
        _install_lock
    fi
    export VIRTUAL_ENV="$VENV"
    export PATH="$VENV/bin:$PATH"
    export PYTHONUNBUFFERED=1
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    tracker_bootstrap
    say ".venv is ready: $("$VENV_PY" --version)"
fi
