#!/usr/bin/env bash
# The body of `make test`: dependencies, Swift build + unit tests, release binary, end-to-end suite.
# Exits non-zero if any step fails and repeats the test runners' summary lines at the end.
#   --e2e-only   skip the Swift steps (the release binary must already exist)
# Environment: SWIFT_SCRATCH (default .build), E2E_REGISTRY (berth|distribution), PYTEST_ARGS.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$PATH:/opt/swift/usr/bin"
SCRATCH="${SWIFT_SCRATCH:-.build}"
E2E_ONLY=0
[[ "${1:-}" == --e2e-only ]] && E2E_ONLY=1
LOGS="$ROOT/tests/e2e/.work/logs"
mkdir -p "$LOGS"

failures=()
step() { # step NAME COMMAND...: run, tee to a log, remember failure
  local name="$1"; shift
  echo "==> $name: $*"
  local start=$SECONDS
  "$@" 2>&1 | tee "$LOGS/$name.log"
  local rc=${PIPESTATUS[0]}
  echo "==> $name: exit $rc after $((SECONDS - start))s"
  ((rc == 0)) || failures+=("$name (exit $rc)")
  return "$rc"
}

scripts/install-deps.sh test || { echo "make test: dependency installation failed" >&2; exit 1; }

if ((E2E_ONLY == 0)); then
  # A throwaway PostgreSQL cluster on loopback, so every metadata-store test also runs on PostgreSQL.
  cleanup() {
    [[ -n "${BERTH_TEST_POSTGRES_DIR:-}" ]] && scripts/postgres-test-cluster.sh stop "$BERTH_TEST_POSTGRES_DIR"
    [[ -n "${BERTH_TEST_S3_ENDPOINT:-}" ]] && scripts/s3-test-server.sh stop
    return 0
  }
  trap cleanup EXIT
  if pg_env="$(scripts/postgres-test-cluster.sh start)"; then
    eval "$pg_env"   # exports BERTH_TEST_POSTGRES_URL and BERTH_TEST_POSTGRES_DIR
  else
    failures+=("postgres-test-cluster")
  fi
  # A real S3-protocol server (moto) on loopback for the storage-driver suite.
  if BERTH_TEST_S3_ENDPOINT="$(scripts/s3-test-server.sh start)"; then
    export BERTH_TEST_S3_ENDPOINT
  else
    unset BERTH_TEST_S3_ENDPOINT
    failures+=("s3-test-server")
  fi
  step swift-build swift build --scratch-path "$SCRATCH"
  # Serial: with two cores, CPU-heavy suites would otherwise starve the HTTP suites' socket deadlines.
  step swift-test swift test --no-parallel --scratch-path "$SCRATCH"
  step swift-release swift build -c release --product berth --scratch-path "$SCRATCH"
fi

export BERTH_BIN="${BERTH_BIN:-$ROOT/$SCRATCH/release/berth}"
export E2E_STRICT=1
if [[ "${E2E_REGISTRY:-berth}" == berth && ! -x "$BERTH_BIN" ]]; then
  echo "make test: no berth binary at $BERTH_BIN, the e2e suite cannot run" >&2
  failures+=("e2e (no binary)")
else
  # shellcheck disable=SC2086
  step e2e "$ROOT/.venv-test/bin/python" -m pytest "$ROOT/tests/e2e" -ra ${PYTEST_ARGS:-}
fi

echo
echo "================ make test summary ================"
if ((E2E_ONLY == 0)); then
  grep -E "Test run with .* (passed|failed)|Executed [0-9]+ tests?, with" "$LOGS/swift-test.log" | tail -n 3 \
    || echo "swift test: no summary line (see $LOGS/swift-test.log)"
fi
if ((${#failures[@]})); then
  echo "FAILED steps: ${failures[*]}"
fi
if [[ -f "$LOGS/e2e.log" ]]; then
  grep -E "^=+ .*(passed|failed|error|no tests ran).* in [0-9.]+s" "$LOGS/e2e.log" | tail -n 1 \
    || echo "pytest: no summary line (see $LOGS/e2e.log)"
fi
((${#failures[@]} == 0))
