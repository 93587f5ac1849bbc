#!/usr/bin/env bash
# FastRP (see bench/README.md): (a) a generated 1 M-node, 10 M-edge graph against a memory-bandwidth
# floor measured in the same run; (b) deezer_europe, dlctl against a straightforward scipy FastRP
# (bench/fastrp_scipy.py, Debian's python3), checking that both compute the same embeddings.
# Usage: bench/fastrp.sh [BUILD_DIR=build]   (DEEZER_EDGES overrides the CSV's path)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(realpath "${1:-$HERE/../build}")
DEEZER_EDGES=${DEEZER_EDGES:-$HERE/../../shared/data/graphs/deezer_europe/edges.csv}

# Bench-only setup: the yardstick needs numpy and scipy from Debian (never installed for CI).
if ! /usr/bin/python3 -c 'import numpy, scipy' 2>/dev/null; then
  apt-get install -y python3-numpy python3-scipy >/dev/null
fi

echo "-- generated graph"
"$BUILD/bench/fastrp" --nodes 1000000 --edges 10000000 -d 256 -e 3 --rounds 3

echo "-- deezer_europe"
embeddings=$(mktemp)
trap 'rm -f "$embeddings"' EXIT
dlctl_line=$("$BUILD/bench/fastrp" --edges-csv "$DEEZER_EDGES" -d 256 -e 3 --rounds 6 --out "$embeddings")
echo "$dlctl_line"
scipy_out=$(/usr/bin/python3 "$HERE/fastrp_scipy.py" "$DEEZER_EDGES" -d 256 -e 3 --rounds 3 --compare "$embeddings")
echo "$scipy_out"
dlctl_warm=$(sed -E 's/.*iterations: ([0-9.]+) s.*/\1/' <<<"$dlctl_line")
dlctl_first=$(sed -E 's/.*first round ([0-9.]+) s.*/\1/' <<<"$dlctl_line")
scipy_seconds=$(head -1 <<<"$scipy_out" | sed -E 's/.*iterations: ([0-9.]+) s.*/\1/')
awk -v w="$dlctl_warm" -v f="$dlctl_first" -v s="$scipy_seconds" \
  'BEGIN { printf "dlctl is %.1fx as fast as scipy (warm memory), %.1fx (its first round, fresh memory)\n", s / w, s / f }'
