#!/usr/bin/env bash
# The studio's browser tests, called by scripts/bootstrap.sh (run that instead). Skips what is there.
#   system:       chromium and chromium-driver (Debian apt), driven headless; nothing is downloaded
#                 at test time (Selenium is given the driver's path, so its manager stays idle)
#   .deps/venv/   gains selenium (PyPI, pinned), which Tests/Studio/studio_test.py drives
# Runs after scripts/bootstrap-models.sh, which creates .deps/venv.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
VENV=$ROOT/.deps/venv
# scripts/studio-check.sh reads this line to check the installed version. (4.38 is the newest whose
# dependencies, certifi among them, the package index here carries.)
SELENIUM_VERSION=4.38.0

# shellcheck source=scripts/bootstrap-common.sh
source "$ROOT/scripts/bootstrap-common.sh"

if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    say "chromium and chromedriver present"
else
    if [[ $(id -u) -ne 0 ]]; then
        say "missing chromium; run: sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium chromium-driver"
        exit 1
    fi
    say "installing chromium chromium-driver (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
fi

selenium_ok() {
    "$VENV/bin/python" -c "
import importlib.metadata as m, sys
sys.exit(m.version('selenium') != '$SELENIUM_VERSION')" 2>/dev/null
}

if selenium_ok; then
    say "selenium $SELENIUM_VERSION present in .deps/venv"
    exit 0
fi
[[ -x $VENV/bin/python ]] || die ".deps/venv is missing; run scripts/bootstrap.sh (it creates it first)"
say "installing selenium==$SELENIUM_VERSION into .deps/venv (pip)"
run_child "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input "selenium==$SELENIUM_VERSION"
selenium_ok || die "selenium was installed but is not version $SELENIUM_VERSION"
say "selenium $SELENIUM_VERSION installed"
