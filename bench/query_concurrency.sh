#!/bin/bash
# Lake commits per second from whole `dlctl query "INSERT ..."` processes on one LOCAL_DIR (SQLite
# catalog, local bucket): COMMITS processes one after the other, then the same number spread over
# PROCESSES processes running side by side. Checks that every row arrived.
# Usage: bench/query_concurrency.sh [BUILD_DIR=build] [COMMITS=160] [PROCESSES=8]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=$(realpath "${1:-$ROOT/build}")
COMMITS=${2:-160}
PROCESSES=${3:-8}
DLCTL=$BUILD/src/dlctl
[ -x "$DLCTL" ] || DLCTL=$BUILD/dlctl
[ -x "$DLCTL" ] || { echo "no dlctl in $BUILD: cmake --build $BUILD --target dlctl" >&2; exit 2; }
WORK=$(mktemp -d /tmp/query-concurrency.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

# INSERTs numbered FROM..TO-1, one process each, one after the other.
inserts() {
  for ((i = $1; i < $2; i++)); do
    "$DLCTL" query "INSERT INTO stage.main.conc VALUES ($i)" >/dev/null
  done
}

now() { date +%s.%N; }

"$DLCTL" query "CREATE TABLE stage.main.conc (seq INTEGER)" >/dev/null
inserts 0 1  # warm: the first commit after creating the table

start=$(now)
inserts 1 $((COMMITS + 1))
one=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')

per=$((COMMITS / PROCESSES))
base=$((COMMITS + 1))
start=$(now)
pids=()
for ((p = 0; p < PROCESSES; p++)); do
  inserts $((base + p * per)) $((base + (p + 1) * per)) &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
many=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')

rows=$("$DLCTL" query -f csv "SELECT count(DISTINCT seq) FROM stage.main.conc" | tail -1)
expected=$((1 + COMMITS + PROCESSES * per))
[ "$rows" = "$expected" ] || { echo "expected $expected rows, found $rows" >&2; exit 1; }

printf '%-28s %8s %10s\n' "" "seconds" "commits/s"
printf '%-28s %8.1f %10.1f\n' "1 process at a time" "$one" "$(awk -v n="$COMMITS" -v s="$one" 'BEGIN { print n / s }')"
printf '%-28s %8.1f %10.1f\n' "$PROCESSES processes side by side" "$many" \
  "$(awk -v n=$((PROCESSES * per)) -v s="$many" 'BEGIN { print n / s }')"
echo "all $rows rows present"
