#!/bin/bash
# Commit latency and commits/second of single-row inserts, SQLite vs PostgreSQL catalogs, on a
# throw-away local PostgreSQL (127.0.0.1:54340, fsync on like SQLite's default) started here.
# Usage: bench/commit_latency.sh [BUILD_DIR=build] [ROUNDS=4] [COMMITS=200]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=$(realpath "${1:-$ROOT/build}")
ROUNDS=${2:-4}
COMMITS=${3:-200}
PORT=${PG_BENCH_PORT:-54340}
BIN=$BUILD/bench/commit_latency
[ -x "$BIN" ] || { echo "no $BIN: cmake --build $BUILD --target commit_latency" >&2; exit 2; }
WORK=$(mktemp -d /tmp/commit-bench.XXXXXX); chmod 755 "$WORK"  # the cluster runs as postgres
trap '"$ROOT/scripts/pg/pg-down.sh" "$WORK/pg" >/dev/null 2>&1; rm -rf "$WORK"' EXIT
"$ROOT/scripts/pg/pg-up.sh" "$WORK/pg" "$PORT" durable >/dev/null
"$BIN" "host=127.0.0.1 port=$PORT dbname=dlctl_test user=postgres" "$ROUNDS" "$COMMITS"
