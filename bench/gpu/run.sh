#!/usr/bin/env bash
# Issue #7's GPU bench, device side: run from the repo root on the GPU machine with `.gpu-bench` carried (built by
# `bash bench/gpu/bundle.sh`):   bash bench/gpu/run.sh
# 1. Vulkan/EGL loaders from .gpu-bench/debs (dpkg -x to /, ldconfig) and the NVIDIA ICD/EGL vendor files;
# 2. Node and dawn.node unpacked to /tmp/gpu-bench; nvidia-smi;
# 3. the app's classify/segment on tfjs WebGPU (Dawn, hardware adapter only): bench/node.ts bundled, both shipped models;
# 4. PyTorch eager on CUDA, same architectures, batch 1, float32 (bench/gpu/torch_gpu.py);
# 5. one Markdown table (bench/gpu/summary.py).
# Writes into $OUT (default /tmp/gpu-bench-out): env.txt, node-webgpu.{json,log}, torch-cuda.{json,log}, summary.{md,json}.
# Each step has its own timeout, capped so that the whole ends by ~120 s, and a failed step does not stop the others.
# Knobs: GPU_BENCH_RUNS (tfjs warm runs, 30), GPU_BENCH_TORCH_RUNS (100), GPU_BENCH_NO_DEBS=1 (a machine that has the
# loaders: leaves / alone), GPU_BENCH_ALLOW_SOFTWARE=1 (tests on a CPU machine: Dawn's software adapter, no nvidia),
# GPU_BENCH_PYTHON (python3: the one that holds PyTorch), GPU_BENCH_WORK (/tmp/gpu-bench: where node is unpacked).
set -uo pipefail
root=$(pwd)
b=$root/.gpu-bench
OUT=${OUT:-/tmp/gpu-bench-out}
mkdir -p "$OUT"
rm -f "$OUT/node-webgpu.json" "$OUT/torch-cuda.json" # no stale figures from an earlier run into this OUT
runs=${GPU_BENCH_RUNS:-30}
torch_runs=${GPU_BENCH_TORCH_RUNS:-100}
py=${GPU_BENCH_PYTHON:-python3}
torch_warmup=${GPU_BENCH_TORCH_WARMUP:-10}
t0=$SECONDS
# Every step's timeout is capped so that the whole script ends by ~115 s even if steps hang (reserve: seconds kept for the later steps).
cap() { local want=$1 left=$((t0 + 115 - SECONDS - $2)); [ "$left" -lt "$want" ] && want=$left; [ "$want" -lt 5 ] && want=5; echo "$want"; }
say() { echo "[gpu-bench +$((SECONDS - t0))s] $*"; }
steps=()
[ -f "$b/bench-node.mjs" ] || { say "FATAL: $b/bench-node.mjs missing: run 'bash bench/gpu/bundle.sh' here and carry .gpu-bench"; exit 2; }
env_txt=$OUT/env.txt
: >"$env_txt"
note() { echo "$*" | tee -a "$env_txt"; }

# 1. loaders (device README, "Headless rendering")
if [ "${GPU_BENCH_NO_DEBS:-}" = 1 ]; then
  say "loaders: GPU_BENCH_NO_DEBS=1, not unpacking .gpu-bench/debs"
  steps+=(debs=skipped)
