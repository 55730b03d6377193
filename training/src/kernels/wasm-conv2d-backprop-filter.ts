/**
 * Conv2DBackpropFilter for wasm (stock tfjs 4.22 has none, so convnets cannot train there).
 * dW[K, CO] = colsT[K, M] x dy[M, CO] with K = kh*kw*ci and M = n*oh*ow: the transposed im2col is filled with
 * contiguous row copies from x transposed to [C, N, H, W], and the product runs in the backend's own XNNPACK
 * matmul (its fast path needs untransposed operands, which is why the columns are built transposed).
 * 1x1 stride-1 convolutions skip im2col: the transposed x already is colsT.
 */
import type * as tf from '@tensorflow/tfjs';
import { heapBuffer, heapF32, reshapeWasm, runKernel, type TensorInfo, type WasmBackend } from './backend-access';
import { columnChunks, convInfoFor, fillColumnsTransposed, type ConvAttrs } from './conv-geometry';

type Args = { inputs: { x: TensorInfo; dy: TensorInfo }; backend: WasmBackend; attrs: ConvAttrs & { filterShape: number[] } };

export function conv2dBackpropFilterWasm({ inputs, backend, attrs }: Args): TensorInfo {
  const { x, dy } = inputs;
  const info = convInfoFor(x.shape, attrs.filterShape, attrs);
  const { filterHeight: kh, filterWidth: kw, inChannels: ci, outChannels: co } = info;
  const k = kh * kw * ci;
  const m = info.batchSize * info.outHeight * info.outWidth;

  const planes = runKernel('Transpose', 'wasm', backend, { x }, { perm: [3, 0, 1, 2] });
  const dy2d = reshapeWasm(backend, dy, [m, co]);
  try {
    const pointwise = kh === 1 && kw === 1 && info.strideHeight === 1 && info.strideWidth === 1 &&
      info.padInfo.top === 0 && info.padInfo.left === 0 && info.outHeight === info.inHeight && info.outWidth === info.inWidth;
    if (pointwise) {
      const a = reshapeWasm(backend, planes, [ci, m]);
      const product = runKernel('BatchMatMul', 'wasm', backend, { a, b: dy2d }, { transposeA: false, transposeB: false });
      backend.disposeData(a.dataId);
      const out = reshapeWasm(backend, product, attrs.filterShape);
      backend.disposeData(product.dataId);
      return out;
    }
    const out = backend.makeOutput(attrs.filterShape, 'float32');
    for (const [k0, k1] of columnChunks(k, m)) {
      const cols = backend.makeOutput([k1 - k0, m], 'float32');
      const heap = new Float32Array(heapBuffer(backend));
      fillColumnsTransposed(heap, offsetOf(backend, planes), heap, offsetOf(backend, cols), info, k0, k1);
      const product = runKernel('BatchMatMul', 'wasm', backend, { a: cols, b: dy2d }, { transposeA: false, transposeB: false });
      heapF32(backend, out).set(heapF32(backend, { ...product, shape: [(k1 - k0) * co] }), k0 * co);
      backend.disposeData(product.dataId);
      backend.disposeData(cols.dataId);
    }
    return out;
  } finally {
    backend.disposeData(planes.dataId);
    backend.disposeData(dy2d.dataId);
  }
}

function offsetOf(backend: WasmBackend, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset / 4;
}

export const conv2dBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilterWasm as unknown as tf.KernelFunc,
};
