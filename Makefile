# AiShorts: common tasks. `make` alone lists them.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

SWIFT ?= swift
EXAMPLE ?= examples/space.yaml

.PHONY: help bootstrap build test demo bench clean

help:
	@echo "make targets:"
	@echo "  bootstrap  install/fetch what the project needs (scripts/bootstrap.sh; idempotent)"
	@echo "  build      swift build (debug)"
	@echo "  test       build everything, then run the whole test suite"
	@echo "  demo       render $(EXAMPLE) offline with the debug aishorts binary"
	@echo "  bench      build and run aishorts-bench (release)"
	@echo "  clean      remove out/ and .build/"

bootstrap:
	@bash scripts/bootstrap.sh

build: bootstrap
	$(SWIFT) build

# Build everything first: the command-line tests run the aishorts binary itself.
test: bootstrap
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

demo: bootstrap
	$(SWIFT) build --product aishorts
	"$$($(SWIFT) build --show-bin-path)/aishorts" render $(EXAMPLE)

bench: bootstrap
	$(SWIFT) build -c release --product aishorts-bench
	"$$($(SWIFT) build -c release --show-bin-path)/aishorts-bench"

clean:
	rm -rf out .build
