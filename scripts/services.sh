# shellcheck shell=bash
# What the test suite needs besides Python: PostgreSQL, Redis and Chromium.
# Source it (after lib.sh), call ensure_postgres / ensure_redis /
# ensure_chromium, and call services_cleanup from an EXIT trap.
#
# Each service is checked first and started only when it is down; at exit only
# what was started here is stopped, by the PID recorded when it started. A
# service that was already running is never touched.

_STARTED_PG_PID=""
_STARTED_PG_LABEL=""
_STARTED_REDIS_PID=""
_SERVICES_TMP=""

_services_tmp() {
    if [[ -z "$_SERVICES_TMP" ]]; then
        _SERVICES_TMP="$(mktemp -d "${TMPDIR:-/tmp}/tracker-services.XXXXXX")"
    fi
}

# _stop_pid PID SIGNAL LABEL — signal one process and wait (up to 30 s) until
# it is gone. Not our child, so poll /proc rather than `wait`.
_stop_pid() {
    local pid="$1" signal="$2" label="$3" i
    kill -0 "$pid" 2>/dev/null || return 0
    say "Stopping $label (PID $pid), which this script started"
    kill "-$signal" "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 300; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    warn "$label (PID $pid) is still running 30 s after SIG$signal."
}

services_cleanup() {
    if [[ -n "$_STARTED_REDIS_PID" ]]; then
        _stop_pid "$_STARTED_REDIS_PID" TERM "Redis"
        _STARTED_REDIS_PID=""
    fi
    if [[ -n "$_STARTED_PG_PID" ]]; then
        # SIGINT is PostgreSQL's "fast" shutdown: it ends open sessions.
        _stop_pid "$_STARTED_PG_PID" INT "$_STARTED_PG_LABEL"
        _STARTED_PG_PID=""
    fi
    if [[ -n "$_SERVICES_TMP" ]]; then
        rm -rf -- "$_SERVICES_TMP"
        _SERVICES_TMP=""
    fi
}

# ---------------------------------------------------------------- PostgreSQL

# Sets PG_HOST / PG_PORT / PG_HAS_USER from a postgres:// URL. An empty host
# means the Unix socket.
_parse_pg_url() {
    local url="$1" rest authority hostport
    rest="${url#*://}"
    authority="${rest%%/*}"
    PG_HAS_USER=""
    if [[ "$authority" == *@* ]]; then
        PG_HAS_USER=1
        hostport="${authority##*@}"
    else
        hostport="$authority"
    fi
    if [[ "$hostport" =~ ^\[(.*)\](:([0-9]+))?$ ]]; then
        PG_HOST="${BASH_REMATCH[1]}"
        PG_PORT="${BASH_REMATCH[3]:-5432}"
    elif [[ "$hostport" =~ ^([^:]*)(:([0-9]+))?$ ]]; then
        PG_HOST="${BASH_REMATCH[1]}"
        PG_PORT="${BASH_REMATCH[3]:-5432}"
    else
        PG_HOST="$hostport"
        PG_PORT=5432
    fi
    # ?host=/path in the query string also means a socket.
    if [[ -z "$PG_HOST" && "$url" =~ [?\&]host=([^&]*) ]]; then
        PG_HOST="${BASH_REMATCH[1]}"
    fi
}

