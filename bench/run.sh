#!/usr/bin/env bash
# `make bench`: every benchmark, one after the other, on an otherwise idle machine.
# Usage: bench/run.sh [BUILD_DIR=build]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(realpath "${1:-$HERE/../build}")
echo "== startup (commands that need no engine beside /bin/true: --version, --help, ingest ls)"
"$BUILD/bench/startup" "$BUILD/src/dlctl"
echo "== engine_scan (s3:// through the ObjectStore vs DuckDB's local reads)"
"$BUILD/bench/engine_scan"
echo "== s3_transfer (1 GiB up and down: dlctl's S3Store vs aws s3 cp, same radosgw)"
"$HERE/s3_transfer.sh" "$BUILD"
echo "== backup_catalog (a 10,000-snapshot catalog: dlctl's copy and backup create vs sqlite3 .backup)"
"$BUILD/bench/backup_catalog"
echo "== ingest_transfer (500 MB from a local Hugging Face stand-in into S3: dlctl ingest vs curl + aws s3 cp)"
"$HERE/ingest_transfer.sh" "$BUILD"
echo "== commit_latency (single-row insert commits: SQLite vs PostgreSQL catalogs)"
"$HERE/commit_latency.sh" "$BUILD"
echo "== fastrp (1 M-node graph vs a memory-bandwidth floor; deezer_europe: dlctl vs scipy)"
"$HERE/fastrp.sh" "$BUILD"
echo "== lake_catalog (1000-file table vs read_parquet, 100k-file catalog bind, CTAS vs COPY, file pruning on/off)"
"$BUILD/bench/lake_catalog"
echo "== transform_example (the example project vs its compiled SQL on DuckDB tables, per model)"
"$BUILD/bench/transform_example" "$HERE/../transform"
echo "== graph_load (dlctl graph load vs Kùzu's COPY of the same rows)"
"$BUILD/bench/graph_load" "$HERE/../transform"
echo "== query_concurrency (160 dlctl query INSERT processes: one at a time vs 8 side by side)"
"$HERE/query_concurrency.sh" "$BUILD"
