/**
 * MaxPoolGrad for wasm: the stock 4.22 kernel is wrong when channels > 1. Gradient goes to the first maximum of
 * each window in scan order, as the cpu backend and TensorFlow do. Plain JS on the wasm heap, channels innermost.
 */
import * as tf from '@tensorflow/tfjs';
import { heapF32, type TensorInfo, type WasmBackend } from './backend-access';

type PoolAttrs = { filterSize: number | [number, number]; strides: number | [number, number]; pad: 'valid' | 'same' | number; dimRoundingMode?: 'floor' | 'round' | 'ceil' };
type Args = { inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo }; backend: WasmBackend; attrs: PoolAttrs };

let best = new Float32Array(0);
let bestAt = new Int32Array(0);

/** dx (zeroed by the caller) += dy routed to each window's first maximum of x. */
export function maxPoolBackprop(x: Float32Array, dy: Float32Array, dx: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const { dilationHeight: dh, dilationWidth: dw } = info;
  const pt = info.padInfo.top, pl = info.padInfo.left;
  if (best.length < c) { best = new Float32Array(c); bestAt = new Int32Array(c); }
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        best.fill(-Infinity, 0, c);
        bestAt.fill(-1, 0, c);
        for (let fy = 0; fy < fh; fy += dh) {
          const iy = oy * sh - pt + fy;
          if (iy < 0 || iy >= h) continue;
          for (let fx = 0; fx < fw; fx += dw) {
            const ix = ox * sw - pl + fx;
            if (ix < 0 || ix >= w) continue;
            const base = ((b * h + iy) * w + ix) * c;
            for (let ch = 0; ch < c; ch++) {
              const v = x[base + ch];
              if (v > best[ch] || bestAt[ch] < 0) { best[ch] = v; bestAt[ch] = base + ch; }
            }
          }
        }
        const dyBase = ((b * oh + oy) * ow + ox) * c;
        for (let ch = 0; ch < c; ch++) if (bestAt[ch] >= 0) dx[bestAt[ch]] += dy[dyBase + ch];
      }
    }
  }
}

export function maxPoolGradWasm({ inputs, backend, attrs }: Args): TensorInfo {
  const { dy, input } = inputs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const dx = backend.makeOutput(input.shape, 'float32');
  const dxValues = heapF32(backend, dx);
  dxValues.fill(0);
  maxPoolBackprop(heapF32(backend, input), heapF32(backend, dy), dxValues, info);
  return dx;
}

export const maxPoolGradWasmConfig: tf.KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGradWasm as unknown as tf.KernelFunc,
};
