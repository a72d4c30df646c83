#!/usr/bin/env bash
# Build @tensorflow/tfjs-node from source against the TensorFlow C library of a local
# TensorFlow CPU Python wheel, in a folder outside the workspace (nothing in node_modules
# changes), so the `tensorflow` backend can be tested where libtensorflow cannot be downloaded.
#
#   bash packages/backend-cuda/scripts/build-tfjs-node.sh [OUT_DIR]
#   IMPLICIT_BIAS_TFJS_NODE=<printed path> npx jest   # in packages/backend-cuda
#
# Needs npm registry access, g++, make, python3 and Node headers (NODE_DIR, default: the
# prefix of `node`). Skips with exit 0 when no wheel is found (set TF_WHEEL to choose one).
# Takes about 1 GB of disk and a minute or two.
set -euo pipefail
OUT="${1:-${TMPDIR:-/tmp}/implicit-bias-tfjs-node}"
VERSION="${TFJS_NODE_VERSION:-4.22.0}"
WHEEL="${TF_WHEEL:-$(timeout 120 find / -xdev -name 'tensorflow_cpu-*.whl' 2>/dev/null | head -n 1 || true)}"
if [ -z "$WHEEL" ] || [ ! -f "$WHEEL" ]; then
  echo "build-tfjs-node: no tensorflow_cpu wheel found (set TF_WHEEL); skipping" >&2
  exit 0
fi
NODE_DIR="${NODE_DIR:-$(dirname "$(dirname "$(command -v node)")")}"
if [ ! -f "$NODE_DIR/include/node/node_api.h" ]; then
  echo "build-tfjs-node: no Node headers under $NODE_DIR/include/node (set NODE_DIR); skipping" >&2
  exit 0
fi

mkdir -p "$OUT/wheel"
cd "$OUT"
[ -f package.json ] || echo '{ "name": "implicit-bias-tfjs-node-sandbox", "private": true }' > package.json
npm install --ignore-scripts --no-audit --no-fund "@tensorflow/tfjs-node@$VERSION" >&2
unzip -q -o "$WHEEL" 'tensorflow/libtensorflow_cc.so.2' 'tensorflow/libtensorflow_framework.so.2' \
  'tensorflow/include/*' -d "$OUT/wheel"

PKG="$OUT/node_modules/@tensorflow/tfjs-node"
TF="$OUT/wheel/tensorflow"
mkdir -p "$PKG/deps/lib"
rm -rf "$PKG/deps/include"
ln -s "$TF/include" "$PKG/deps/include"
for lib in libtensorflow_cc.so.2 libtensorflow_framework.so.2; do ln -sf "$TF/$lib" "$PKG/deps/lib/$lib"; done
ln -sf "$TF/libtensorflow_cc.so.2" "$PKG/deps/lib/libtensorflow.so"
ln -sf "$TF/libtensorflow_framework.so.2" "$PKG/deps/lib/libtensorflow_framework.so"

(cd "$PKG" && "$OUT/node_modules/.bin/node-pre-gyp" install --build-from-source --nodedir="$NODE_DIR") >&2
node -e "require('$PKG'); console.error('build-tfjs-node: the tensorflow backend loads')"
echo "$PKG"
