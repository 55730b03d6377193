// MaxPoolGrad on the native side: stock wasm 4.22's is wrong when channels > 1, and the op is heavy.
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.js';
import { heapOf, offsetOf, type WasmBackendLike } from './heap.js';
import { delegate, overrideKernel } from './registry.js';

export function registerPoolKernels(addon: NativeAddon): string[] {
  overrideKernel(tf.MaxPoolGrad, (args, previous) => {
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as tf.MaxPoolGradAttrs;
    if (input.dtype !== 'float32' || input.shape.length !== 4) return delegate(previous, args, 'MaxPoolGrad supports 4-D float32 only');
    const backend = args.backend as unknown as WasmBackendLike;
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const dx = backend.makeOutput(input.shape, 'float32');
    addon.maxpoolBackward(heapOf(backend), new Float64Array([
      info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
      info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left,
      offsetOf(backend, input), offsetOf(backend, dy), offsetOf(backend, dx),
    ]));
    return dx;
  });
  return [tf.MaxPoolGrad];
}
