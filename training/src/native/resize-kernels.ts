// UpSampling2D's nearest-neighbour resize and its gradient on both cores, for whole factors without
// align-corners / half-pixel centers (what tfjs-layers uses). Everything else goes to the kernels underneath
// (the portable gradient of src/kernels, wasm's own forward).
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.js';
import { heapOf, offsetOf, type WasmBackendLike } from './heap.js';
import { delegate, overrideKernel } from './registry.js';

type Attrs = { alignCorners: boolean; halfPixelCenters: boolean };

/** [fy, fx] when `large` is `small` scaled by whole factors in the plain nearest mode, else null. */
function wholeFactors(small: number[], large: number[], attrs: Attrs): [number, number] | null {
  if (small.length !== 4 || attrs.alignCorners || attrs.halfPixelCenters) return null;
  const [, h, w] = small;
  const [, oh, ow] = large;
  if (h === 0 || w === 0 || oh % h !== 0 || ow % w !== 0) return null;
  return [oh / h, ow / w];
}

export function registerResizeKernels(addon: NativeAddon): string[] {
  overrideKernel(tf.ResizeNearestNeighbor, (args, previous) => {
    const { images } = args.inputs as { images: TensorInfo };
    const { size, alignCorners, halfPixelCenters } = args.attrs as unknown as tf.ResizeNearestNeighborAttrs;
    const [n, , , c] = images.shape;
    const outShape = [n, size[0], size[1], c];
    const factors = images.dtype === 'float32' ? wholeFactors(images.shape, outShape, { alignCorners, halfPixelCenters }) : null;
    if (!factors || n * c === 0) return delegate(previous, args, 'ResizeNearestNeighbor handles whole-factor float32 upsampling only');
    const backend = args.backend as unknown as WasmBackendLike;
    const out = backend.makeOutput(outShape, 'float32');
    addon.resizeNearestForward(heapOf(backend), new Float64Array([...images.shape, ...factors, offsetOf(backend, images), offsetOf(backend, out)]));
    return out;
  });
  overrideKernel(tf.ResizeNearestNeighborGrad, (args, previous) => {
    const { images, dy } = args.inputs as { images: TensorInfo; dy: TensorInfo };
    const factors = dy.dtype === 'float32' ? wholeFactors(images.shape, dy.shape, args.attrs as unknown as Attrs) : null;
    if (!factors || images.shape[0] * images.shape[3] === 0) return delegate(previous, args, 'ResizeNearestNeighborGrad handles whole-factor float32 only');
    const backend = args.backend as unknown as WasmBackendLike;
    const dx = backend.makeOutput(images.shape, 'float32');
    addon.resizeNearestBackward(heapOf(backend), new Float64Array([...images.shape, ...factors, offsetOf(backend, dx), offsetOf(backend, dy)]));
    return dx;
  });
  return [tf.ResizeNearestNeighbor, tf.ResizeNearestNeighborGrad];
}
