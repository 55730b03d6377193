#!/usr/bin/env bash
# Builds .gpu-bench/ (ignored): everything the GPU machine needs for `bash bench/gpu/run.sh`, which has no registry
# and no Node. Carry `.gpu-bench` in the device call. Contents:
#   bench-node.mjs            bench/node.ts + tfjs + the WebGPU backend in one ESM file (bench/gpu/entry.ts; wasm stubbed)
#   node_modules/webgpu/      Dawn's index.js + package.json; dist/linux-x64/dawn.node.xz (unpacked there by run.sh)
#   node.xz                   this machine's Node 20 binary (links only glibc/libstdc++/libgcc), xz-compressed
#   debs/*.deb                Vulkan/EGL/GL loaders (Debian amd64), per /work/.library/device/README.md "Headless rendering"
#   fixture.tif               the tumor slice that npm run bench:node times (../shared does not travel)
# Re-running reuses node.xz / dawn.node.xz / debs when their sources are unchanged. Fails if the total reaches 40 MB.
set -euo pipefail
cd "$(dirname "$0")/../.."
dest=.gpu-bench
node_bin=${NODE_BIN:-$(command -v node)}
dawn=node_modules/webgpu/dist/linux-x64/dawn.node
fixture=../shared/data/lgg/fixtures/TCGA_FG_6688_20020215_20.tif
[ "$(uname -m)" = x86_64 ] || { echo "bundle.sh: build on x86-64 (the GPU machine is x86-64)" >&2; exit 1; }
[ -f "$dawn" ] || { echo "bundle.sh: $dawn missing (npm install)" >&2; exit 1; }
[ -f "$fixture" ] || { echo "bundle.sh: $fixture missing" >&2; exit 1; }
"$node_bin" -e 'if (+process.versions.node.split(".")[0] < 20) process.exit(1)' || { echo "bundle.sh: $node_bin is not Node >= 20" >&2; exit 1; }
mkdir -p "$dest/node_modules/webgpu/dist/linux-x64" "$dest/debs"

echo "== esbuild: $dest/bench-node.mjs"
npx esbuild bench/gpu/entry.ts --bundle --platform=node --format=esm --target=node20 --main-fields=module,main \
  --outfile="$dest/bench-node.mjs" --external:webgpu --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu \
  --alias:@tensorflow/tfjs-backend-wasm=./bench/gpu/wasm-stub.ts --log-level=warning \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
cp node_modules/webgpu/index.js node_modules/webgpu/package.json "$dest/node_modules/webgpu/"
cp "$fixture" "$dest/fixture.tif"

# xz -9: ~99 MB of Node -> ~24 MB, 21.5 MB of dawn.node -> ~5 MB (a minute or so on 2 cores, skipped when up to date).
pack() { # SRC DEST.xz
  if [ -f "$2" ] && [ "$2" -nt "$1" ] && [ -f "$2.src" ] && [ "$(cat "$2.src")" = "$(realpath "$1") $(stat -c %s "$1")" ]; then
    echo "== $2 up to date"; return; fi
  echo "== xz $1 -> $2"
  xz -T0 -9 -c "$1" >"$2.tmp" && mv "$2.tmp" "$2"
  echo "$(realpath "$1") $(stat -c %s "$1")" >"$2.src"
}
pack "$(readlink -f "$node_bin")" "$dest/node.xz"
"$node_bin" --version >"$dest/node.version"
pack "$dawn" "$dest/node_modules/webgpu/dist/linux-x64/dawn.node.xz"
rm -f "$dest/node_modules/webgpu/dist/linux-x64/dawn.node" # run.sh unpacks it on the device

# The loaders (device README, "Headless rendering"): amd64 .debs from this machine's Debian release.
debs="libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2"
if [ "$(ls "$dest"/debs/*.deb 2>/dev/null | wc -l)" -ge 7 ]; then
  echo "== debs already downloaded: $(cd "$dest/debs" && ls | tr '\n' ' ')"
else
  echo "== apt-get download (amd64): $debs"
  mkdir -p /tmp/amd64/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  # shellcheck disable=SC2086
  apt-get $o update -qq
  # shellcheck disable=SC2086
  (cd "$dest/debs" && rm -f ./*.deb && apt-get $o download $debs)
fi

git rev-parse HEAD >"$dest/commit" 2>/dev/null || true
echo "== contents"
(cd "$dest" && find . -type f -printf '%10s  %p\n' | sort -k2)
bytes=$(du -sb "$dest" | cut -f1)
echo "total: $bytes bytes ($(awk "BEGIN{printf \"%.1f\", $bytes/1e6}") MB) in $dest"
[ "$bytes" -lt 40000000 ] || { echo "bundle.sh: $dest is 40 MB or more; the device call carries at most 64 MiB with the ~12 MB tree" >&2; exit 1; }
