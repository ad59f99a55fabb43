#!/usr/bin/env bash
# Checks the API against its OpenAPI document (`make api-check`; `make test` runs it after the suite):
# starts the built `aishorts serve` on a free loopback port with a token, an empty data folder, no
# LLM and no workers (--jobs 0: jobs are queued, never rendered), and runs schemathesis (PyPI, pinned
# in scripts/bootstrap-api-check.sh) against the document the server itself serves at
# /api/v1/openapi.yaml. Every request goes to 127.0.0.1. Fails (non-zero) when the server answers
# 5xx, a status, content type, body or required header the document does not describe, or ignores
# the token; the server is stopped however the check ends.
#
#   AISHORTS_BIN       the binary (default: `$SWIFT build --show-bin-path`/aishorts; build it first)
#   API_CHECK_EXAMPLES test cases per operation and phase (default 12)
#   API_CHECK_SEED     the generator's seed (default 1; the same seed gives the same requests)
#   API_CHECK_PHASES   schemathesis phases (default examples,coverage,fuzzing,stateful)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
SWIFT="${SWIFT:-swift}"
VENV=$ROOT/.deps/venv
SCHEMATHESIS=$VENV/bin/schemathesis
DOCUMENT=Sources/AiShortsServer/Resources/openapi.yaml
EXAMPLES="${API_CHECK_EXAMPLES:-12}"
SEED="${API_CHECK_SEED:-1}"
PHASES="${API_CHECK_PHASES:-examples,coverage,fuzzing,stateful}"
# What a server with --jobs 0 can be held to: no 5xx; only documented statuses, content types,
# bodies and required headers; 401 without the token. (Checks that judge the server's validation
# against the schema's, such as negative_data_rejection, are left out: a spec's fields are YAML,
# which the server reads leniently, and whether a topic job is accepted depends on the LLM.)
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,ignored_auth

say() { printf 'api-check: %s\n' "$*"; }
fail() { printf 'api-check: FAILED: %s\n' "$*" >&2; exit 1; }

pinned=$(sed -n 's/^SCHEMATHESIS_VERSION=//p' scripts/bootstrap-api-check.sh)
[[ -x $SCHEMATHESIS ]] || fail "schemathesis is not in .deps/venv; run make bootstrap (scripts/bootstrap-api-check.sh)"
installed=$("$VENV/bin/python" -c "import importlib.metadata as m; print(m.version('schemathesis'))" 2>/dev/null || true)
[[ $installed == "$pinned" ]] || fail "schemathesis $installed is installed, $pinned is pinned; run make bootstrap"

