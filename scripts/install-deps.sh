#!/usr/bin/env bash
# Installs everything dlctl needs to build and test on Debian 12, idempotently:
# Debian packages with apt (Chromium for the docs site's browser tests), then DuckDB 1.4.4,
# Kùzu 0.11.3 and the docs site's JavaScript libraries from the npm registry (npm pack,
# integrity-checked) into the git-ignored third_party/ folder.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="${DLCTL_THIRD_PARTY:-$ROOT/third_party}"

APT_PACKAGES=(
  cmake g++ make pkg-config ninja-build ca-certificates openssl
  libsqlite3-dev sqlite3 libcurl4-openssl-dev libssl-dev libpugixml-dev libyaml-cpp-dev
  nlohmann-json3-dev libcli11-dev libfmt-dev libarchive-dev libicu-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcpp-httplib-dev
  radosgw ceph-mon ceph-osd
  postgresql libpq-dev
  python3-jsonschema   # tests check the dbt artifacts dlctl writes against JSON schemas
  chromium             # the docs site's browser tests
  zsh                  # the zsh completion's test
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The machine image ships Node.js with its own npm; Debian's npm package conflicts with it.
command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm_fetch NAME VERSION SHA512_BASE64 OUT_TGZ: npm pack (no install scripts run) and verify
# the tarball against the pinned registry integrity before anything is unpacked.
npm_fetch() {
  local name="$1" version="$2" want="$3" out="$4" tmp got
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null)
  got="$(openssl dgst -sha512 -binary "$tmp"/*.tgz | base64 -w0)"
  if [ "$got" != "$want" ]; then
    echo "integrity mismatch for $name@$version: got sha512-$got" >&2
    rm -rf "$tmp"; return 1
  fi
  mv "$tmp"/*.tgz "$out"; rm -rf "$tmp"
}

DUCKDB_VERSION=1.4.4
DUCKDB_HEADERS_SHA512="hEJJ5hyVF0VLj3dmOLpsWrQR0b3d4Ykqtygm6iUXjHJDDnSqg/USKxcb5qvNrOhFYPgktayU6dXCtgPqcmmpog=="
DUCKDB_LIB_VERSION=1.4.4-r.4
DUCKDB_LIB_SHA512="jBTL/WvfwxLToFa/pVHfT6elMtltJGnc3wSuxZD9OfMltit9YUdVFS37vBFQzXMT1Z8OWjtSjMh+zPKxOwHLHA=="
DUCKDB_SO_SHA256="1ef33048e12235115ac0d277a0aaccbb560e33248144f488b5ac005cd9ba81b5"
duck="$DEST/duckdb"
if [ ! -f "$duck/.ok-$DUCKDB_VERSION-$DUCKDB_LIB_VERSION" ]; then
  echo "npm: fetching duckdb $DUCKDB_VERSION"
  rm -rf "$duck"; mkdir -p "$duck/dl" "$duck/lib"
  npm_fetch duckdb "$DUCKDB_VERSION" "$DUCKDB_HEADERS_SHA512" "$duck/dl/headers.tgz"
  npm_fetch @duckdb/node-bindings-linux-x64 "$DUCKDB_LIB_VERSION" "$DUCKDB_LIB_SHA512" "$duck/dl/lib.tgz"
  tar xzf "$duck/dl/headers.tgz" -C "$duck" --wildcards 'package/src/duckdb/src/include/*' \
    'package/src/duckdb/third_party/*.h' 'package/src/duckdb/third_party/*.hpp' 'package/LICENSE'
  mv "$duck/package/src/duckdb/src/include" "$duck/include"
  mv "$duck/package/src/duckdb/third_party" "$duck/third_party_include"
  mv "$duck/package/LICENSE" "$duck/LICENSE"; rm -rf "$duck/package"
  tar xzf "$duck/dl/lib.tgz" -C "$duck/lib" --strip-components=1 package/libduckdb.so
  echo "$DUCKDB_SO_SHA256  $duck/lib/libduckdb.so" | sha256sum -c --quiet
  rm -rf "$duck/dl"
  touch "$duck/.ok-$DUCKDB_VERSION-$DUCKDB_LIB_VERSION"
fi

KUZU_VERSION=0.11.3
KUZU_SHA512="4+hD3Y+YMV3e0uiqTv1/GUal47D04l8qluw1WFWg8Nx3k7rLsHG1Pmq9WHIOlf1742svxQvTYQiuY6oS1qxAZA=="
kuzu="$DEST/kuzu"
if [ ! -f "$kuzu/.ok-$KUZU_VERSION" ]; then
  echo "npm: fetching kuzu $KUZU_VERSION"
  rm -rf "$kuzu"; mkdir -p "$kuzu/dl" "$kuzu/lib" "$kuzu/include"
  npm_fetch kuzu "$KUZU_VERSION" "$KUZU_SHA512" "$kuzu/dl/kuzu.tgz"
  tar xzf "$kuzu/dl/kuzu.tgz" -C "$kuzu/dl" package/prebuilt/kuzujs-linux-x64.node \
    package/kuzu-source/src/include package/LICENSE
  cp "$kuzu/dl/package/prebuilt/kuzujs-linux-x64.node" "$kuzu/lib/kuzujs.node" # SONAME is kuzujs.node
  cp -r "$kuzu/dl/package/kuzu-source/src/include/." "$kuzu/include/"
  cp "$kuzu/dl/package/LICENSE" "$kuzu/LICENSE"
  rm -rf "$kuzu/dl"
  touch "$kuzu/.ok-$KUZU_VERSION"
fi
# The docs site's graph drawing: Cytoscape.js and its dagre layout (dagre bundled in), both MIT,
# copied into every generated site (dlctl embeds them at build time).
CYTOSCAPE_VERSION=3.35.0
CYTOSCAPE_SHA512="sMvBIXiGMnhkCaWz2R06FwF/27MNlS+Tqvi17foO9UhnUg3XGZccKjxsvEqQFAQYMSSZmN5SxYzUYlQ0DOJJ3g=="
CYTOSCAPE_DAGRE_VERSION=4.0.1
CYTOSCAPE_DAGRE_SHA512="hyNdh8Vp1nwzBcjHnM4c71G81bFhPmQYLXD2HM9AZIvl+8TrMzWEOPW45hF/XOBQiEguPcDQzi6VrXR1XBcXOA=="
js="$DEST/docs-js"
if [ ! -f "$js/.ok-$CYTOSCAPE_VERSION-$CYTOSCAPE_DAGRE_VERSION" ]; then
  echo "npm: fetching cytoscape $CYTOSCAPE_VERSION and cytoscape-dagre $CYTOSCAPE_DAGRE_VERSION"
  rm -rf "$js"; mkdir -p "$js/dl"
  npm_fetch cytoscape "$CYTOSCAPE_VERSION" "$CYTOSCAPE_SHA512" "$js/dl/cytoscape.tgz"
  npm_fetch cytoscape-dagre "$CYTOSCAPE_DAGRE_VERSION" "$CYTOSCAPE_DAGRE_SHA512" "$js/dl/cytoscape-dagre.tgz"
  tar xzf "$js/dl/cytoscape.tgz" -C "$js/dl" package/dist/cytoscape.min.js package/LICENSE
  mv "$js/dl/package/dist/cytoscape.min.js" "$js/"; mv "$js/dl/package/LICENSE" "$js/cytoscape.LICENSE"
  rm -rf "$js/dl/package"
  tar xzf "$js/dl/cytoscape-dagre.tgz" -C "$js/dl" package/dist/cytoscape-dagre.min.js package/LICENSE
  mv "$js/dl/package/dist/cytoscape-dagre.min.js" "$js/"; mv "$js/dl/package/LICENSE" "$js/cytoscape-dagre.LICENSE"
  rm -rf "$js/dl"
  touch "$js/.ok-$CYTOSCAPE_VERSION-$CYTOSCAPE_DAGRE_VERSION"
fi
echo "dependencies ready in $DEST"
