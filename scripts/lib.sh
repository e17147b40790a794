# shellcheck shell=bash
# Helpers shared by the scripts in this folder. Source it; do not run it.
#
# Defines ROOT (the repository root) and small functions: say/warn/die,
# is_root/is_debian_like, apt_install, load_dotenv, tcp_open, redis_ping.

if [[ -n "${_TRACKER_LIB_LOADED:-}" ]]; then
    return 0
fi
_TRACKER_LIB_LOADED=1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT

if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then
    _c_bold=$'\033[1m' _c_red=$'\033[31m' _c_yellow=$'\033[33m' _c_off=$'\033[0m'
else
    _c_bold="" _c_red="" _c_yellow="" _c_off=""
fi

say() { printf '%s==>%s %s\n' "$_c_bold" "$_c_off" "$*"; }
warn() { printf '%sWARNING:%s %s\n' "$_c_yellow" "$_c_off" "$*" >&2; }
die() {
    printf '%sERROR:%s %s\n' "$_c_red" "$_c_off" "$*" >&2
    exit 1
}

is_root() { [[ "$(id -u)" == "0" ]]; }
is_debian_like() { [[ -f /etc/debian_version ]] && command -v apt-get >/dev/null 2>&1; }
can_apt() { is_root && is_debian_like; }

_TRACKER_APT_UPDATED=""

# apt_install PKG... — only call after can_apt. Runs apt-get update once per
# script run, waits for a dpkg lock held by someone else, never prompts.
apt_install() {
    local -a opts=(-y -q -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0)
    if [[ -z "$_TRACKER_APT_UPDATED" ]]; then
        say "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 update \
            >/dev/null || warn "apt-get update failed; trying the install anyway"
        _TRACKER_APT_UPDATED=1
    fi
    say "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get install "${opts[@]}" \
        --no-install-recommends "$@"
}

# load_dotenv [FILE] — KEY=VALUE lines (optionally "export KEY=VALUE", values
# optionally quoted). A variable already set in the environment wins, so
# `DATABASE_URL=... make run` overrides .env. The file is parsed, not sourced:
# nothing in it is executed.
load_dotenv() {
    local file="${1:-$ROOT/.env}" line key value
    [[ -f "$file" ]] || return 0
    say "Reading settings from ${file#"$ROOT"/}"
    while IFS= read -r line || [[ -n "$line" ]]; do
        line="${line#"${line%%[![:space:]]*}"}"
        [[ -z "$line" || "$line" == \#* ]] && continue
        line="${line#export }"
        [[ "$line" == *=* ]] || continue
        key="${line%%=*}"
        key="${key%"${key##*[![:space:]]}"}"
        value="${line#*=}"
        value="${value#"${value%%[![:space:]]*}"}"
        value="${value%"${value##*[![:space:]]}"}"
        if [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]]; then
            value="${BASH_REMATCH[1]}"
        fi
        [[ "$key" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
        if [[ -z "${!key+set}" ]]; then
            export "$key=$value"
        fi
    done <"$file"
}

# tcp_open HOST PORT — true when something accepts a TCP connection there.
tcp_open() {
    # shellcheck disable=SC2016  # $1/$2 expand in the inner bash
    timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# redis_ping HOST PORT — true when a Redis server answers PING (an answer
# asking for a password also counts: the server is up).
redis_ping() {
    local reply
    # shellcheck disable=SC2016  # $1/$2 expand in the inner bash
    reply="$(timeout 3 bash -c '
        exec 3<>"/dev/tcp/$1/$2" || exit 1
        printf "PING\r\n" >&3
        IFS= read -r -t 2 line <&3 || exit 1
        printf "%s" "$line"
    ' _ "$1" "$2" 2>/dev/null)" || return 1
    [[ "$reply" == "+PONG"* || "$reply" == "-NOAUTH"* ]]
}

# elapsed SECONDS — "1 min 05 s" or "42 s".
elapsed() {
    local s="$1"
    if ((s >= 60)); then
        printf '%d min %02d s' $((s / 60)) $((s % 60))
    else
        printf '%d s' "$s"
    fi
}
