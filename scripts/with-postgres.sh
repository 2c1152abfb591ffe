#!/usr/bin/env bash
# Run a command with WAFLOW_TEST_POSTGRES_URL pointing at a throwaway PostgreSQL server.
#
# If the variable is already set, the command runs as is. Otherwise, when PostgreSQL's server
# binaries are installed (Debian: apt-get install postgresql), a private cluster is created in
# a temporary directory, listening on 127.0.0.1 only, and removed afterwards. Without them the
# command runs without the variable and the PostgreSQL tests are skipped (they fail under CI=true).
set -euo pipefail

if [ -n "${WAFLOW_TEST_POSTGRES_URL:-}" ]; then exec "$@"; fi

pg_bin=""
for dir in /usr/lib/postgresql/*/bin; do
  [ -x "$dir/pg_ctl" ] && pg_bin="$dir"
done
if [ -z "$pg_bin" ]; then
  echo "with-postgres: PostgreSQL server not installed; PostgreSQL tests will be skipped" >&2
  exec "$@"
fi

as_pg=()
if [ "$(id -u)" = "0" ]; then
  as_pg=(runuser -u postgres --)   # the server refuses to run as root
fi
data=$(mktemp -d /tmp/waflow-pg.XXXXXX)
chmod 755 "$data"
[ "$(id -u)" = "0" ] && chown postgres "$data"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

cleanup() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$data/db" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT

"${as_pg[@]}" "$pg_bin/initdb" -D "$data/db" -U waflow --auth=trust >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$data/db" -l "$data/log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$data -c fsync=off" start >/dev/null
"${as_pg[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U waflow waflow_test

export WAFLOW_TEST_POSTGRES_URL="postgresql+psycopg://waflow@127.0.0.1:$port/waflow_test"
echo "with-postgres: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
"$@"
