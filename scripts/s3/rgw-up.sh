#!/bin/bash
# rgw-up.sh DIR [RGW_PORT=7480] [MON_PORT=6789] [MEM_GIB=4]
# A throw-away single-node Ceph (1 mon, 1 memstore OSD, no mgr, no cephx) with radosgw on
# 127.0.0.1, all state under DIR. S3 user: access key "testkey", secret "testsecret".
set -e
DIR=$(realpath -m "$1"); RGW_PORT=${2:-7480}; MON_PORT=${3:-6789}; MEM_GIB=${4:-4}
HERE=$(dirname "$(realpath "$0")")
[ -d "$DIR/run" ] && "$HERE/rgw-down.sh" "$DIR" >/dev/null   # leftovers of a crashed run
for p in $RGW_PORT $MON_PORT; do
  if (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "port $p already in use" >&2; exit 1; fi
done
trap 'echo "rgw-up failed; log tails:" >&2; tail -n 5 "$DIR"/log/*.log >&2; "$HERE/rgw-down.sh" "$DIR" >/dev/null' ERR
rm -rf "$DIR"; mkdir -p "$DIR"/{run,log,mon.a,osd.0,rgw.a}; cd "$DIR"
FSID=$(cat /proc/sys/kernel/random/uuid)
cat > ceph.conf <<CONF
[global]
fsid = $FSID
mon host = v1:127.0.0.1:$MON_PORT
public addr = 127.0.0.1
ms bind msgr2 = false
auth cluster required = none
auth service required = none
auth client required = none
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd pool default pg num = 8
osd pool default pgp num = 8
mon max pg per osd = 1000
osd crush chooseleaf type = 0
osd objectstore = memstore
memstore device bytes = $((MEM_GIB * 1024 * 1024 * 1024))
mon data avail crit = 0
mon data avail warn = 1
run dir = $DIR/run
pid file = $DIR/run/\$name.pid
log file = $DIR/log/\$name.log
admin socket = $DIR/run/\$name.asok
[mon.a]
mon data = $DIR/mon.a
[osd.0]
osd data = $DIR/osd.0
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw data = $DIR/rgw.a
# deleted objects' data is reclaimed by GC; the default waits 2 h, which fills a memstore OSD
rgw gc obj min wait = 0
rgw gc processor period = 10
CONF
C="-c $DIR/ceph.conf"
monmaptool --create --add a v1:127.0.0.1:$MON_PORT --fsid $FSID monmap >/dev/null
ceph-mon $C --mkfs -i a --monmap monmap
ceph-mon $C -i a
# A client that asks a mon that has just started may be refused the same way ("EPERM: problem
# getting command descriptions"): wait until it answers, then make osd.0 (retried until it exists).
timeout 30 bash -c "until ceph $C mon dump >/dev/null 2>&1; do sleep 0.5; done"
for attempt in 1 2 3 4 5; do
  ceph $C osd ls 2>/dev/null | grep -qx 0 && break
  [ "$attempt" = 5 ] && { echo "ceph osd create failed" >&2; false; }
  timeout 30 ceph $C osd create >/dev/null 2>&1 || sleep 1
done
ceph-osd $C -i 0 --mkfs 2>/dev/null
# The OSD's first boot sometimes asks the mon with a zero fsid and gives up ("wrong fsid");
# a second start succeeds, so try a few times before failing the run.
for attempt in 1 2 3 4 5; do
  ceph-osd $C -i 0 2>/dev/null && break
  [ "$attempt" = 5 ] && { echo "ceph-osd did not start" >&2; false; }
  sleep 1
done
# The same zero-fsid refusal has met this command too (once in a fresh-clone run): retried.
for attempt in 1 2 3 4 5; do
  timeout 30 ceph $C osd crush add osd.0 1.0 host=localhost root=default >/dev/null 2>&1 && break
  [ "$attempt" = 5 ] && { echo "ceph osd crush add failed" >&2; false; }
  sleep 1
done
timeout 60 bash -c "until ceph $C osd stat 2>/dev/null | grep -q '1 up'; do sleep 0.5; done"
radosgw $C -n client.rgw.a
timeout 90 bash -c "until (exec 3<>/dev/tcp/127.0.0.1/$RGW_PORT) 2>/dev/null; do sleep 0.5; done"
radosgw-admin $C -n client.rgw.a user create --uid=tester --display-name=tester \
  --access-key=testkey --secret=testsecret >/dev/null 2>&1
echo "rgw up on http://127.0.0.1:$RGW_PORT (dir $DIR)"
