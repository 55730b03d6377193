// Optional native CPU accelerator: oneDNN kernels registered on tfjs's wasm backend (the addon works on
// the wasm heap in place). The backend ladder calls loadNativeKernels() and uses the result when ok.
import { loadAddon } from './addon.js';
import { registerWasmTrainingKernels } from '../kernels/index.js';
import { patchAdam, unpatchAdam } from './adam.js';
import { registerBatchNormKernels } from './batchnorm.js';
import { registerConvKernels } from './conv-kernels.js';
import { registerCopyKernels } from './copy-kernels.js';
import { registerEltwiseKernels, unpatchReluGradient } from './eltwise-kernels.js';
import { registerMatMulKernels } from './matmul-kernels.js';
import { registerResizeKernels } from './resize-kernels.js';
import { registerPoolKernels } from './pool-kernels.js';
import { registerReduceKernels } from './reduce-kernels.js';
import { nativeKernelNames, restoreKernels } from './registry.js';

export type NativeKernelsResult = { ok: true; kernels: string[] } | { ok: false; reason: string };

let loaded: NativeKernelsResult | undefined;

/**
 * Registers the native kernels on the 'wasm' backend (call after any other wasm kernel registration:
 * these replace and delegate to what is there). Idempotent. Never throws: says why when unavailable.
 */
export async function loadNativeKernels(): Promise<NativeKernelsResult> {
  if (loaded?.ok) return loaded;
  if (process.env.LGG_NATIVE === '0') return { ok: false, reason: 'native kernels disabled by LGG_NATIVE=0' };
  const addon = loadAddon();
  if (!addon.ok) return (loaded = { ok: false, reason: addon.reason });
  try {
    // The portable kernels go underneath: native kernels delegate the cases they do not handle to them,
    // and they fix stock wasm kernels that are not replaced here (ResizeNearestNeighborGrad).
    registerWasmTrainingKernels();
    registerConvKernels(addon.addon);
    registerPoolKernels(addon.addon);
    registerCopyKernels(addon.addon);
    registerReduceKernels(addon.addon);
    registerMatMulKernels(addon.addon);
    registerResizeKernels(addon.addon);
    registerBatchNormKernels(addon.addon);
    const fused = [...registerEltwiseKernels(addon.addon).filter((k) => k.startsWith('Lgg')), ...patchAdam(addon.addon)];
    loaded = { ok: true, kernels: [...nativeKernelNames(), ...fused] };
  } catch (err) {
    restoreKernels();
    unpatchReluGradient();
    unpatchAdam();
    loaded = { ok: false, reason: `native kernels failed to register: ${err instanceof Error ? err.message : err}` };
  }
  return loaded;
}

/** Removes the native kernels again, restoring the previous wasm kernels. */
export function unloadNativeKernels(): void {
  restoreKernels();
  unpatchReluGradient();
  unpatchAdam();
  loaded = undefined;
}

export { loadAddon } from './addon.js';
