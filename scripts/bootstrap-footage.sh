#!/usr/bin/env bash
# Footage tools, called by scripts/bootstrap.sh (run that instead). Skips what is there.
#   .deps/venv/bin/yt-dlp   yt-dlp (PyPI, pinned), which YouTubeSource runs as a process; the tests
#                           also use it, through its generic extractor, against a loopback server
# Runs after scripts/bootstrap-models.sh, which creates .deps/venv (and may recreate it, which is why
# the check below looks at the installed version each time rather than at a marker file).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
VENV=$ROOT/.deps/venv
YT_DLP_VERSION=2026.10.26

# shellcheck source=scripts/bootstrap-common.sh
source "$ROOT/scripts/bootstrap-common.sh"

# The executable must run and report the pinned version: a pip run that was interrupted half-way
# fails this check, and the next run reinstalls over it.
yt_dlp_ok() { [[ -x $VENV/bin/yt-dlp ]] && [[ $("$VENV/bin/yt-dlp" --version 2>/dev/null) == "$YT_DLP_VERSION" ]]; }

if yt_dlp_ok; then
    say "yt-dlp $YT_DLP_VERSION present in .deps/venv"
    exit 0
fi
[[ -x $VENV/bin/python ]] || die ".deps/venv is missing; run scripts/bootstrap.sh (it creates it first)"

say "installing yt-dlp==$YT_DLP_VERSION into .deps/venv (pip)"
# The wheel is downloaded to a temporary folder first and installed from there, so a lost connection
# never leaves pip half-way through an install; only the finished wheel is installed.
dl=$(mktemp -d "${TMPDIR:-/tmp}/aishorts-yt-dlp.XXXXXX"); TMPS+=("$dl")
run_child "$VENV/bin/python" -m pip download --quiet --disable-pip-version-check --no-input \
    --no-deps --only-binary=:all: -d "$dl" "yt-dlp==$YT_DLP_VERSION"
shopt -s nullglob
wheels=("$dl"/yt_dlp-"$YT_DLP_VERSION"-*.whl)
shopt -u nullglob
((${#wheels[@]} > 0)) || die "pip gave no yt-dlp wheel"
run_child "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    --no-deps --force-reinstall "${wheels[0]}"
yt_dlp_ok || die "yt-dlp was installed but does not report version $YT_DLP_VERSION"
say "yt-dlp $YT_DLP_VERSION installed"
