#!/usr/bin/env bash
# `make coverage`: the whole suite built with coverage in its own build folder (.build/coverage, so the
# everyday debug build is not rebuilt), then llvm-cov's report summarised per source folder, and an HTML
# report in .build/coverage/html.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SWIFT="${SWIFT:-swift}"
SCRATCH=.build/coverage

"$SWIFT" build --build-tests --enable-code-coverage --scratch-path "$SCRATCH"
# A failing test still leaves its counters; the report is made either way and the status kept.
status=0
"$SWIFT" test --skip-build --enable-code-coverage --scratch-path "$SCRATCH" || status=$?

bin="$("$SWIFT" build --scratch-path "$SCRATCH" --show-bin-path)"
profdata="$bin/codecov/default.profdata"
tests="$bin/aishortsPackageTests.xctest"
llvm_cov="$(dirname "$(command -v "$SWIFT")")/llvm-cov"
[[ -x "$llvm_cov" ]] || llvm_cov=llvm-cov
ignore='(\.build|Tests|Benchmarks)/'
"$llvm_cov" report "$tests" -instr-profile="$profdata" -ignore-filename-regex="$ignore" > "$SCRATCH/report.txt"
"$llvm_cov" show "$tests" -instr-profile="$profdata" -ignore-filename-regex="$ignore" \
    -format=html -output-dir="$SCRATCH/html" > /dev/null
python3 scripts/coverage-summary.py "$SCRATCH/report.txt"
echo "coverage: per-file report in $SCRATCH/report.txt, HTML in $SCRATCH/html/index.html"
exit "$status"
