#!/bin/bash
# Uploads and downloads a 1 GiB file with dlctl's S3Store (the s3_transfer binary) and with
# `aws s3 cp`, on the same throw-away radosgw, in alternating order. Prints each round's wall
# times, then medians of wall time, client CPU and server (radosgw + osd) CPU, and the ratios.
# Usage: bench/s3_transfer.sh [BUILD_DIR=build] [ROUNDS=3] [SIZE_MIB=1024]
# The server runs on 127.0.0.1:7490 (mon 6790), apart from the tests' one on 7480.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=$(realpath "${1:-$ROOT/build}")
ROUNDS=${2:-3}
SIZE_MIB=${3:-1024}
PORT=${S3_BENCH_PORT:-7490}
MON_PORT=${S3_BENCH_MON_PORT:-6790}
MEM_GIB=${S3_BENCH_MEM_GIB:-8}
BIN=$BUILD/bench/s3_transfer
[ -x "$BIN" ] || { echo "no $BIN: cmake --build $BUILD --target s3_transfer" >&2; exit 2; }
command -v aws >/dev/null || { echo "the aws CLI is not on PATH" >&2; exit 2; }

WORK=$(mktemp -d /tmp/s3-transfer-bench.XXXXXX)
trap '"$ROOT/scripts/s3/rgw-down.sh" "$WORK/rgw" >/dev/null 2>&1; rm -rf "$WORK"' EXIT
"$ROOT/scripts/s3/rgw-up.sh" "$WORK/rgw" "$PORT" "$MON_PORT" "$MEM_GIB" >/dev/null
SERVER_PIDS="$(cat "$WORK/rgw/run/client.rgw.a.pid") $(cat "$WORK/rgw/run/osd.0.pid")"

export AWS_ACCESS_KEY_ID=testkey AWS_SECRET_ACCESS_KEY=testsecret AWS_DEFAULT_REGION=us-east-1
# aws with its defaults (8 MiB parts, 10 in flight), whatever ~/.aws holds
export AWS_CONFIG_FILE=$WORK/none AWS_SHARED_CREDENTIALS_FILE=$WORK/none
ENDPOINT=127.0.0.1:$PORT
URL=http://$ENDPOINT
BUCKET=bench

echo "writing $SIZE_MIB MiB of random data; server on $URL"
head -c $((SIZE_MIB << 20)) /dev/urandom > "$WORK/data.bin"
"$BIN" bucket "$ENDPOINT" "$BUCKET"

server_ticks() {
  local total=0 pid fields
  for pid in $SERVER_PIDS; do
    read -r -a fields < "/proc/$pid/stat"
    total=$((total + fields[13] + fields[14]))  # utime + stime
  done
  echo $total
}

# Runs a command; prints "wall client-cpu server-cpu" in seconds. Wall time includes process
# start-up, as a user would wait for it.
measure() {
  local before after wall user system
  before=$(server_ticks)
  /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$@" >/dev/null
  after=$(server_ticks)
  read -r wall user system < "$WORK/time"
  awk -v w="$wall" -v u="$user" -v s="$system" -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.2f %.2f %.2f", w, u + s, t / hz }'
}
same_as_data() { cmp -s "$WORK/data.bin" "$1" || { echo "downloaded file differs: $1" >&2; exit 1; }; rm -f "$1"; }

declare -A RESULTS  # "<name> <field>" -> values, one per round
run() {
  local name=$1 wall client server
  shift
  read -r wall client server <<< "$(measure "$@")"
  RESULTS["$name wall"]+="$wall "
  RESULTS["$name client"]+="$client "
  RESULTS["$name server"]+="$server "
  printf " %9ss" "$wall"
}
dlctl_put() { run "dlctl put" "$BIN" put "$ENDPOINT" "$BUCKET" dlctl.bin "$WORK/data.bin"; }
dlctl_get() { run "dlctl get" "$BIN" get "$ENDPOINT" "$BUCKET" dlctl.bin "$WORK/dlctl.out"; }
aws_put() { run "aws put" aws s3 cp "$WORK/data.bin" "s3://$BUCKET/aws.bin" --endpoint-url "$URL" --only-show-errors; }
aws_get() { run "aws get" aws s3 cp "s3://$BUCKET/aws.bin" "$WORK/aws.out" --endpoint-url "$URL" --only-show-errors; }

# A fresh memstore OSD is slow to take its first gigabyte: warm it up for both tools alike.
"$BIN" put "$ENDPOINT" "$BUCKET" warm-up.bin "$WORK/data.bin" >/dev/null
aws s3 rm "s3://$BUCKET/warm-up.bin" --endpoint-url "$URL" --only-show-errors
sleep 15

for ((round = 1; round <= ROUNDS; round++)); do
  if ((round % 2)); then  # alternate who goes first
    printf "round %d: dlctl put, aws put, dlctl get, aws get:" $round
    dlctl_put; aws_put; dlctl_get; aws_get
  else
    printf "round %d: aws put, dlctl put, aws get, dlctl get:" $round
    aws_put; dlctl_put; aws_get; dlctl_get
  fi
  echo
  same_as_data "$WORK/dlctl.out"
  same_as_data "$WORK/aws.out"
  aws s3 rm "s3://$BUCKET/dlctl.bin" --endpoint-url "$URL" --only-show-errors
  aws s3 rm "s3://$BUCKET/aws.bin" --endpoint-url "$URL" --only-show-errors
  sleep 15  # radosgw's GC frees the deleted data (period 10 s) before the next round
done

median() {
  printf "%s\n" $1 | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo
printf "%-10s %10s %12s %12s %10s\n" median wall "client CPU" "server CPU" MiB/s
for name in "dlctl put" "aws put" "dlctl get" "aws get"; do
  wall=$(median "${RESULTS[$name wall]}")
  printf "%-10s %9ss %11ss %11ss %10.0f\n" "$name" "$wall" "$(median "${RESULTS[$name client]}")" \
    "$(median "${RESULTS[$name server]}")" "$(awk -v m="$SIZE_MIB" -v w="$wall" 'BEGIN { print m / w }')"
done
for direction in put get; do
  awk -v d="$(median "${RESULTS[dlctl $direction wall]}")" -v a="$(median "${RESULTS[aws $direction wall]}")" \
    -v what="$direction" 'BEGIN { printf "%s: dlctl is %.2fx as fast as aws s3 cp\n", what, a / d }'
done