BIN="${AISHORTS_BIN:-$("$SWIFT" build --show-bin-path)/aishorts}"
[[ -x $BIN ]] || fail "no aishorts binary at $BIN; build it first (make build, or $SWIFT build --product aishorts)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/aishorts-api-check.XXXXXX")
SERVER=
stop_server() {
    [[ -n $SERVER ]] || return 0
    kill -TERM "$SERVER" 2>/dev/null || true
    local i
    for i in $(seq 50); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    SERVER=
}
cleanup() {
    set +e
    stop_server
    rm -rf -- "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# No LLM (an empty config, no key variables), so topic jobs are refused without any traffic; a token,
# so that the document's bearer scheme and the open endpoints are both checked.
printf '{}\n' >"$WORK/llm.yaml"
TOKEN=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$TOKEN" >"$WORK/token"
mkdir -p "$WORK/run"

env -u AISHORTS_TOKEN -u AISHORTS_CONFIG -u OPENROUTER_API_KEY -u OPENAI_API_KEY -u AISHORTS_LLM_PROVIDER \
    -u AISHORTS_LLM_BASE_URL -u AISHORTS_LLM_MODEL -u AISHORTS_LLM_API_KEY -u PEXELS_API_KEY -u PIXABAY_API_KEY \
    "$BIN" serve --host 127.0.0.1 --port 0 --data "$WORK/data" --cache-dir "$WORK/cache" --jobs 0 --grace 0 \
    --config "$WORK/llm.yaml" --token-file "$WORK/token" >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER=$!

# The first line of its output names the port: `aishorts serve: http://127.0.0.1:PORT (...)`.
PORT=
for _ in $(seq 600); do
    if [[ -s $WORK/server.out ]]; then
        PORT=$(sed -n '1s|^aishorts serve: http://127\.0\.0\.1:\([0-9][0-9]*\) .*|\1|p' "$WORK/server.out")
        [[ -n $PORT ]] && break
    fi
    if ! kill -0 "$SERVER" 2>/dev/null; then
        cat "$WORK/server.err" >&2
        fail "aishorts serve exited before it printed its URL"
    fi
    sleep 0.1
done
if [[ -z $PORT ]]; then
    head -n 3 "$WORK/server.out" >&2
    fail "aishorts serve printed no 'aishorts serve: http://127.0.0.1:PORT' line within 60 s"
fi
BASE=http://127.0.0.1:$PORT
say "aishorts serve (--jobs 0) at $BASE; schemathesis $installed, $EXAMPLES examples per operation, seed $SEED"

# Loopback only: no proxy may carry these requests anywhere else.
LOOPBACK_ENV=(env -u http_proxy -u HTTP_PROXY -u https_proxy -u HTTPS_PROXY -u all_proxy -u ALL_PROXY
    NO_PROXY='*' no_proxy='*')

# The binary must serve this checkout's document: a stale build would test an old one.
if ! "${LOOPBACK_ENV[@]}" "$VENV/bin/python" - "$BASE/api/v1/openapi.yaml" "$DOCUMENT" <<'PY'
import sys, urllib.request
url, path = sys.argv[1], sys.argv[2]
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
with opener.open(url, timeout=30) as response:
    served = response.read()
sys.exit(0 if served == open(path, "rb").read() else 1)
PY
then
    fail "the server's /api/v1/openapi.yaml is not $DOCUMENT; rebuild aishorts ($SWIFT build --product aishorts)"
fi

# An event stream of a queued job stays open (no worker will end it): read it for 1 s, then judge
# what arrived. No state is kept between runs (no example database, no crash cache).
cat >"$WORK/schemathesis.toml" <<'TOML'
[cache]
enabled = false

[generation]
database = "none"

[[operations]]
include-operation-id = "getJobEvents"
request-timeout = 1
TOML

# One worker: schemathesis's workers are threads, and with two of them hypothesis's lambda
# descriptions call ast.parse concurrently, which Python 3.11 answers with "SystemError: AST
# constructor recursion depth mismatch" (CPython gh-106905) now and then: a tool crash, not a finding.
set +e
(
    cd "$WORK/run"
    "${LOOPBACK_ENV[@]}" "$SCHEMATHESIS" --config-file "$WORK/schemathesis.toml" run "$BASE/api/v1/openapi.yaml" \
        --url "$BASE" \
        --header "Authorization: Bearer $TOKEN" \
        --checks "$CHECKS" \
        --phases "$PHASES" \
        --max-examples "$EXAMPLES" \
        --seed "$SEED" \
        --workers 1 \
        --request-timeout 20 \
        --suppress-health-check all \
        --no-color
)
status=$?
set -e

# The server's log: for a crash, the error and the crashed thread's first frames; else its tail.
server_log() {
    local log=$WORK/server.err
    grep -q . "$log" || return 0
    say "the server's log:"
    if grep -qE "Fatal error|Program crashed" "$log"; then
        grep -m 3 -E "Fatal error|Program crashed" "$log" >&2
        sed -n '/ crashed:$/,+24p' "$log" >&2
    else
        tail -n 40 "$log" >&2
    fi
}
# A crashing server may still be writing its backtrace when schemathesis gives up on it.
crashed=0
if grep -qE "Fatal error|Program crashed" "$WORK/server.err" || ! kill -0 "$SERVER" 2>/dev/null; then
    crashed=1
    for _ in $(seq 300); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
fi
if ((crashed)); then
    code=0
    if kill -0 "$SERVER" 2>/dev/null; then stop_server; else wait "$SERVER" 2>/dev/null || code=$?; SERVER=; fi
    server_log
    fail "aishorts serve stopped during the check (exit $code: a crash, or an interrupt); the requests schemathesis sent last are above"
fi
if ((status != 0)); then
    server_log
    fail "schemathesis found the server and $DOCUMENT disagreeing (exit $status); see its report above"
fi
say "passed: the server answers as $DOCUMENT says"
