#!/usr/bin/env bash
# B-roll relevance (CLIP) reference, called by scripts/bootstrap.sh (run that instead). Skips what is there.
#   .deps/venv/               gains ftfy and regex, which OpenAI's CLIP tokenizer imports
#   .deps/reference/clip/     simple_tokenizer.py and bpe_simple_vocab_16e6.txt.gz from PyPI's
#                             clip-anytorch wheel: the reference the Swift tokenizer is tested against,
#                             and the vocabulary the tests' tiny CLIP model uses (aishorts never runs it)
# Every file appears whole or not at all: written under a temporary name, then renamed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
DEPS=$ROOT/.deps
WHEELS=$DEPS/wheels
VENV=$DEPS/venv

CLIP_VERSION=2.6.0
FTFY_VERSION=6.3.1
REGEX_VERSION=2026.11.15

# shellcheck source=scripts/bootstrap-common.sh
source "$ROOT/scripts/bootstrap-common.sh"

[[ -x $VENV/bin/python ]] || die ".deps/venv is missing; run scripts/bootstrap.sh (it creates the venv first)"

# ---------------------------------------------------------------------------------------------
# ftfy and regex in the venv (the reference tokenizer's imports)
# ---------------------------------------------------------------------------------------------
venv_has() {
    "$VENV/bin/python" -c "
import importlib.metadata as m, sys
want = {'ftfy': '$FTFY_VERSION', 'regex': '$REGEX_VERSION'}
sys.exit(any(m.version(k) != v for k, v in want.items()))" 2>/dev/null
}
if venv_has; then
    say "ftfy and regex present in .deps/venv"
else
    say "installing ftfy==$FTFY_VERSION and regex==$REGEX_VERSION into .deps/venv (pip)"
    run_child "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
        "ftfy==$FTFY_VERSION" "regex==$REGEX_VERSION"
    venv_has || die "ftfy/regex were installed but are not the expected versions"
fi

# ---------------------------------------------------------------------------------------------
# OpenAI's tokenizer and vocabulary from the clip-anytorch wheel (torch is not needed for these)
# ---------------------------------------------------------------------------------------------
REFERENCE=$DEPS/reference/clip
if [[ -s $REFERENCE/simple_tokenizer.py && -s $REFERENCE/bpe_simple_vocab_16e6.txt.gz && -s $REFERENCE/VERSION ]] \
    && [[ $(cat "$REFERENCE/VERSION") == "$CLIP_VERSION" ]]; then
    say "CLIP reference tokenizer present in .deps/reference/clip"
else
    found=$(compgen -G "$WHEELS/clip_anytorch-$CLIP_VERSION-*.whl" | head -n 1 || true)
    if [[ -z $found ]]; then
        say "downloading clip-anytorch==$CLIP_VERSION wheel into .deps/wheels (pip)"
        mkdir -p "$WHEELS"
        dl=$(mktemp -d "$WHEELS/.download.XXXXXX"); TMPS+=("$dl")
        run_child python3 -m pip download --quiet --disable-pip-version-check --no-input \
            --no-deps --only-binary=:all: -d "$dl" "clip-anytorch==$CLIP_VERSION"
        mv -f "$dl"/*.whl "$WHEELS/"
        found=$(compgen -G "$WHEELS/clip_anytorch-$CLIP_VERSION-*.whl" | head -n 1 || true)
        [[ -n $found ]] || die "pip gave no clip-anytorch wheel"
    fi
    say "extracting CLIP's tokenizer and vocabulary into .deps/reference/clip"
    mkdir -p "$DEPS/reference"
    tmp=$(mktemp -d "$DEPS/reference/.clip.XXXXXX"); TMPS+=("$tmp")
    python3 - "$found" "$tmp" <<'PY'
import sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for name in ("simple_tokenizer.py", "bpe_simple_vocab_16e6.txt.gz"):
        with open(f"{dest}/{name}", "wb") as f:
            f.write(z.read(f"clip/{name}"))
PY
    printf '%s\n' "$CLIP_VERSION" >"$tmp/VERSION"
    rm -rf "$REFERENCE"
    mv "$tmp" "$REFERENCE"
fi
