#!/bin/bash
# Ingests a SIZE_MIB (default 500) dataset from a local Hugging Face Hub stand-in into a local
# radosgw with `dlctl ingest dataset URL` (download to the cache with the sha256 check, then
# upload as a new version, manifest last), and does the same transfer with `curl` + `aws s3 cp`
# (or, without the aws CLI, curl --aws-sigv4), in alternating order, on the same servers.
# Prints each round's wall times, then medians of wall time, client CPU and server CPU
# (radosgw + osd + the hub stand-in), and the ratio.
# Usage: bench/ingest_transfer.sh [BUILD_DIR=build] [ROUNDS=3] [SIZE_MIB=500]
# The server runs on 127.0.0.1:7494 (mon 6794), apart from the tests' and s3_transfer's.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=$(realpath "${1:-$ROOT/build}")
ROUNDS=${2:-3}
SIZE_MIB=${3:-500}
PORT=${S3_BENCH_PORT:-7494}
MON_PORT=${S3_BENCH_MON_PORT:-6794}
MEM_GIB=${S3_BENCH_MEM_GIB:-6}
DLCTL=$BUILD/src/dlctl
HUB=$BUILD/bench/ingest_source_server
for bin in "$DLCTL" "$HUB"; do
  [ -x "$bin" ] || { echo "no $bin: cmake --build $BUILD --target dlctl ingest_source_server" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/ingest-transfer-bench.XXXXXX)
