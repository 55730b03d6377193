// Finds and loads the compiled oneDNN addon (training/native/build/Release/lgg_dnnl.node).
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The addon's functions: each reads/writes `heap` at the byte offsets given in `params`. */
export interface NativeAddon {
  version(): string;
  conv2dForward(heap: ArrayBufferLike | ArrayBufferView, params: Float64Array): void;
  conv2dBackwardData(heap: ArrayBufferLike | ArrayBufferView, params: Float64Array): void;
  conv2dBackwardWeights(heap: ArrayBufferLike | ArrayBufferView, params: Float64Array): void;
  batchnormTrainForward(heap: ArrayBufferLike | ArrayBufferView, params: Float64Array): void;
  batchnormTrainBackward(heap: ArrayBufferLike | ArrayBufferView, params: Float64Array): void;
  concatRows(heap: ArrayBufferLike | ArrayBufferView, params: Float64Array): void;
  splitRows(heap: ArrayBufferLike | ArrayBufferView, params: Float64Array): void;
  sumLeading(heap: ArrayBufferLike | ArrayBufferView, params: Float64Array): void;
  binaryOp(heap: ArrayBufferLike | ArrayBufferView, params: Float64Array): void;
  reluGrad(heap: ArrayBufferLike | ArrayBufferView, params: Float64Array): void;
  step(heap: ArrayBufferLike | ArrayBufferView, params: Float64Array): void;
  relu(heap: ArrayBufferLike | ArrayBufferView, params: Float64Array): void;
  adamUpdate(heap: ArrayBufferLike | ArrayBufferView, params: Float64Array): void;
  maxpoolBackward(heap: ArrayBufferLike | ArrayBufferView, params: Float64Array): void;
  batchMatMul(heap: ArrayBufferLike | ArrayBufferView, params: Float64Array): void;
  resizeNearestForward(heap: ArrayBufferLike | ArrayBufferView, params: Float64Array): void;
  resizeNearestBackward(heap: ArrayBufferLike | ArrayBufferView, params: Float64Array): void;
}

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
      cached = { ok: true, addon };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const hint = /libdnnl/.test(message) ? ' (is libdnnl installed? apt-get install -y libdnnl-dev)' : '';
      cached = { ok: false, reason: `native addon failed to load: ${message}${hint}` };
    }
  }
  return cached;
}
