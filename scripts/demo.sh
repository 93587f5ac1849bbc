#!/usr/bin/env bash
# The main job end to end on the embedded default: a local folder stands in for the bucket,
# so no server is needed. Everything lands in ./local (git-ignored), as it would for a user.
#   sample data -> ingest both datasets -> transform (stage + graphs.music_taste) -> test
#   -> export -> backup -> graph load -> embeddings -> similar -> docs
set -euo pipefail
DLCTL="$(realpath "${1:-build/src/dlctl}")"
SCALE="${DEMO_SCALE:-0.05}"
cd "$(dirname "$0")/.."
# The embedded default: ignore any S3 settings from .env or the shell.
export S3_ENDPOINT= S3_ACCESS_KEY_ID= S3_SECRET_ACCESS_KEY=

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
START_NS=$(date +%s%N)

DATA="$(mktemp -d)"; trap 'rm -rf "$DATA"' EXIT
step "generate sample data shaped like the two Kaggle datasets (scale $SCALE)"
"$DLCTL" tools generate-sample-data --scale "$SCALE" --seed 42 "$DATA"

step "ingest both as new versions of raw/<dataset>/"
"$DLCTL" ingest dataset "$DATA/deezer-social-networks" deezer_social_networks
"$DLCTL" ingest dataset "$DATA/million-song-dataset-spotify-lastfm" million_song_dataset_spotify_lastfm
"$DLCTL" ingest ls

step "transform: the stage models and the graphs.music_taste mart (one lake commit per model)"
"$DLCTL" transform --threads 2

step "test: every data test of the project"
"$DLCTL" test --threads 2

step "export the graph mart (a new version of exports/graphs/music_taste/)"
"$DLCTL" export dataset graphs music_taste

step "back up the engine database and the catalogs"
"$DLCTL" backup create

step "graph load: the music_taste mart as a Kùzu graph"
"$DLCTL" graph load music_taste

step "FastRP embeddings into the graph and the lake, with a vector index"
"$DLCTL" graph compute embeddings music_taste -d 64 -e 3
"$DLCTL" graph reindex music_taste

step "similar: the nearest neighbours of a user"
USER_ID="$("$DLCTL" query -f csv "SELECT min(node_id) AS id FROM graphs.music_taste.msdsl_nodes_users" | tail -n 1)"
"$DLCTL" graph similar music_taste "$USER_ID" -k 5

step "summary"
SQL=""
for table in stage.dsn.hr_edges stage.dsn.hu_edges stage.dsn.ro_edges stage.dsn.hr_genres stage.dsn.hu_genres \
    stage.dsn.ro_genres stage.msdsl.music_info stage.msdsl.user_listening_history \
    graphs.music_taste.dsn_nodes_users graphs.music_taste.msdsl_nodes_tracks graphs.music_taste.msdsl_nodes_users \
    graphs.music_taste.nodes_genres graphs.music_taste.dsn_edges_friendships graphs.music_taste.dsn_edges_user_genres \
    graphs.music_taste.msdsl_edges_track_tags graphs.music_taste.msdsl_edges_user_tracks; do
  SQL="${SQL:+$SQL UNION ALL }SELECT '$table' AS \"table\", count(*) AS \"rows\" FROM $table"
done
"$DLCTL" query "$SQL"
ELAPSED_MS=$(( ($(date +%s%N) - START_NS) / 1000000 ))
printf '16 tables, main job done in %d.%03ds\n' $((ELAPSED_MS / 1000)) $((ELAPSED_MS % 1000))

step "docs: the lab in the browser"
INDEX="$("$DLCTL" docs generate)"
printf 'Open file://%s\n(or run: %s docs serve, then http://127.0.0.1:8080/)\n' "$INDEX" "$DLCTL"
