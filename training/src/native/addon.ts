// Finds and loads the compiled oneDNN addon (training/native/build/Release/lgg_dnnl.node).
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The addon's kernels, as addon.cc exports them. Also the load-time check that a build is not older than its sources. */
const KERNELS = [
  'conv2dForward', 'conv2dBackwardData', 'conv2dBackwardWeights', 'batchnormTrainForward', 'batchnormTrainBackward',
  'concatRows', 'splitRows', 'sumLeading', 'binaryOp', 'reluGrad', 'step', 'relu', 'adamUpdate', 'maxpoolBackward',
  'batchMatMul', 'resizeNearestForward', 'resizeNearestBackward',
] as const;

/** Each kernel reads/writes `heap` at the byte offsets given in `params`. */
type Kernel = (heap: ArrayBufferLike | ArrayBufferView, params: Float64Array) => void;
export type NativeAddon = { version(): string } & Record<(typeof KERNELS)[number], Kernel>;

export const addonPath = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../native/build/Release/lgg_dnnl.node',
);

export type AddonResult = { ok: true; addon: NativeAddon } | { ok: false; reason: string };

let cached: AddonResult | undefined;

/** Loads the addon once; says why when it cannot (not Linux, not built, libdnnl missing). */
export function loadAddon(): AddonResult {
  if (cached) return cached;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    cached = { ok: false, reason: `native kernels are built for linux-x64 only (this is ${process.platform}-${process.arch})` };
  } else if (!existsSync(addonPath)) {
    cached = {
      ok: false,
      reason: `native addon not built (${addonPath} missing): apt-get install -y libdnnl-dev && npm run build:native -w training`,
    };
  } else {
    try {
      // OpenMP threads that spin between parallel regions steal the core the JS/wasm thread needs on a
      // 2-core machine (and everything on a loaded one); libgomp reads this when the addon loads it.
      process.env.OMP_WAIT_POLICY ??= 'PASSIVE';
      const addon = createRequire(import.meta.url)(addonPath) as NativeAddon;
      const missing = KERNELS.filter((k) => typeof addon[k] !== 'function');
      cached = missing.length === 0
        ? { ok: true, addon }
        : { ok: false, reason: `native addon is older than its sources (no ${missing.join(', ')}): npm run build:native -w training` };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const hint = /libdnnl/.test(message) ? ' (is libdnnl installed? apt-get install -y libdnnl-dev)' : '';
      cached = { ok: false, reason: `native addon failed to load: ${message}${hint}` };
    }
  }
  return cached;
}
