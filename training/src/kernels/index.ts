/**
 * Training kernels for tfjs 4.22 in Node. The native accelerator (training/src/native) may register its own
 * kernels over these afterwards; both functions are idempotent and only touch the kernels listed here.
 */
import { BATCH_NORM_KERNELS, registerBatchNormGradient } from './batch-norm-training';
import { patchBatchNormalizationLayer } from './batch-norm-layer';
import { conv2dBackpropFilterCpuConfig } from './cpu-conv2d-backprop-filter';
import { maxPoolGradWasmConfig } from './max-pool-grad';
import { resizeNearestNeighborGradCpuConfig, resizeNearestNeighborGradWasmConfig } from './resize-nearest-neighbor-grad';
import { replaceKernel } from './stock-kernels';
import { conv2dBackpropFilterWasmConfig } from './wasm-conv2d-backprop-filter';
import { conv2dBackpropInputWasmConfig } from './wasm-conv2d-backprop-input';
import { identityWasmConfig } from './wasm-identity';
import { splitVWasmConfig } from './wasm-split';
import { sumWasmConfig } from './wasm-sum';

export const WASM_TRAINING_KERNELS = [
  conv2dBackpropFilterWasmConfig, // missing in stock wasm
  conv2dBackpropInputWasmConfig, // stock is a direct loop
  maxPoolGradWasmConfig, // stock wrong when channels > 1
  resizeNearestNeighborGradWasmConfig,
  identityWasmConfig, // stock copies the tensor
  splitVWasmConfig, // stock copies the whole input per part
  sumWasmConfig, // stock transposes before reducing leading axes
  ...BATCH_NORM_KERNELS.filter((k) => k.backendName === 'wasm'), // fused training BN (layer patched below)
];

export const CPU_KERNEL_FIXES = [
  resizeNearestNeighborGradCpuConfig, // stock wrong when batch > 1
  conv2dBackpropFilterCpuConfig, // stock is a naive loop
];

/** Only what stock wasm needs to train correctly at all (the 'before' of the speed work, for profiles). */
export const WASM_CORRECTNESS_KERNELS = [conv2dBackpropFilterWasmConfig, maxPoolGradWasmConfig, resizeNearestNeighborGradWasmConfig];

export function registerWasmCorrectnessKernelsOnly(): void {
  WASM_CORRECTNESS_KERNELS.forEach(replaceKernel);
}

let wasmRegistered = false;
let cpuRegistered = false;

export function registerWasmTrainingKernels(): void {
  if (wasmRegistered) return;
  WASM_TRAINING_KERNELS.forEach(replaceKernel);
  registerBatchNormGradient();
  patchBatchNormalizationLayer();
  wasmRegistered = true;
}

export function registerCpuKernelFixes(): void {
  if (cpuRegistered) return;
  CPU_KERNEL_FIXES.forEach(replaceKernel);
  cpuRegistered = true;
}

/** The fused training batch norm on another backend too (cpu: tests and tiny runs). */
export function registerFusedBatchNorm(backendName: 'cpu' | 'wasm'): void {
  BATCH_NORM_KERNELS.filter((k) => k.backendName === backendName).forEach(replaceKernel);
  registerBatchNormGradient();
  patchBatchNormalizationLayer();
}

export { unpatchBatchNormalizationLayer, patchBatchNormalizationLayer } from './batch-norm-layer';
export { stockKernel, withStockKernel } from './stock-kernels';
