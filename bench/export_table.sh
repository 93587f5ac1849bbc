#!/bin/bash
# Export of a 10 M-row mart table to Parquet on a throw-away radosgw (127.0.0.1:7491, mon 6791)
# vs DuckDB's COPY ... TO of the same table to the same server. Usage: bench/export_table.sh [BUILD_DIR=build] [ROUNDS=3]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=$(realpath "${1:-$ROOT/build}")
ROUNDS=${2:-3}
PORT=${S3_BENCH_PORT:-7491}
MON_PORT=${S3_BENCH_MON_PORT:-6791}
BIN=$BUILD/bench/export_table
[ -x "$BIN" ] || { echo "no $BIN: cmake --build $BUILD --target export_table" >&2; exit 2; }
WORK=$(mktemp -d /tmp/export-bench.XXXXXX)
trap '"$ROOT/scripts/s3/rgw-down.sh" "$WORK/rgw" >/dev/null 2>&1; rm -rf "$WORK"' EXIT
"$ROOT/scripts/s3/rgw-up.sh" "$WORK/rgw" "$PORT" "$MON_PORT" 8 >/dev/null
"$BIN" "127.0.0.1:$PORT" "$ROUNDS"
