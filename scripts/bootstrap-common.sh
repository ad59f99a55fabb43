# Shared by scripts/bootstrap.sh and scripts/bootstrap-models.sh (sourced, not run): messages, and
# temporary files removed and a running child stopped however the script ends.

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
