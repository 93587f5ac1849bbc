#!/bin/bash
# pg-down.sh DIR: stops the cluster pg-up.sh started under DIR (fast shutdown) and removes DIR
# (and the folder it links to, when pg-up.sh had to put the cluster elsewhere).
DIR=$(realpath -m -s "$1"); LINK=
if [ -L "$DIR" ]; then LINK=$DIR; DIR=$(readlink -m "$DIR"); fi
BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -f "$DIR/data/postmaster.pid" ]; then
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w -t 20 stop >/dev/null 2>&1
  else "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w -t 20 stop >/dev/null 2>&1; fi
  p=$(head -n 1 "$DIR/data/postmaster.pid" 2>/dev/null)   # still there: pg_ctl could not stop it
  if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then kill -KILL "$p"; sleep 0.2; fi
fi
rm -rf "$DIR"; [ -n "$LINK" ] && rm -f "$LINK"; echo "postgres down"
