#!/bin/bash
# pg-up.sh DIR [PORT=54329] [durable]
# A throw-away PostgreSQL cluster on 127.0.0.1:PORT, all state under DIR (data, socket, log).
# Database "dlctl_test"; user "postgres" with trust auth from 127.0.0.1, and user "dlctl_pw"
# (password "dlctl_pw_secret", scram-sha-256) for the password path. Without "durable" the
# cluster runs with fsync off (tests only need it to survive the run, not a power cut).
# initdb refuses to run as root, so as root the cluster belongs to the "postgres" OS user; when
# that user cannot reach DIR (a private parent, e.g. a mktemp folder), the cluster lives in a
# fresh folder under /tmp and DIR becomes a symlink to it (pg-down.sh removes both).
set -e
DIR=$(realpath -m -s "$1"); PORT=${2:-54329}; DURABLE=${3:-}
HERE=$(dirname "$(realpath "$0")")
BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$BIN/initdb" ] || { echo "PostgreSQL server binaries not found (install Debian's postgresql)" >&2; exit 1; }
if [ -e "$DIR" ] || [ -L "$DIR" ]; then "$HERE/pg-down.sh" "$DIR" >/dev/null; fi  # leftovers of an earlier or crashed run
if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then echo "port $PORT already in use" >&2; exit 1; fi

as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
trap 'echo "pg-up failed; log tail:" >&2; tail -n 5 "$DIR/log/postgres.log" >&2 2>/dev/null; "$HERE/pg-down.sh" "$DIR" >/dev/null' ERR
mkdir -p "$DIR"
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$DIR"
  if ! runuser -u postgres -- test -w "$DIR"; then
    rmdir "$DIR"
    STATE=$(mktemp -d /tmp/dlctl-pg.XXXXXX)
    chown postgres: "$STATE"
    ln -s "$STATE" "$DIR"
    DIR=$STATE
  fi
fi
mkdir -p "$DIR"/{run,log}
[ "$(id -u)" = 0 ] && chown -R postgres: "$DIR"
as_owner "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C -N >"$DIR/log/initdb.log"
cat > "$DIR/data/pg_hba.conf" <<HBA
local all all                     trust
host  all dlctl_pw 127.0.0.1/32   scram-sha-256
host  all all      127.0.0.1/32   trust
HBA
FSYNC=off; [ "$DURABLE" = durable ] && FSYNC=on
as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log/postgres.log" -w -t 30 start -o \
  "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories='$DIR/run' -c fsync=$FSYNC -c max_connections=200" >/dev/null
psql() { as_owner "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }
psql -d postgres -c "CREATE DATABASE dlctl_test"
psql -d postgres -c "SET password_encryption = 'scram-sha-256'; CREATE USER dlctl_pw PASSWORD 'dlctl_pw_secret'"
psql -d dlctl_test -c "GRANT CREATE ON DATABASE dlctl_test TO dlctl_pw"
echo "postgres up on 127.0.0.1:$PORT"
