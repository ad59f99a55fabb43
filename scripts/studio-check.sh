#!/usr/bin/env bash
# The studio in a real browser (`make studio-check`; `make test` runs it after the API check):
# Tests/Studio/studio_test.py starts the built `aishorts serve` twice on free loopback ports (one
# without a token that renders offline shorts, one with a token and no workers) with temporary data
# and cache folders, and drives headless Chromium through every screen with Selenium. Screenshots at
# desktop and phone width, the browser's console log and, on failure, the page and a screenshot go
# to $STUDIO_CHECK_OUT (default out/studio-check). Everything stays on 127.0.0.1.
#
#   AISHORTS_BIN       the binary (default: `$SWIFT build --show-bin-path`/aishorts; build it first)
#   STUDIO_CHECK_OUT   where screenshots and logs go (emptied first)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
SWIFT="${SWIFT:-swift}"
VENV=$ROOT/.deps/venv
OUT="${STUDIO_CHECK_OUT:-$ROOT/out/studio-check}"

say() { printf 'studio-check: %s\n' "$*"; }
fail() { printf 'studio-check: FAILED: %s\n' "$*" >&2; exit 1; }

pinned=$(sed -n 's/^SELENIUM_VERSION=//p' scripts/bootstrap-studio.sh)
installed=$("$VENV/bin/python" -c "import importlib.metadata as m; print(m.version('selenium'))" 2>/dev/null || true)
[[ $installed == "$pinned" ]] || fail "selenium ${installed:-(none)} is installed, $pinned is pinned; run make bootstrap"
command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 \
    || fail "chromium and chromium-driver are not installed; run make bootstrap (scripts/bootstrap-studio.sh)"

BIN="${AISHORTS_BIN:-$("$SWIFT" build --show-bin-path)/aishorts}"
[[ -x $BIN ]] || fail "no aishorts binary at $BIN; build it first (make build, or $SWIFT build --product aishorts)"

rm -rf -- "$OUT"
mkdir -p "$OUT"
say "chromium $(chromium --version 2>/dev/null | awk '{print $2}'), selenium $installed; output in $OUT"
# Selenium's driver manager would look for a driver online when none is given; the test names
# /usr/bin/chromedriver, and no proxy may carry a request off this machine. No bytecode is left in Tests/.
env -u http_proxy -u HTTP_PROXY -u https_proxy -u HTTPS_PROXY -u all_proxy -u ALL_PROXY NO_PROXY='*' no_proxy='*' \
    SE_OFFLINE=true PYTHONDONTWRITEBYTECODE=1 "$VENV/bin/python" Tests/Studio/studio_test.py "$BIN" "$OUT" \
    || fail "the studio failed in the browser; see $OUT (failure.png, failure.html, console.log)"
rm -rf -- "$OUT/work"
say "passed"
