// Concat and SplitV (Concat's gradient) as chunk copies: the wasm kernels copy channel slices element-wise.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.js';
import { heapOf, offsetOf, type WasmBackendLike } from './heap.js';
import { delegate, overrideKernel } from './registry.js';

const product = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

export function registerCopyKernels(addon: NativeAddon): string[] {
  overrideKernel(tf.Concat, (args, previous) => {
    const inputs = Object.values(args.inputs) as TensorInfo[];
    const axis = tf.util.parseAxisParam((args.attrs as unknown as tf.ConcatAttrs).axis, inputs[0].shape)[0];
    const parts = inputs.filter((t) => product(t.shape) > 0);
    if (parts.length < 2 || parts.some((t) => t.dtype !== 'float32')) return delegate(previous, args, 'Concat handles 2+ non-empty float32 inputs');
    const backend = args.backend as unknown as WasmBackendLike;
    const outShape = tf.backend_util.computeOutShape(inputs.map((t) => t.shape), axis);
    const out = backend.makeOutput(outShape, 'float32');
    const outer = product(outShape.slice(0, axis));
    const params = [outer, parts.length];
    for (const t of parts) params.push(offsetOf(backend, t), product(t.shape.slice(axis)));
    params.push(offsetOf(backend, out));
    addon.concatRows(heapOf(backend), new Float64Array(params));
    return out;
  });

  overrideKernel(tf.SplitV, (args, previous) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { numOrSizeSplits, axis: axisAttr } = args.attrs as unknown as tf.SplitVAttrs;
    if (x.dtype !== 'float32' || product(x.shape) === 0) return delegate(previous, args, 'SplitV handles non-empty float32');
    const axis = tf.util.parseAxisParam(axisAttr, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x, numOrSizeSplits, axis);
    const backend = args.backend as unknown as WasmBackendLike;
    const inner = product(x.shape.slice(axis + 1));
    const outs = sizes.map((size) => {
      const shape = x.shape.slice();
      shape[axis] = size;
      return backend.makeOutput(shape, 'float32');
    });
    const params = [product(x.shape.slice(0, axis)), outs.length];
    outs.forEach((t, i) => params.push(offsetOf(backend, t), sizes[i] * inner));
    params.push(offsetOf(backend, x));
    addon.splitRows(heapOf(backend), new Float64Array(params));
    return outs;
  });
  return [tf.Concat, tf.SplitV];
}
