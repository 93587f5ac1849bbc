#!/bin/bash
# torture.sh [BUILD=build]: the torture suite (tests/torture/, `make torture`): random kill -9
# trials on the local default and on a throw-away radosgw of its own, started here and stopped on
# exit, on ports TORTURE_S3_PORT (7494) and TORTURE_S3_MON_PORT (6804) so it never meets the test
# run's server. TORTURE_LOCAL_TRIALS, TORTURE_S3_TRIALS and TORTURE_SEED pass through.
set -euo pipefail
BUILD=$(realpath "${1:-build}")
HERE=$(dirname "$(realpath "$0")")
RGW_PORT=${TORTURE_S3_PORT:-7494}
MON_PORT=${TORTURE_S3_MON_PORT:-6804}
S3_DIR="$BUILD/torture-s3-server"
if [ "${TORTURE_S3_TRIALS:-100}" != 0 ]; then
  trap '"$HERE/s3/rgw-down.sh" "$S3_DIR" >/dev/null' EXIT
  "$HERE/s3/rgw-up.sh" "$S3_DIR" "$RGW_PORT" "$MON_PORT" 4
fi
DLCTL_TEST_S3_ENDPOINT="127.0.0.1:$RGW_PORT" "$BUILD/tests/dlctl_torture"
