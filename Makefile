# Berth: the two commands a newcomer runs on a fresh Debian 12 machine.
#   make run    install missing build packages, build the release binary, serve on 0.0.0.0:5000 (data in ./data)
#   make test   install test tools, run every Swift test, build release, run the end-to-end suite
SHELL := /bin/bash
export PATH := $(PATH):/opt/swift/usr/bin
# Where SwiftPM builds (override to keep a private build dir, e.g. SWIFT_SCRATCH=.build-me).
SWIFT_SCRATCH ?= .build
export SWIFT_SCRATCH

.PHONY: run test e2e deps build

run:
	@scripts/install-deps.sh build
	swift build -c release --product berth --scratch-path "$(SWIFT_SCRATCH)"
	exec "$(SWIFT_SCRATCH)/release/berth" serve

test:
	@scripts/test.sh

# Only the end-to-end suite, against the binary already built (or E2E_REGISTRY=distribution).
e2e:
	@scripts/test.sh --e2e-only

deps:
	@scripts/install-deps.sh test

build:
	swift build -c release --product berth --scratch-path "$(SWIFT_SCRATCH)"
