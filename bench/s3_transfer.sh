#!/bin/bash
# Uploads and downloads a 1 GiB file with dlctl's S3Store (the s3_transfer binary) and with
# `aws s3 cp`, on the same throw-away radosgw, in alternating order; prints each round and the
# medians. Usage: bench/s3_transfer.sh [BUILD_DIR=build] [ROUNDS=3] [SIZE_MIB=1024]
# The server runs on 127.0.0.1:7490 (mon 6790) so it never meets the tests' one on 7480.
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

export AWS_ACCESS_KEY_ID=testkey AWS_SECRET_ACCESS_KEY=testsecret AWS_DEFAULT_REGION=us-east-1
# aws with its defaults (8 MiB parts, 10 in flight), whatever ~/.aws holds
export AWS_CONFIG_FILE=$WORK/none AWS_SHARED_CREDENTIALS_FILE=$WORK/none
ENDPOINT=127.0.0.1:$PORT
BUCKET=bench
aws_s3() { aws s3 "$@" --endpoint-url "http://$ENDPOINT" --only-show-errors; }

echo "writing $SIZE_MIB MiB of random data"
head -c $((SIZE_MIB << 20)) /dev/urandom > "$WORK/data.bin"
"$BIN" bucket "$ENDPOINT" "$BUCKET"

# Wall-clock seconds of a command, process start-up included, as a user would wait.
seconds() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN { printf "%.2f", ns / 1e9 }'
}
same_as_data() { cmp -s "$WORK/data.bin" "$1" || { echo "downloaded file differs: $1" >&2; exit 1; }; rm -f "$1"; }

dlctl_put() { seconds "$BIN" put "$ENDPOINT" "$BUCKET" dlctl.bin "$WORK/data.bin"; }
dlctl_get() { seconds "$BIN" get "$ENDPOINT" "$BUCKET" dlctl.bin "$WORK/dlctl.out"; }
aws_put() { seconds aws_s3 cp "$WORK/data.bin" "s3://$BUCKET/aws.bin"; }
aws_get() { seconds aws_s3 cp "s3://$BUCKET/aws.bin" "$WORK/aws.out"; }

declare -a DP AP DG AG
printf "%-6s %10s %10s %10s %10s\n" round "dlctl put" "aws put" "dlctl get" "aws get"
for ((round = 1; round <= ROUNDS; round++)); do
  if ((round % 2)); then  # alternate who goes first
    dp=$(dlctl_put); ap=$(aws_put); dg=$(dlctl_get); ag=$(aws_get)
  else
    ap=$(aws_put); dp=$(dlctl_put); ag=$(aws_get); dg=$(dlctl_get)
  fi
  same_as_data "$WORK/dlctl.out"
  same_as_data "$WORK/aws.out"
  DP+=("$dp"); AP+=("$ap"); DG+=("$dg"); AG+=("$ag")
  printf "%-6s %9ss %9ss %9ss %9ss\n" "$round" "$dp" "$ap" "$dg" "$ag"
  aws_s3 rm "s3://$BUCKET/dlctl.bin"
  aws_s3 rm "s3://$BUCKET/aws.bin"
  sleep 15  # radosgw's GC frees the deleted data (period 10 s) before the next round
done

median() { printf "%s\n" "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
dp=$(median "${DP[@]}"); ap=$(median "${AP[@]}"); dg=$(median "${DG[@]}"); ag=$(median "${AG[@]}")
printf "%-6s %9ss %9ss %9ss %9ss\n" median "$dp" "$ap" "$dg" "$ag"
awk -v dp="$dp" -v ap="$ap" -v dg="$dg" -v ag="$ag" -v mib="$SIZE_MIB" 'BEGIN {
  printf "upload:   dlctl %.0f MiB/s, aws %.0f MiB/s, dlctl is %.2fx faster\n", mib / dp, mib / ap, ap / dp
  printf "download: dlctl %.0f MiB/s, aws %.0f MiB/s, dlctl is %.2fx faster\n", mib / dg, mib / ag, ag / dg
}'