HUB_PID=""
cleanup() {
  [ -n "$HUB_PID" ] && kill "$HUB_PID" 2>/dev/null
  "$ROOT/scripts/s3/rgw-down.sh" "$WORK/rgw" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT
"$ROOT/scripts/s3/rgw-up.sh" "$WORK/rgw" "$PORT" "$MON_PORT" "$MEM_GIB" >/dev/null

export AWS_ACCESS_KEY_ID=testkey AWS_SECRET_ACCESS_KEY=testsecret AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=$WORK/none AWS_SHARED_CREDENTIALS_FILE=$WORK/none  # aws with its defaults
S3_URL=http://127.0.0.1:$PORT
BUCKET=bench

echo "writing $SIZE_MIB MiB of random data; S3 on $S3_URL"
head -c $((SIZE_MIB << 20)) /dev/urandom > "$WORK/data.bin"
mkfifo "$WORK/hub-in"
"$HUB" "$WORK/data.bin" < "$WORK/hub-in" > "$WORK/hub-url" &
HUB_PID=$!
exec 3> "$WORK/hub-in"  # the hub serves while this stays open
until [ -s "$WORK/hub-url" ]; do sleep 0.2; done
HUB_URL=$(head -1 "$WORK/hub-url")
FILE_URL=$HUB_URL/datasets/bench/data/resolve/main/data.bin
SERVER_PIDS="$(cat "$WORK/rgw/run/client.rgw.a.pid") $(cat "$WORK/rgw/run/osd.0.pid") $HUB_PID"

# The baseline's upload: aws s3 cp, or a single signed PUT with curl when there is no aws CLI.
if command -v aws >/dev/null; then
  BASELINE="curl + aws s3 cp"
  s3_put() { aws s3 cp "$1" "s3://$BUCKET/$2" --endpoint-url "$S3_URL" --only-show-errors; }
  s3_rm() { aws s3 rm "s3://$BUCKET/$1" --recursive --endpoint-url "$S3_URL" --only-show-errors; }
  s3_get() { aws s3 cp "s3://$BUCKET/$1" "$2" --endpoint-url "$S3_URL" --only-show-errors; }
  aws s3 mb "s3://$BUCKET" --endpoint-url "$S3_URL" >/dev/null
else
  BASELINE="curl + curl --aws-sigv4"
  SIGV4=(--aws-sigv4 "aws:amz:us-east-1:s3" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY")
  s3_put() { curl -sSf "${SIGV4[@]}" -T "$1" "$S3_URL/$BUCKET/$2" >/dev/null; }
  s3_get() { curl -sSf "${SIGV4[@]}" -o "$2" "$S3_URL/$BUCKET/$1"; }
  s3_rm() {  # every key under a prefix (ListObjectsV2 is enough for a few keys)
    curl -sSf "${SIGV4[@]}" "$S3_URL/$BUCKET?list-type=2&prefix=$1" | grep -o '<Key>[^<]*</Key>' |
      sed 's/<[^>]*>//g' | while read -r key; do curl -sSf "${SIGV4[@]}" -X DELETE "$S3_URL/$BUCKET/$key"; done
  }
  curl -sSf "${SIGV4[@]}" -X PUT "$S3_URL/$BUCKET" >/dev/null
fi
# The baseline, as a user would type it: download with curl, then upload.
{
  echo "set -e"
  echo "curl -sSfL -o '$WORK/baseline.bin' '$FILE_URL'"
  echo "BUCKET=$BUCKET S3_URL=$S3_URL"
  if [ -n "${SIGV4+x}" ]; then declare -p SIGV4; fi
  declare -f s3_put
  echo "s3_put '$WORK/baseline.bin' baseline/data.bin"
} > "$WORK/baseline.sh"

# dlctl's settings: this S3 server, the hub stand-in, a cache of its own (emptied every round).
DLCTL_ENV=(env -i PATH="$PATH" HOME="$WORK" S3_ENDPOINT="$S3_URL" S3_ACCESS_KEY_ID=testkey
  S3_SECRET_ACCESS_KEY=testsecret S3_BUCKET=$BUCKET HF_ENDPOINT="$HUB_URL" LOCAL_DIR="$WORK/local")

server_ticks() {
  local total=0 pid fields
  for pid in $SERVER_PIDS; do
    read -r -a fields < "/proc/$pid/stat"
    total=$((total + fields[13] + fields[14]))  # utime + stime
  done
  echo $total
}

# Runs a command; prints "wall client-cpu server-cpu" in seconds.
measure() {
  local before after wall user system
  before=$(server_ticks)
  /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$@" >"$WORK/out"
  after=$(server_ticks)
  read -r wall user system < "$WORK/time"
  awk -v w="$wall" -v u="$user" -v s="$system" -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.2f %.2f %.2f", w, u + s, t / hz }'
}

declare -A RESULTS
run() {
  local name=$1 wall client server
  shift
  read -r wall client server <<< "$(measure "$@")"
  RESULTS["$name wall"]+="$wall "
  RESULTS["$name client"]+="$client "
  RESULTS["$name server"]+="$server "
  printf " %9ss" "$wall"
}
run_dlctl() {
  rm -rf "$WORK/local/cache"
  run dlctl "${DLCTL_ENV[@]}" "$DLCTL" ingest dataset https://huggingface.co/datasets/bench/data
  LAST_URI=$(cat "$WORK/out")
}
run_baseline() { rm -f "$WORK/baseline.bin"; run baseline bash "$WORK/baseline.sh"; }

# A fresh memstore OSD is slow to take its first data: warm it up for both alike.
s3_put "$WORK/data.bin" warm-up/data.bin
s3_rm warm-up/
sleep 15

for ((round = 1; round <= ROUNDS; round++)); do
  if ((round % 2)); then
    printf "round %d: dlctl, %s:" $round "$BASELINE"
    run_dlctl; run_baseline
  else
    printf "round %d: %s, dlctl:" $round "$BASELINE"
    run_baseline; run_dlctl
  fi
  echo
  if ((round == ROUNDS)); then  # what dlctl uploaded is the file
    s3_get "${LAST_URI#s3://$BUCKET/}/data.bin" "$WORK/check.bin"
    cmp -s "$WORK/data.bin" "$WORK/check.bin" || { echo "dlctl's upload differs from the data" >&2; exit 1; }
    rm -f "$WORK/check.bin"
  fi
  s3_rm raw/
  s3_rm baseline/
  sleep 15  # radosgw's GC frees the deleted data (period 10 s) before the next round
done

median() {
  printf "%s\n" $1 | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo
printf "%-10s %10s %12s %12s %10s\n" median wall "client CPU" "server CPU" MiB/s
for name in dlctl baseline; do
  wall=$(median "${RESULTS[$name wall]}")
  printf "%-10s %9ss %11ss %11ss %10.0f\n" "$name" "$wall" "$(median "${RESULTS[$name client]}")" \
    "$(median "${RESULTS[$name server]}")" "$(awk -v m="$SIZE_MIB" -v w="$wall" 'BEGIN { print m / w }')"
done
awk -v d="$(median "${RESULTS[dlctl wall]}")" -v b="$(median "${RESULTS[baseline wall]}")" -v what="$BASELINE" \
  'BEGIN { printf "download + upload: dlctl is %.2fx as fast as %s\n", b / d, what }'
