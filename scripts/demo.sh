#!/usr/bin/env bash
# The main job end to end on the embedded default: a local folder stands in for the bucket,
# so no server is needed. Everything lands in ./local (git-ignored), as it would for a user.
set -euo pipefail
DLCTL="$(realpath "${1:-build/src/dlctl}")"
cd "$(dirname "$0")/.."
# The embedded default: ignore any S3 settings from .env or the shell.
export S3_ENDPOINT= S3_ACCESS_KEY_ID= S3_SECRET_ACCESS_KEY=

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

DATA="$(mktemp -d)"; trap 'rm -rf "$DATA"' EXIT
mkdir -p "$DATA/HR" "$DATA/RO"
{ echo "node_1,node_2"; for i in $(seq 0 199); do echo "$i,$(( (i * 7 + 3) % 200 ))"; done; } > "$DATA/HR/HR_edges.csv"
{ echo "node_1,node_2"; for i in $(seq 0 99); do echo "$i,$(( (i * 11 + 5) % 100 ))"; done; } > "$DATA/RO/RO_edges.csv"

step "ingest a local folder as a new version of 'Deezer Social Networks'"
URI="$("$DLCTL" ingest dataset "$DATA" "Deezer Social Networks")"
echo "$URI"

step "create an empty version to fill by hand (twice: the older one is left empty)"
"$DLCTL" ingest dataset --manual "Hand Made Notes"
"$DLCTL" ingest dataset --manual "Hand Made Notes"

step "list the latest version of each dataset"
"$DLCTL" ingest ls

step "query the raw files with the engine"
"$DLCTL" query "SELECT count(*) AS edges, count(DISTINCT node_1) AS sources FROM read_csv('$URI/*/*.csv')"

step "the same bucket through s3:// (served by dlctl's own file system, even on the local default)"
KEY="${URI#*/bucket/lakehouse/}"
"$DLCTL" query --format csv "SELECT filename[-15:] AS file, count(*) AS edges
  FROM read_csv('s3://lakehouse/$KEY/*/*.csv', filename = true) GROUP BY ALL ORDER BY ALL"

step "load the raw edges into the stage lake (DuckLake: SQLite catalog, Parquet in the bucket)"
"$DLCTL" query "CREATE SCHEMA IF NOT EXISTS stage.deezer;
  CREATE OR REPLACE TABLE stage.deezer.edges AS
    SELECT regexp_extract(filename, '/(\w+)_edges\.csv$', 1) AS country, node_1 AS source_id, node_2 AS target_id
    FROM read_csv('s3://lakehouse/$KEY/*/*.csv', filename = true)"
BEFORE="$(sqlite3 local/stage.sqlite 'SELECT max(snapshot_id) FROM ducklake_snapshot')"
"$DLCTL" query "DELETE FROM stage.deezer.edges WHERE source_id < 50"
"$DLCTL" query "SELECT country, count(*) AS edges FROM stage.deezer.edges GROUP BY ALL ORDER BY ALL"

step "time travel: the table at snapshot $BEFORE, before the DELETE"
"$DLCTL" query --snapshot "stage=$BEFORE" "SELECT country, count(*) AS edges FROM stage.deezer.edges GROUP BY ALL ORDER BY ALL"

step "remove empty versions that are not the latest"
"$DLCTL" ingest prune

step "write local/init.sql for DuckDB's own CLI"
"$DLCTL" tools generate-init-sql
