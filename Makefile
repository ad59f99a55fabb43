# AiShorts: common tasks. `make` alone lists them.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

SWIFT ?= swift
EXAMPLE ?= examples/space.yaml

.PHONY: help bootstrap build serve test api-check studio-check test-stress coverage demo bench clean

help:
	@echo "make targets:"
	@echo "  bootstrap  install/fetch what the project needs (scripts/bootstrap.sh; idempotent)"
	@echo "  build      swift build (debug)"
	@echo "  serve      build and start the API server on http://127.0.0.1:8080 (aishorts serve; Ctrl-C stops)"
	@echo "  test       build everything, then run the whole test suite, the API check and the studio check"
	@echo "  api-check  schemathesis against a live aishorts serve and its OpenAPI document (scripts/api-check.sh)"
	@echo "  studio-check  the studio page in headless Chromium (scripts/studio-check.sh; screenshots in out/studio-check)"
	@echo "  test-stress  the suite beside two CPU-burning processes (must pass; not part of test)"
	@echo "  coverage   the suite with code coverage: a table per source folder, HTML in .build/coverage/html"
	@echo "  demo       render $(EXAMPLE) offline with the debug aishorts binary"
	@echo "  bench      build and run aishorts-bench (release)"
	@echo "  clean      remove out/ and .build/"

bootstrap:
	@bash scripts/bootstrap.sh

build: bootstrap
	$(SWIFT) build

serve: bootstrap
	$(SWIFT) build --product aishorts
	"$$($(SWIFT) build --show-bin-path)/aishorts" serve $(SERVE_ARGS)

# Build everything first: the command-line tests run the aishorts binary itself. Then the API
# check: the built server against Sources/AiShortsServer/Resources/openapi.yaml (schemathesis);
# then the studio page in a real browser (headless Chromium, Selenium).
test: bootstrap
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	SWIFT=$(SWIFT) bash scripts/api-check.sh
	SWIFT=$(SWIFT) bash scripts/studio-check.sh

api-check: bootstrap
	$(SWIFT) build --product aishorts
	SWIFT=$(SWIFT) bash scripts/api-check.sh

studio-check: bootstrap
	$(SWIFT) build --product aishorts
	SWIFT=$(SWIFT) bash scripts/studio-check.sh

# The suite on a busy machine: two processes burn both cores while it runs.
test-stress: bootstrap
	SWIFT=$(SWIFT) bash scripts/test-stress.sh

coverage: bootstrap
	SWIFT=$(SWIFT) bash scripts/coverage.sh

demo: bootstrap
	$(SWIFT) build --product aishorts
	"$$($(SWIFT) build --show-bin-path)/aishorts" render $(EXAMPLE)

bench: bootstrap
	$(SWIFT) build -c release --product aishorts
	$(SWIFT) build -c release --product aishorts-bench
	"$$($(SWIFT) build -c release --show-bin-path)/aishorts-bench"

clean:
	rm -rf out .build
