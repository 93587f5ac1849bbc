#!/bin/bash
# rgw-down.sh DIR: stops the radosgw, osd and mon started by rgw-up.sh (by pid file), removes DIR.
DIR=$(realpath -m "$1")
for n in client.rgw.a osd.0 mon.a; do
  f="$DIR/run/$n.pid"; [ -f "$f" ] || continue; p=$(cat "$f")
  kill -TERM "$p" 2>/dev/null
  for i in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$p" 2>/dev/null
done
rm -rf "$DIR"; echo "rgw down"
