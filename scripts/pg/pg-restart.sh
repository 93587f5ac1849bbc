#!/bin/bash
# pg-restart.sh DIR [immediate|fast]: restarts the cluster pg-up.sh started under DIR with the
# same options; "immediate" (the default) stops it as a crash would (no checkpoint: the start
# runs crash recovery), "fast" as an orderly shutdown that aborts open transactions.
set -e
DIR=$(realpath -m "$1"); MODE=${2:-immediate}
BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -f "$DIR/data/postmaster.pid" ] || { echo "no cluster running under $1" >&2; exit 1; }
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log/postgres.log" -m "$MODE" -w -t 30 restart >/dev/null
echo "postgres restarted"