_pg_is_local() {
    case "$PG_HOST" in
    "" | localhost | 127.0.0.1 | ::1 | /* | %2F* | %2f*) return 0 ;;
    *) return 1 ;;
    esac
}

# _pg_ready — is the server of DATABASE_URL accepting connections?
_pg_ready() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -t 3 -d "$DATABASE_URL" >/dev/null 2>&1
    elif [[ -z "$PG_HOST" ]]; then
        [[ -S "/var/run/postgresql/.s.PGSQL.$PG_PORT" || -S "/tmp/.s.PGSQL.$PG_PORT" ]]
    else
        tcp_open "$PG_HOST" "$PG_PORT"
    fi
}

# The newest Debian cluster (postgresql-common), as "VERSION NAME".
_pg_cluster() {
    command -v pg_lsclusters >/dev/null 2>&1 || return 1
    pg_lsclusters --no-header 2>/dev/null | sort -V | awk 'END { if (NR) print $1, $2 }'
}

_pg_start_local() {
    if [[ -z "$(_pg_cluster || true)" ]]; then
        if can_apt; then
            say "PostgreSQL is not installed: installing it (about 30 s)"
            apt_install postgresql
        else
            die "PostgreSQL is not running and not installed here.
  On Debian/Ubuntu (as root): apt-get install postgresql   — then run again.
  Otherwise start a PostgreSQL >= 15 server and point DATABASE_URL at it, e.g.
  DATABASE_URL=postgres://USER:PASSWORD@127.0.0.1:5432/directive_tracker make test"
        fi
    fi
    if [[ -z "$(_pg_cluster || true)" ]]; then
        local version
        version="$(find /usr/lib/postgresql -maxdepth 1 -mindepth 1 -printf '%f\n' \
            2>/dev/null | sort -V | tail -n 1)"
        [[ -n "$version" ]] || die "PostgreSQL's server package is missing (no
  /usr/lib/postgresql/<version>): apt-get install postgresql"
        say "Creating the PostgreSQL $version cluster 'main'"
        pg_createcluster "$version" main >/dev/null
    fi
    local version name status datadir
    read -r version name <<<"$(_pg_cluster)"
    status="$(pg_lsclusters --no-header "$version" "$name" | awk '{print $4}')"
    datadir="$(pg_lsclusters --no-header "$version" "$name" | awk '{print $6}')"
    if [[ "$status" == online* ]]; then
        die "PostgreSQL $version/$name is running but does not answer for
  DATABASE_URL=$DATABASE_URL (port $(pg_lsclusters --no-header "$version" "$name" |
            awk '{print $3}')). Set DATABASE_URL to match it."
    fi
    if ! is_root; then
        die "PostgreSQL $version/$name is installed but not running, and starting it
  needs root: sudo pg_ctlcluster --skip-systemctl-redirect $version $name start"
    fi
    say "Starting PostgreSQL $version/$name"
    local rc=0
    pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start || rc=$?
    # Exit 2 means it was running already: then it is not ours to stop.
    if ((rc == 0)); then
        local i
        for ((i = 0; i < 50; i++)); do
            [[ -s "$datadir/postmaster.pid" ]] && break
            sleep 0.1
        done
        _STARTED_PG_PID="$(head -n 1 "$datadir/postmaster.pid" 2>/dev/null || true)"
        _STARTED_PG_LABEL="PostgreSQL $version/$name"
    elif ((rc != 2)); then
        die "pg_ctlcluster could not start PostgreSQL $version/$name (exit $rc);
  see /var/log/postgresql/postgresql-$version-$name.log"
    fi
    local i
    for ((i = 0; i < 60; i++)); do
        _pg_ready && return 0
        sleep 0.5
    done
    die "PostgreSQL $version/$name started but does not accept connections after 30 s;
  see /var/log/postgresql/postgresql-$version-$name.log"
}

# Connecting over the socket without a user name means "as the OS user":
# Debian's peer auth needs a role of that name.
_pg_ensure_role() {
    command -v psql >/dev/null 2>&1 || return 0
    local me
    me="$(id -un)"
    if psql -X -q -d postgres -At -c 'select 1' >/dev/null 2>&1; then
        return 0
    fi
    if is_root && id postgres >/dev/null 2>&1 && command -v runuser >/dev/null 2>&1; then
        say "Creating the PostgreSQL role '$me' (superuser, for the test databases)"
        if runuser -u postgres -- createuser --superuser "$me" 2>/dev/null ||
            psql -X -q -d postgres -At -c 'select 1' >/dev/null 2>&1; then
            return 0
        fi
    fi
    die "Cannot connect to PostgreSQL as '$me' over the Unix socket.
  Create the role:  sudo -u postgres createuser --superuser $me
  or set DATABASE_URL=postgres://USER:PASSWORD@127.0.0.1:5432/directive_tracker"
}

# ensure_postgres — sets DATABASE_URL (default: the local socket, database
# directive_tracker; pytest-django creates test_directive_tracker from it)
# and makes sure the server answers.
ensure_postgres() {
    export DATABASE_URL="${DATABASE_URL:-postgres:///directive_tracker}"
    case "$DATABASE_URL" in
    postgres://* | postgresql://*) ;;
    *) die "The tests run on PostgreSQL; DATABASE_URL=$DATABASE_URL is not a postgres:// URL." ;;
    esac
    _parse_pg_url "$DATABASE_URL"
    if ! _pg_ready; then
        if _pg_is_local; then
            _pg_start_local
        else
            die "PostgreSQL at $PG_HOST:$PG_PORT (from DATABASE_URL) does not answer."
        fi
    fi
    if [[ -z "$PG_HAS_USER" ]] && _pg_is_local; then
        _pg_ensure_role
    fi
    say "PostgreSQL: ready (DATABASE_URL=$(_redact "$DATABASE_URL"))"
}

# Hide a password in a URL before printing it.
_redact() {
    sed -E 's#(://[^:/@]*:)[^@/]*@#\1***@#' <<<"$1"
}

# --------------------------------------------------------------------- Redis

# ensure_redis — sets REDIS_URL (default redis://127.0.0.1:6379/15, the port
# from TRACKER_REDIS_PORT) and makes sure a server answers PING; a local one
# that is down is started on that port, with nothing kept on disk.
ensure_redis() {
    export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:${TRACKER_REDIS_PORT:-6379}/15}"
    local host port
    if [[ "$REDIS_URL" =~ ^redis://([^@/]*@)?(\[[^]]*\]|[^:/]*)(:([0-9]+))?(/.*)?$ ]]; then
        host="${BASH_REMATCH[2]}"
        port="${BASH_REMATCH[4]:-6379}"
        host="${host#[}"
        host="${host%]}"
        host="${host:-127.0.0.1}"
    else
        say "Redis: REDIS_URL=$(_redact "$REDIS_URL") is not checked here (TLS or socket)"
        return 0
    fi
    if redis_ping "$host" "$port"; then
        say "Redis: ready at $host:$port"
        return 0
    fi
    case "$host" in
    127.0.0.1 | localhost | ::1) ;;
    *) die "Redis at $host:$port (from REDIS_URL) does not answer PING." ;;
    esac
    if ! command -v redis-server >/dev/null 2>&1; then
        if can_apt; then
            say "Redis is not installed: installing redis-server"
            apt_install redis-server
        else
            die "Redis does not answer at $host:$port and redis-server is not installed.
  On Debian/Ubuntu (as root): apt-get install redis-server   — then run again.
  Otherwise start Redis and set REDIS_URL=redis://HOST:PORT/15"
        fi
    fi
    _services_tmp
    local pidfile="$_SERVICES_TMP/redis-$port.pid"
    say "Starting Redis on 127.0.0.1:$port (stopped again at exit)"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" \
        --appendonly no --dir "$_SERVICES_TMP" --logfile "$_SERVICES_TMP/redis-$port.log" \
        --pidfile "$pidfile" >/dev/null ||
        die "redis-server could not start on port $port."
    local i
    for ((i = 0; i < 50; i++)); do
        if [[ -s "$pidfile" ]] && redis_ping 127.0.0.1 "$port"; then
            _STARTED_REDIS_PID="$(<"$pidfile")"
            say "Redis: ready at 127.0.0.1:$port (PID $_STARTED_REDIS_PID)"
            return 0
        fi
        sleep 0.1
    done
    cat "$_SERVICES_TMP/redis-$port.log" >&2 2>/dev/null || true
    die "redis-server was started on port $port but does not answer PING."
}

# ------------------------------------------------------------------ Chromium

# ensure_chromium — exports TRACKER_CHROMIUM (the browser's path) for
# tests/browser; when there is none, exports TRACKER_CHROMIUM="" and
# TRACKER_CHROMIUM_SKIP_REASON, which the browser tests show when they skip.
# TRACKER_BROWSER=0 skips the browser tests on purpose.
ensure_chromium() {
    local path="${TRACKER_CHROMIUM:-}" reason=""
    if [[ "${TRACKER_BROWSER:-1}" == "0" ]]; then
        reason="browser tests turned off (TRACKER_BROWSER=0)"
        path=""
    elif [[ -n "$path" && ! -x "$path" ]]; then
        die "TRACKER_CHROMIUM=$path is not an executable."
    elif [[ -z "$path" ]]; then
        if [[ -x /usr/bin/chromium ]]; then
            path=/usr/bin/chromium
        elif command -v chromium >/dev/null 2>&1; then
            path="$(command -v chromium)"
        elif can_apt; then
            say "Chromium (for tests/browser) is missing: installing Debian's chromium"
            if apt_install chromium && [[ -x /usr/bin/chromium ]]; then
                path=/usr/bin/chromium
            else
                reason="apt-get install chromium failed"
            fi
        else
            reason="Chromium not found (/usr/bin/chromium); install it with
  'apt-get install --no-install-recommends chromium' (as root on Debian/Ubuntu)
  or set TRACKER_CHROMIUM=/path/to/chromium"
        fi
    fi
    if [[ -n "$path" ]]; then
        export TRACKER_CHROMIUM="$path"
        unset TRACKER_CHROMIUM_SKIP_REASON
        say "Chromium: $path"
    else
        export TRACKER_CHROMIUM=""
        export TRACKER_CHROMIUM_SKIP_REASON="$reason"
        warn "Browser tests will be skipped: $reason"
    fi
}
