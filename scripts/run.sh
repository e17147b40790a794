#!/usr/bin/env bash
# `make run`: the whole application on this machine — web server, Celery
# worker and Celery beat together, on demo data. Ctrl-C stops all three.
#
# With nothing configured it runs on the embedded default: SQLite
# (db.sqlite3) and kombu's filesystem broker under var/broker, no server
# needed. DATABASE_URL / REDIS_URL (in the environment or in .env) switch it
# to PostgreSQL / Redis. HOST and PORT choose where the web server listens
# (default 127.0.0.1:8000); SEED=0 starts without loading the demo data.

set -euo pipefail
# shellcheck source=scripts/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$ROOT"

DEMO_PASSWORD="ChiThi24@2026"
STOP_GRACE_SECONDS=20

_pids=()
_names=()
_stopping=""

# ------------------------------------------------------------ stop, cleanly
# Each process was started in its own session (setsid), so a Ctrl-C in the
# terminal reaches only this script, and each one gets exactly one SIGTERM to
# its main PID: signalling a Celery worker's whole process group once left it
# hung. A process still there after the grace period gets SIGQUIT (Celery's
# cold shutdown), then SIGKILL.
_alive() {
    local stat
    stat="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1
    [[ -n "$stat" && "$stat" != Z* ]]
}

# _wait_gone SECONDS — true when all three have exited within that time.
_wait_gone() {
    local deadline=$((SECONDS + $1)) pid left
    while ((SECONDS < deadline)); do
        left=""
        for pid in "${_pids[@]}"; do
            _alive "$pid" && left=1
        done
        [[ -z "$left" ]] && return 0
        sleep 0.2
    done
    return 1
}

