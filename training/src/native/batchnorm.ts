// Batch normalization in training mode on oneDNN. The kernel pair, its gradient and the BatchNormalization
// layer patch are the portable ones (kernels/batch-norm-*.ts); here only the two kernels are replaced on the
// wasm backend by native ones, so there is one routing and one gradient for every backend.
import type { TensorInfo } from '@tensorflow/tfjs';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from '../kernels/batch-norm-training.js';
import type { NativeAddon } from './addon.js';
import { heapOf, offsetOf, type WasmBackendLike } from './heap.js';
import { overrideKernel } from './registry.js';

interface BnAttrs { epsilon: number }

function rowsAndChannels(shape: number[]): [number, number] {
  const c = shape[shape.length - 1];
  return [shape.reduce((a, b) => a * b, 1) / c, c];
}

/** Three float32 outputs on the wasm heap: one shaped like x, two per channel (mean/variance or dgamma/dbeta). */
function makeOutputs(backend: WasmBackendLike, shape: number[], c: number): [TensorInfo, TensorInfo, TensorInfo] {
  return [backend.makeOutput(shape, 'float32'), backend.makeOutput([c], 'float32'), backend.makeOutput([c], 'float32')];
}

/** Replaces the portable training batch-norm kernels (registered with the wasm training kernels) by oneDNN's. */
export function registerBatchNormKernels(addon: NativeAddon): string[] {
  overrideKernel(BATCH_NORM_TRAIN, ({ inputs, backend: b, attrs }) => {
    const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
    const backend = b as unknown as WasmBackendLike;
    const [m, c] = rowsAndChannels(x.shape);
    const [y, mean, variance] = makeOutputs(backend, x.shape, c);
    addon.batchnormTrainForward(heapOf(backend), new Float64Array([
      m, c, (attrs as unknown as BnAttrs).epsilon, offsetOf(backend, x), offsetOf(backend, gamma), offsetOf(backend, beta),
      offsetOf(backend, y), offsetOf(backend, mean), offsetOf(backend, variance),
    ]));
    return [y, mean, variance];
  });
  overrideKernel(BATCH_NORM_TRAIN_GRAD, ({ inputs, backend: b, attrs }) => {
    const { dy, x, gamma, mean, variance } = inputs as Record<string, TensorInfo>;
    const backend = b as unknown as WasmBackendLike;
    const [m, c] = rowsAndChannels(x.shape);
    const [dx, dgamma, dbeta] = makeOutputs(backend, x.shape, c);
    addon.batchnormTrainBackward(heapOf(backend), new Float64Array([
      m, c, (attrs as unknown as BnAttrs).epsilon, offsetOf(backend, x), offsetOf(backend, dy), offsetOf(backend, gamma),
      offsetOf(backend, mean), offsetOf(backend, variance), offsetOf(backend, dx), offsetOf(backend, dgamma),
      offsetOf(backend, dbeta),
    ]));
    return [dx, dgamma, dbeta];
  });
  return [BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD];
}
