// BatchMatMul on oneDNN, transposes included (as strides). The classifier's dense head multiplies by a
// 57,600 x 128 kernel three times per step (forward, dx with b transposed, dW with a transposed); tfjs wasm
// runs the transposed ones outside XNNPACK's fast path. Batch broadcasting and other dtypes go to the wasm kernel.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.js';
import { heapOf, offsetOf, type WasmBackendLike } from './heap.js';
import { delegate, overrideKernel } from './registry.js';

export function registerMatMulKernels(addon: NativeAddon): string[] {
  overrideKernel(tf.BatchMatMul, (args, previous) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    const batchA = a.shape.slice(0, -2);
    const batchB = b.shape.slice(0, -2);
    const sameBatch = batchA.length === batchB.length && batchA.every((d, i) => d === batchB[i]);
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || !sameBatch)
      return delegate(previous, args, 'BatchMatMul handles float32 with equal batch dimensions only');
    const [a0, a1] = a.shape.slice(-2);
    const [b0, b1] = b.shape.slice(-2);
    const [m, k] = transposeA ? [a1, a0] : [a0, a1];
    const [kB, n] = transposeB ? [b1, b0] : [b0, b1];
    if (k !== kB) throw new Error(`BatchMatMul: inner dimensions ${k} and ${kB} of shapes ${a.shape} and ${b.shape} do not match`);
    const backend = args.backend as unknown as WasmBackendLike;
    const out = backend.makeOutput([...batchA, m, n], 'float32');
    const batch = tf.util.sizeFromShape(batchA);
    if (batch * m * n === 0) return out;
    if (k === 0) {
      heapOf(backend).fill(0, offsetOf(backend, out), offsetOf(backend, out) + 4 * batch * m * n);
      return out;
    }
    addon.batchMatMul(heapOf(backend), new Float64Array([
      batch, m, k, n, transposeA ? 1 : 0, transposeB ? 1 : 0, offsetOf(backend, a), offsetOf(backend, b), offsetOf(backend, out),
    ]));
    return out;
  });
  return [tf.BatchMatMul];
}
