#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the metadata-store tests, on 127.0.0.1 only.
#   scripts/postgres-test-cluster.sh start   initdb + pg_ctl start in a temp dir on a free port; prints
#                                            shell lines exporting BERTH_TEST_POSTGRES_URL and
#                                            BERTH_TEST_POSTGRES_DIR (use with eval)
#   scripts/postgres-test-cluster.sh stop DIR   stops the cluster started in DIR and deletes DIR
# As root, the server runs as the `postgres` user (initdb refuses root). fsync is off: data is disposable.
set -euo pipefail

BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
[[ -x "$BIN/initdb" ]] || { echo "postgres-test-cluster: no initdb under /usr/lib/postgresql/*/bin" >&2; exit 1; }

as_owner() { # run a command as the cluster's owner
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local dir port password
  dir="$(mktemp -d /tmp/berth-pg-XXXXXX)"
  chmod 700 "$dir"
  [[ "$(id -u)" == 0 ]] && chown postgres: "$dir"
  password="berth-$RANDOM$RANDOM"
  printf '%s\n' "$password" > "$dir/pwfile"
  [[ "$(id -u)" == 0 ]] && chown postgres: "$dir/pwfile"
  as_owner "$BIN/initdb" -D "$dir/data" -U berth --pwfile="$dir/pwfile" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C -N >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/pwfile"
  local tries=0
  until
    port="$(free_port)"
    as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      >/dev/null
  do
    tries=$((tries + 1))
    ((tries < 5)) || { cat "$dir/server.log" >&2; exit 1; }
  done
  PGPASSWORD="$password" "$BIN/psql" -q -h 127.0.0.1 -p "$port" -U berth -d postgres \
    -c "CREATE DATABASE berth_test" >/dev/null
  echo "$port" > "$dir/port"
  echo "export BERTH_TEST_POSTGRES_URL='postgres://berth:$password@127.0.0.1:$port/berth_test?sslmode=disable'"
  echo "export BERTH_TEST_POSTGRES_DIR='$dir'"
}

stop() {
  local dir="${1:-${BERTH_TEST_POSTGRES_DIR:-}}"
  [[ -n "$dir" && -d "$dir/data" && "$dir" == /tmp/berth-pg-* ]] \
    || { echo "postgres-test-cluster: not a cluster dir: '$dir'" >&2; exit 1; }
  as_owner "$BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