else
  say "loaders: dpkg -x $(ls "$b"/debs/*.deb | wc -l) debs to /, ldconfig"
  ok=ok
  for f in "$b"/debs/*.deb; do timeout 10 dpkg -x "$f" / || { ok="failed($(basename "$f"))"; say "dpkg -x $f failed"; }; done
  timeout 10 ldconfig || ok=failed-ldconfig
  steps+=(debs=$ok)
fi
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
egl=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
[ -f "$icd" ] && export VK_DRIVER_FILES=$icd
[ -f "$egl" ] && export __EGL_VENDOR_LIBRARY_FILENAMES=$egl
{
  echo "date: $(date -Is)  host: $(hostname)  kernel: $(uname -r)  commit: $(cat "$b/commit" 2>/dev/null)"
  echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-(unset: $icd missing)}"
  echo "__EGL_VENDOR_LIBRARY_FILENAMES=${__EGL_VENDOR_LIBRARY_FILENAMES:-(unset: $egl missing)}"
  echo "ldconfig: $(ldconfig -p | grep -oE 'lib(vulkan|EGL|GLX_nvidia|EGL_nvidia)\.so[.0-9]*' | sort -u | tr '\n' ' ')"
} | tee -a "$env_txt"

# 2. node + dawn.node, nvidia-smi
unxz_to() { # SRC.xz DEST: xz if present, else Python's lzma
  if command -v xz >/dev/null; then xz -dc "$1" >"$2"; else "${GPU_BENCH_PYTHON:-python3}" -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"; fi
}
w=${GPU_BENCH_WORK:-/tmp/gpu-bench}
mkdir -p "$w/node_modules/webgpu/dist/linux-x64"
cp "$b/bench-node.mjs" "$w/" && cp "$b/node_modules/webgpu/index.js" "$b/node_modules/webgpu/package.json" "$w/node_modules/webgpu/"
if timeout 30 bash -c "$(declare -f unxz_to); unxz_to '$b/node.xz' '$w/node' && unxz_to '$b/node_modules/webgpu/dist/linux-x64/dawn.node.xz' '$w/node_modules/webgpu/dist/linux-x64/dawn.node'" \
  && chmod +x "$w/node" && node_v=$("$w/node" --version); then
  note "node: $node_v (unpacked to $w)"; steps+=(node-unpack=ok)
else
  note "node: could not unpack or start $w/node ($(ldd "$w/node" 2>&1 | grep -i 'not found' | tr '\n' ' '))"; steps+=(node-unpack=failed)
fi
say "nvidia-smi"
timeout 10 nvidia-smi -L 2>&1 | tee -a "$env_txt" || note "nvidia-smi -L failed"
timeout 10 nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm,temperature.gpu,power.draw --format=csv 2>&1 | tee -a "$env_txt"
note "cpus: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -x "$w/node" ] && { say "Dawn adapter probe"; timeout 15 "$w/node" "$root/bench/gpu/probe.mjs" "$w" 2>&1 | tee -a "$env_txt"; }

# 3. tfjs WebGPU through Dawn: the app's classify/segment on both shipped models
if [ "${GPU_BENCH_ALLOW_SOFTWARE:-}" = 1 ]; then export LGG_WEBGPU_ALLOW_SOFTWARE=1; fi
if [ -x "$w/node" ]; then
  tn=$(cap 60 50)
  say "tfjs WebGPU: $runs warm runs per model (stops after 20 s of warm runs), timeout $tn s"
  timeout -k 5 "$tn" "$w/node" "$w/bench-node.mjs" --backends webgpu --no-torch --runs "$runs" --limit-s 20 \
    --models "$root/public/models" --fixture "$b/fixture.tif" --out "$OUT/node-webgpu.json" 2>&1 | tee "$OUT/node-webgpu.log"
  rc=${PIPESTATUS[0]}
  # a measured row has "detail"; a skipped backend only {backend, reason}
  if grep -q '"detail"' "$OUT/node-webgpu.json" 2>/dev/null; then steps+=("tfjs-webgpu=ok$([ "$rc" = 0 ] || echo "-but-rc$rc")")
  elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then steps+=(tfjs-webgpu=timeout); say "tfjs WebGPU: TIMED OUT"
  elif [ "$rc" = 0 ]; then steps+=(tfjs-webgpu=skipped); say "tfjs WebGPU: no webgpu row (see 'skipped' above)"
  else steps+=(tfjs-webgpu=failed-rc$rc); say "tfjs WebGPU: FAILED (rc $rc)"; fi
  case ${steps[-1]} in tfjs-webgpu=ok*) ;; *)
    say "tfjs WebGPU did not measure: Dawn's Vulkan probe with VK_LOADER_DEBUG into node-webgpu.log"
    { echo "== probe: VK_LOADER_DEBUG=error,warn,driver, backend=vulkan"
      VK_LOADER_DEBUG=error,warn,driver timeout "$(cap 15 50)" "$w/node" "$root/bench/gpu/probe.mjs" "$w" backend=vulkan 2>&1 | tail -120; } | tee -a "$OUT/node-webgpu.log" | tail -15 ;;
  esac
else
  steps+=(tfjs-webgpu=not-run)
fi

# 4. PyTorch eager, CUDA
tt=$(cap 45 5)
say "PyTorch CUDA: $torch_runs warm runs per model and mode, timeout $tt s"
PYTHONUNBUFFERED=1 timeout -k 5 "$tt" "$py" "$root/bench/gpu/torch_gpu.py" --runs "$torch_runs" --warmup "$torch_warmup" --out "$OUT/torch-cuda.json" 2>&1 | tee "$OUT/torch-cuda.log"
rc=${PIPESTATUS[0]}
case $rc in
  0) steps+=(torch-cuda=ok) ;;
  124 | 137) steps+=(torch-cuda=timeout); say "PyTorch: TIMED OUT" ;;
  *) if [ -s "$OUT/torch-cuda.json" ]; then steps+=(torch-cuda=partial-rc$rc); say "PyTorch: some modes FAILED (rc $rc)"
     else steps+=(torch-cuda=failed-rc$rc); say "PyTorch: FAILED (rc $rc)"; fi ;;
esac

# 5. summary
say "summary"
timeout 10 "$py" "$root/bench/gpu/summary.py" "$OUT" "${steps[@]}" || say "summary.py failed: the JSON files above hold the figures"
say "done in $((SECONDS - t0)) s; files in $OUT: $(ls "$OUT" | tr '\n' ' ')"
