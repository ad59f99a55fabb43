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

# Downloads Debian package $3 from suite $1, component $2 (the machine's own mirror) and unpacks it into
# a new temporary folder, whose path it prints; nothing is installed. A private apt configuration, so
# the machine's sources and package state are untouched (how the trixie header and the contrib HTS
# voice are fetched).
debian_unpack() {
    local suite=$1 component=$2 package=$3 mirror apt_dir deb
    mirror=$(debian_mirror)
    apt_dir=$(mktemp -d "${TMPDIR:-/tmp}/aishorts-apt.XXXXXX")
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/etc/preferences.d"
    printf 'deb %s %s %s\n' "$mirror" "$suite" "$component" >"$apt_dir/etc/sources.list"
    local apt_opts=(-o "Dir::Etc::sourcelist=$apt_dir/etc/sources.list" -o "Dir::Etc::sourceparts=-"
                    -o "Dir::Etc::preferencesparts=$apt_dir/etc/preferences.d"
                    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
                    -o "Dir::State::status=/var/lib/dpkg/status" -o "Debug::NoLocking=1"
                    -o "APT::Sandbox::User=root")
    run_child apt-get "${apt_opts[@]}" -qq update >/dev/null \
        || die "apt-get update for $suite $component failed (mirror $mirror); is the mirror reachable?"
    (cd "$apt_dir" && apt-get "${apt_opts[@]}" -qq download "$package" >/dev/null) \
        || die "apt-get download $package from $suite $component failed"
    deb=$(compgen -G "$apt_dir/${package}_*.deb" | head -n 1) || die "no .deb downloaded for $package"
    dpkg-deb -x "$deb" "$apt_dir/x"
    printf '%s\n' "$apt_dir"
}
