#!/usr/bin/env bash
# Runs the whole test suite with two CPU-burning processes beside it, as on a laptop that is busy with
# something else (`make test-stress`). The suite must pass like this: no test may depend on how fast the
# machine is. The burners are stopped however the suite ends.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SWIFT="${SWIFT:-swift}"

burners=()
stop_burners() { for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_burners EXIT

"$SWIFT" build --build-tests
for _ in 1 2; do
    # A shell loop burns one core without touching the disk or memory.
    bash -c 'while :; do :; done' &
    burners+=("$!")
done
echo "test-stress: suite running beside ${#burners[@]} CPU burners (pids ${burners[*]})"
"$SWIFT" test --skip-build
