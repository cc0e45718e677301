#!/usr/bin/env bash
# Installs what Berth needs on Debian 12, only when something is missing.
#   scripts/install-deps.sh build   Swift build dependencies (used by `make run`)
#   scripts/install-deps.sh test    build + end-to-end tools + the Python venv (used by `make test`)
# This file is the one place that lists the packages.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODE="${1:-test}"

# C libraries and tools the Swift package links against / needs to build.
BUILD_PKGS=(libsqlite3-dev libssl-dev zlib1g-dev libzstd-dev libcrypt-dev libpq-dev libldap-dev pkg-config
            build-essential ca-certificates)
# Real clients and tools the end-to-end suite drives.
TEST_PKGS=(skopeo podman docker.io uidmap debootstrap umoci wrk docker-registry jq curl
           python3 python3-venv iproute2 procps postgresql postgresql-client zstd sqlite3 gzip tar
           openssl chromium chromium-driver python3-apt slapd ldap-utils)
# Python packages for the e2e suite, installed into $ROOT/.venv-test.
PY_REQUIREMENTS="$ROOT/tests/e2e/requirements.txt"
VENV="$ROOT/.venv-test"

case "$MODE" in
  build) WANT=("${BUILD_PKGS[@]}") ;;
  test)  WANT=("${BUILD_PKGS[@]}" "${TEST_PKGS[@]}") ;;
  *) echo "usage: $0 build|test" >&2; exit 2 ;;
esac

missing=()
for pkg in "${WANT[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]})); then
  echo "install-deps: installing missing Debian packages: ${missing[*]}"
  SUDO=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install ${missing[*]}" >&2; exit 1; }
    SUDO=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all ${#WANT[@]} Debian packages present"
fi

# The Swift toolchain lives outside apt; make sure it is reachable.
if ! command -v swift >/dev/null; then
  if [[ -x /opt/swift/usr/bin/swift ]]; then
    echo "install-deps: swift is at /opt/swift/usr/bin (the Makefile adds it to PATH)"
  else
    echo "install-deps: no Swift toolchain found (expected swift on PATH or /opt/swift/usr/bin)" >&2
    exit 1
  fi
fi

[[ "$MODE" == test ]] || exit 0

# Python venv for pytest and the oras client. Recreated only when absent or broken.
PY="${PYTHON:-python3}"
if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c 'import sys' 2>/dev/null; then
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
fi
stamp="$VENV/.requirements.sha256"
want_hash="$(sha256sum "$PY_REQUIREMENTS" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want_hash" ]] \
   || ! "$VENV/bin/python" -c 'import pytest, oras, requests' 2>/dev/null; then
  echo "install-deps: installing Python packages into $VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$PY_REQUIREMENTS"
  echo "$want_hash" > "$stamp"
else
  echo "install-deps: Python packages present in $VENV"
fi