stop_all() {
    [[ -n "$_stopping" ]] && return 0
    _stopping=1
    trap '' INT TERM HUP
    local i pid
    ((${#_pids[@]})) || return 0
    say "Stopping web, worker and beat"
    for ((i = ${#_pids[@]} - 1; i >= 0; i--)); do
        kill -TERM "${_pids[i]}" 2>/dev/null || true
    done
    if ! _wait_gone "$STOP_GRACE_SECONDS"; then
        for ((i = 0; i < ${#_pids[@]}; i++)); do
            if _alive "${_pids[i]}"; then
                warn "${_names[i]} still running after ${STOP_GRACE_SECONDS} s: SIGQUIT"
                kill -QUIT "${_pids[i]}" 2>/dev/null || true
            fi
        done
        if ! _wait_gone 5; then
            for pid in "${_pids[@]}"; do
                _alive "$pid" && kill -KILL "$pid" 2>/dev/null
            done
        fi
    fi
    for pid in "${_pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    say "Stopped."
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM HUP

# ------------------------------------------------------------------ prepare
tracker_bootstrap
load_dotenv "$ROOT/.env"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
case "$HOST" in
0.0.0.0 | "::" | "[::]") URL_HOST=127.0.0.1 ;;
*) URL_HOST="$HOST" ;;
esac
URL="http://$URL_HOST:$PORT"

mkdir -p var
if [[ -z "${CELERY_BROKER_URL:-}" && -z "${REDIS_URL:-}" ]]; then
    broker_dir="${BROKER_DIR:-$ROOT/var/broker}"
    mkdir -p "$broker_dir/queue" "$broker_dir/processed" "$broker_dir/control"
    broker_label="filesystem queue in ${broker_dir#"$ROOT"/} (no server needed)"
else
    broker_url="${CELERY_BROKER_URL:-$REDIS_URL}"
    broker_label="Redis ($(sed -E 's#(://[^:/@]*:)[^@/]*@#\1***@#' <<<"${broker_url%%\?*}"))"
    if [[ "$broker_url" =~ ^redis://([^@/]*@)?([^:/]+)(:([0-9]+))? ]]; then
        redis_host="${BASH_REMATCH[2]}"
        redis_port="${BASH_REMATCH[4]:-6379}"
        redis_ping "$redis_host" "$redis_port" ||
            die "Redis at $redis_host:$redis_port (REDIS_URL / CELERY_BROKER_URL) does not
  answer. Start it, or unset REDIS_URL to use the embedded filesystem broker."
    fi
fi
mail_dir="${EMAIL_FILE_PATH:-$ROOT/var/mail}"
media_dir="${MEDIA_ROOT:-$ROOT/var/media}"
mkdir -p "$mail_dir" "$media_dir"
if [[ -n "${EMAIL_HOST:-}" ]]; then
    mail_label="sent by SMTP through $EMAIL_HOST:${EMAIL_PORT:-25} (EMAIL_HOST)"
else
    mail_label="${mail_dir#"$ROOT"/}/  (every e-mail sent is written there as a file)"
fi

if [[ -n "${DATABASE_URL:-}" ]]; then
    case "$DATABASE_URL" in
    postgres* | pgsql*) db_label="PostgreSQL (DATABASE_URL)" ;;
    sqlite*) db_label="SQLite (DATABASE_URL)" ;;
    *) db_label="${DATABASE_URL%%://*} (DATABASE_URL)" ;;
    esac
    if [[ "$DATABASE_URL" == postgres* ]] && command -v pg_isready >/dev/null 2>&1 &&
        ! pg_isready -q -t 3 -d "$DATABASE_URL" >/dev/null 2>&1; then
        die "PostgreSQL in DATABASE_URL does not answer. Start it (make test starts a
  local one), or unset DATABASE_URL to use the embedded SQLite database."
    fi
elif [[ -n "${PGDATABASE:-}${PGHOST:-}" ]]; then
    db_label="PostgreSQL (PG* variables)"
else
    db_label="SQLite (db.sqlite3)"
fi

if tcp_open "$URL_HOST" "$PORT"; then
    die "Something already listens on $URL_HOST:$PORT. Stop it, or choose another
  port: PORT=8001 make run"
fi

manage() { "$VENV_PY" manage.py "$@"; }

# Importing the project once here turns a broken checkout into one clear
# error before anything starts.
commands="$(manage help --commands)" ||
    die "manage.py cannot start (see the error above); nothing was started."
if [[ "${SEED:-1}" == "0" ]]; then
    warn "SEED=0: the demo data is not loaded"
elif ! grep -qx 'seed_demo' <<<"$commands"; then
    die "The demo data command 'manage.py seed_demo' does not exist (yet), so there
  would be nothing to log in with. It is expected in units/ or tasks/
  management/commands/seed_demo.py."
fi

say "Database: $db_label"
"$VENV_PY" scripts/ensure_db.py || die "The database is not reachable (see above)."
say "Applying migrations"
manage migrate --noinput
if [[ "${SEED:-1}" != "0" ]]; then
    say "Loading the demo data (seed_demo; safe to repeat)"
    manage seed_demo
fi
# One scan now, so the demo's overdue and due-soon alerts are in the bell
# and the mail log at once; beat repeats it every 15 minutes.
say "Running the alert scan once (beat repeats it every 15 minutes)"
manage scan_alerts || say "The first alert scan failed; beat will retry it."

# -------------------------------------------------------------------- start
_prefix() {
    trap '' INT TERM HUP
    exec sed -u "s/^/[$1] /"
}

# start NAME COMMAND... — in its own session, output prefixed with [NAME].
start() {
    local name="$1"
    shift
    if command -v setsid >/dev/null 2>&1; then
        setsid "$@" > >(_prefix "$name") 2>&1 &
    else
        "$@" > >(_prefix "$name") 2>&1 &
    fi
    _pids+=("$!")
    _names+=("$name")
}

say "Starting web, worker and beat"
start web "$VENV_PY" manage.py runserver --noreload "$HOST:$PORT"
start worker "$VENV/bin/celery" -A config worker -l info --concurrency 2
start beat "$VENV/bin/celery" -A config beat -l info \
    --schedule "$ROOT/var/celerybeat-schedule"

# Wait until the web server answers before showing where it is.
for ((i = 0; i < 120; i++)); do
    tcp_open "$URL_HOST" "$PORT" && break
    _alive "${_pids[0]}" || break
    sleep 0.5
done

_logins() {
    if [[ "${SEED:-1}" == "0" ]]; then
        echo "  Demo logins: not loaded (SEED=0)."
        return
    fi
    cat <<EOF
  Demo logins — password for all: $DEMO_PASSWORD
    admin            superuser (Django admin)
    thuongtruc       Thường trực Thành ủy — reviewer, whole city
    vanphong.dongan  Văn phòng Đảng ủy xã Đông Anh — reviewer of xã Đông Anh
    lanhdao.dongan   leader, Đảng ủy xã Đông Anh and everything under it
    canbo.dongan     staff, Văn phòng Đảng ủy xã Đông Anh
    lanhdao.sontay   leader, Đảng ủy phường Sơn Tây; supervision teams
    canbo.sontay     staff in phường Sơn Tây
EOF
}

if tcp_open "$URL_HOST" "$PORT"; then
    cat <<EOF

==============================================================================
  Theo dõi thực hiện chỉ thị / Directive tracker — running

  Open:        $URL/
  Admin:       $URL/admin/
  Mail log:    $mail_label
  Database:    $db_label
  Broker:      $broker_label

$(_logins)

  Ctrl-C stops web, worker and beat.
==============================================================================

EOF
fi

# --------------------------------------------------------------------- wait
# Until Ctrl-C / SIGTERM (the traps), or until one of the three stops by
# itself: then the others are stopped too, and the exit status says so.
rc=0
wait -n || rc=$?
for ((i = 0; i < ${#_pids[@]}; i++)); do
    if ! _alive "${_pids[i]}"; then
        warn "${_names[i]} stopped by itself (exit status $rc); stopping the others."
        break
    fi
done
stop_all
exit "$((rc == 0 ? 1 : rc))"
