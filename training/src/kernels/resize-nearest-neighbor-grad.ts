/**
 * ResizeNearestNeighborGrad (UpSampling2D's gradient) for cpu and wasm. The stock cpu kernel of 4.22 reads dy
 * with the image's batch stride, so it is wrong for batch > 1. This one scatters dy back through exactly the
 * source-pixel mapping of the forward ResizeNearestNeighbor (align corners and half-pixel centers included).
 */
import * as tf from '@tensorflow/tfjs';
import { heapF32, type CpuBackend, type TensorInfo, type WasmBackend } from './backend-access';

type Attrs = { alignCorners: boolean; halfPixelCenters: boolean };
type Inputs = { images: TensorInfo; dy: TensorInfo };

/** Source index of each output index along one axis, as the forward kernel computes it. */
export function nearestSourceIndex(inSize: number, outSize: number, { alignCorners, halfPixelCenters }: Attrs): Int32Array {
  const effectiveIn = alignCorners && outSize > 1 ? inSize - 1 : inSize;
  const effectiveOut = alignCorners && outSize > 1 ? outSize - 1 : outSize;
  const ratio = effectiveIn / effectiveOut;
  const map = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const frac = halfPixelCenters ? ratio * (o + 0.5) : ratio * o;
    let src = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
    if (halfPixelCenters) src = Math.max(0, src);
    map[o] = src;
  }
  return map;
}

/** dx (zeroed by the caller) += dy scattered to its source pixels. */
export function resizeNearestBackprop(dy: Float32Array, dx: Float32Array, imagesShape: number[], dyShape: number[], attrs: Attrs): void {
  const [n, h, w, c] = imagesShape;
  const [, oh, ow] = dyShape;
  const rows = nearestSourceIndex(h, oh, attrs);
  const cols = nearestSourceIndex(w, ow, attrs);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < oh; y++) {
      const dxRow = (b * h + rows[y]) * w;
      let src = ((b * oh + y) * ow) * c;
      for (let x = 0; x < ow; x++, src += c) {
        const dst = (dxRow + cols[x]) * c;
        for (let ch = 0; ch < c; ch++) dx[dst + ch] += dy[src + ch];
      }
    }
  }
}

export function resizeNearestNeighborGradCpu({ inputs, backend, attrs }: { inputs: Inputs; backend: CpuBackend; attrs: Attrs }): TensorInfo {
  const { images, dy } = inputs;
  const dx = new Float32Array(tf.util.sizeFromShape(images.shape));
  resizeNearestBackprop(backend.data.get(dy.dataId).values, dx, images.shape, dy.shape, attrs);
  return backend.makeTensorInfo(images.shape, 'float32', dx);
}

export function resizeNearestNeighborGradWasm({ inputs, backend, attrs }: { inputs: Inputs; backend: WasmBackend; attrs: Attrs }): TensorInfo {
  const { images, dy } = inputs;
  const dx = backend.makeOutput(images.shape, 'float32');
  const dxValues = heapF32(backend, dx);
  dxValues.fill(0);
  resizeNearestBackprop(heapF32(backend, dy), dxValues, images.shape, dy.shape, attrs);
  return dx;
}

export const resizeNearestNeighborGradCpuConfig: tf.KernelConfig = {
  kernelName: 'ResizeNearestNeighborGrad',
  backendName: 'cpu',
  kernelFunc: resizeNearestNeighborGradCpu as unknown as tf.KernelFunc,
};

export const resizeNearestNeighborGradWasmConfig: tf.KernelConfig = {
  kernelName: 'ResizeNearestNeighborGrad',
  backendName: 'wasm',
  kernelFunc: resizeNearestNeighborGradWasm as unknown as tf.KernelFunc,
};
