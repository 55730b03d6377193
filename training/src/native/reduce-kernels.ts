// Sum and Mean over leading axes (incl. full reductions) natively; other axis sets go to the wasm kernel.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.js';
import { heapOf, offsetOf, type WasmBackendLike } from './heap.js';
import { delegate, overrideKernel } from './registry.js';

function reduction(addon: NativeAddon, mean: boolean) {
  return (args: Parameters<tf.KernelFunc>[0], previous: tf.KernelFunc | undefined) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.every((a, i) => a === i);
    if (x.dtype !== 'float32' || !leading || tf.util.sizeFromShape(x.shape) === 0) {
      return delegate(previous, args, `${mean ? 'Mean' : 'Sum'} handles float32 over leading axes only`);
    }
    const backend = args.backend as unknown as WasmBackendLike;
    const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
    const kept = x.shape.slice(axes.length);
    const out = backend.makeOutput(keepDims ? [...axes.map(() => 1), ...kept] : kept, 'float32');
    addon.sumLeading(heapOf(backend), new Float64Array([
      rows, tf.util.sizeFromShape(kept), mean ? 1 / rows : 1, offsetOf(backend, x), offsetOf(backend, out),
    ]));
    return out;
  };
}

export function registerReduceKernels(addon: NativeAddon): string[] {
  overrideKernel(tf.Sum, reduction(addon, false));
  overrideKernel(tf.Mean, reduction(addon, true));
  return [tf.Sum, tf.Mean];
}
