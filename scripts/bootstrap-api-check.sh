#!/usr/bin/env bash
# The API check's tools, called by scripts/bootstrap.sh (run that instead). Skips what is there.
#   .deps/venv/   gains schemathesis (PyPI, pinned), which scripts/api-check.sh runs against a live
#                 `aishorts serve` with Sources/AiShortsServer/Resources/openapi.yaml, and PyPI's
#                 `mcp` (the reference MCP client), which the server tests use to call /mcp over
#                 Streamable HTTP (the Swift SDK's HTTP client cannot read SSE answers on Linux)
# Runs after scripts/bootstrap-models.sh, which creates .deps/venv (and may recreate it, which is why
# the check below looks at the installed version each time rather than at a marker file).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
VENV=$ROOT/.deps/venv
# scripts/api-check.sh reads this line to check the installed version.
SCHEMATHESIS_VERSION=4.32.5
MCP_VERSION=1.23.1

# shellcheck source=scripts/bootstrap-common.sh
source "$ROOT/scripts/bootstrap-common.sh"

# The package must be the pinned version and its command must be there: a pip run that was
# interrupted half-way fails this check, and the next run installs over it.
schemathesis_ok() {
    [[ -x $VENV/bin/schemathesis ]] && "$VENV/bin/python" -c "
import importlib.metadata as m, sys
sys.exit(m.version('schemathesis') != '$SCHEMATHESIS_VERSION' or m.version('mcp') != '$MCP_VERSION')" 2>/dev/null
}

if schemathesis_ok; then
    say "schemathesis $SCHEMATHESIS_VERSION and mcp $MCP_VERSION present in .deps/venv"
    exit 0
fi
[[ -x $VENV/bin/python ]] || die ".deps/venv is missing; run scripts/bootstrap.sh (it creates it first)"

say "installing schemathesis==$SCHEMATHESIS_VERSION and mcp==$MCP_VERSION into .deps/venv (pip)"
run_child "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    "schemathesis==$SCHEMATHESIS_VERSION" "mcp==$MCP_VERSION"
schemathesis_ok || die "schemathesis or mcp was installed but is not version $SCHEMATHESIS_VERSION / $MCP_VERSION"
say "schemathesis $SCHEMATHESIS_VERSION and mcp $MCP_VERSION installed"
