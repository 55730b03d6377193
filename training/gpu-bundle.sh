#!/usr/bin/env bash
# Builds the self-contained GPU trainer: one ESM file with tfjs + the WebGPU backend (module fields first, so there
# is one tfjs-core instance) and Dawn (npm `webgpu`, linux-x64 only) beside it. Output: DEST (default .gpu2).
set -euo pipefail
dest=$(realpath -m "${1:-.gpu2}")
cd "$(dirname "$0")/.."
mkdir -p "$dest/node_modules/webgpu/dist/linux-x64"
npx esbuild training/src/cli/train-gpu.ts --bundle --platform=node --format=esm --target=node20 --main-fields=module,main \
  --outfile="$dest/train-gpu.mjs" --external:webgpu --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu \
  --external:@tensorflow/tfjs-backend-wasm --log-level=warning \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
cp node_modules/webgpu/index.js node_modules/webgpu/package.json "$dest/node_modules/webgpu/"
cp node_modules/webgpu/dist/linux-x64/dawn.node "$dest/node_modules/webgpu/dist/linux-x64/"
