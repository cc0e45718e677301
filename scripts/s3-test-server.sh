#!/usr/bin/env bash
# A throwaway S3-protocol server (moto in server mode, from .venv-test) on 127.0.0.1 for the S3 tests.
#   scripts/s3-test-server.sh start   start it; prints the endpoint URL (export it as BERTH_TEST_S3_ENDPOINT)
#   scripts/s3-test-server.sh stop    stop the server started by `start`
# Environment: S3_TEST_PORT (default: a free port), S3_TEST_DIR (pid and log; default tests/e2e/.work/s3).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${S3_TEST_DIR:-$ROOT/tests/e2e/.work/s3}"
PY="$ROOT/.venv-test/bin/python"
mkdir -p "$DIR"

case "${1:-}" in
  start)
    [[ -x "$ROOT/.venv-test/bin/moto_server" ]] || { echo "s3-test-server: moto_server missing; run scripts/install-deps.sh test" >&2; exit 1; }
    if [[ -f "$DIR/pid" ]] && kill -0 "$(cat "$DIR/pid")" 2>/dev/null; then
      cat "$DIR/endpoint"; exit 0
    fi
    PORT="${S3_TEST_PORT:-$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
    nohup "$ROOT/.venv-test/bin/moto_server" -H 127.0.0.1 -p "$PORT" >"$DIR/server.log" 2>&1 &
    echo $! >"$DIR/pid"
    for _ in $(seq 1 100); do
      if "$PY" -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$PORT/moto-api/', timeout=1)" 2>/dev/null; then
        echo "http://127.0.0.1:$PORT" | tee "$DIR/endpoint"
        exit 0
      fi
      kill -0 "$(cat "$DIR/pid")" 2>/dev/null || break
      sleep 0.2
    done
    echo "s3-test-server: moto did not come up (see $DIR/server.log)" >&2
    kill "$(cat "$DIR/pid")" 2>/dev/null || true
    rm -f "$DIR/pid"
    exit 1
    ;;
  stop)
    if [[ -f "$DIR/pid" ]]; then
      kill "$(cat "$DIR/pid")" 2>/dev/null || true
      rm -f "$DIR/pid" "$DIR/endpoint"
    fi
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
