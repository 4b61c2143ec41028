#!/usr/bin/env bash
# Install Liandu Desk from this checkout into .venv, then run the app (`run`) or the whole test suite (`test`).
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-run}"
[ $# -gt 0 ] && shift
venv="${LIANDU_VENV:-.venv}"

# Shared libraries Qt needs (offscreen and on a desktop), a CJK font for the screen, poppler for PDF checks.
system_packages=(
  libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0
  libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
  libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 fonts-wqy-zenhei poppler-utils
)

install_system_packages() {
  command -v apt-get >/dev/null 2>&1 || return 0
  local missing=()
  for pkg in "${system_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_python_packages() {
  local extras="$1"
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is required" >&2; exit 1; }
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet -e ".${extras}"
}

case "$mode" in
  install)
    install_system_packages
    install_python_packages "[test]"
    ;;
  run)
    install_system_packages
    install_python_packages ""
    # First start on the embedded default database: fill it with the demo data set so there is something to see.
    if [ $# -eq 0 ] && [ -z "${LIANDU_DESK_DB:-}" ] && ! "$venv/bin/python" -c \
        'from liandu_desk.paths import default_db_path; import sys; sys.exit(not default_db_path().exists())'; then
      "$venv/bin/liandu-desk" demo
    fi
    exec "$venv/bin/liandu-desk" "$@"
    ;;
  test)
    install_system_packages
    install_python_packages "[test]"
    export QT_QPA_PLATFORM=offscreen
    exec "$venv/bin/python" -m pytest "$@"
    ;;
  test-pg)
    # The same suite against a throw-away PostgreSQL server on loopback (shared server mode).
    system_packages+=(postgresql)
    install_system_packages
    install_python_packages "[test,pg]"
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    pg_dir="$(mktemp -d)"
    pg_port="${LIANDU_PG_PORT:-55432}"
    pg_user="postgres"
    run_as=()
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_dir"; run_as=(su postgres -c); fi
    pg() { if [ ${#run_as[@]} -gt 0 ]; then "${run_as[@]}" "$*"; else eval "$*"; fi; }
    pg "$pg_bin/initdb -D $pg_dir/data -A trust -U $pg_user -E UTF8 --locale=C.UTF-8" >/dev/null
    # The superuser comes in without a password; every other login (the clerks') must prove its SCRAM password.
    printf '%s\n' "local all all trust" "host all $pg_user 127.0.0.1/32 trust" \
      "host all all 127.0.0.1/32 scram-sha-256" >"$pg_dir/data/pg_hba.conf"
    pg "$pg_bin/pg_ctl -D $pg_dir/data -l $pg_dir/server.log -w -o '-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off -c max_connections=200' start" >/dev/null
    trap 'pg "$pg_bin/pg_ctl -D $pg_dir/data -m fast stop" >/dev/null 2>&1 || true; rm -rf "$pg_dir"' EXIT
    export QT_QPA_PLATFORM=offscreen
    export LIANDU_DESK_TEST_PG="postgresql+psycopg://$pg_user@127.0.0.1:$pg_port/postgres"
    "$venv/bin/python" -m pytest "$@"
    ;;
  mutate)
    # Mutation testing of the rule modules (slow; not part of the test command): one module, or all with no argument.
    install_python_packages "[test,mutation]"
    exec nice -n 10 "$venv/bin/python" scripts/mutation.py "$@"
    ;;
  *)
    echo "usage: scripts/dev.sh run [liandu-desk arguments] | test [pytest arguments] | test-pg [pytest arguments] | mutate [module]" >&2
    exit 2
    ;;
esac
