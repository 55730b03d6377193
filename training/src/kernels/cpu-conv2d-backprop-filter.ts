/**
 * Conv2DBackpropFilter for cpu: the stock kernel is a naive 7-deep loop. Same scheme as the wasm kernel:
 * transposed im2col (contiguous row copies) and the backend's blocked matmul. Tests and tiny runs use cpu.
 */
import type * as tf from '@tensorflow/tfjs';
import { runKernel, type CpuBackend, type TensorInfo } from './backend-access';
import { columnChunks, convInfoFor, fillColumnsTransposed, type ConvAttrs } from './conv-geometry';

type Args = { inputs: { x: TensorInfo; dy: TensorInfo }; backend: CpuBackend; attrs: ConvAttrs & { filterShape: number[] } };

export function conv2dBackpropFilterCpu({ inputs, backend, attrs }: Args): TensorInfo {
  const { x, dy } = inputs;
  const info = convInfoFor(x.shape, attrs.filterShape, attrs);
  const { filterHeight: kh, filterWidth: kw, inChannels: ci, outChannels: co } = info;
  const k = kh * kw * ci;
  const m = info.batchSize * info.outHeight * info.outWidth;
  const planes = runKernel('Transpose', 'cpu', backend, { x }, { perm: [3, 0, 1, 2] });
  const planeValues = backend.data.get(planes.dataId).values;
  const dy2d: TensorInfo = { dataId: dy.dataId, shape: [m, co], dtype: 'float32' };
  const out = new Float32Array(k * co);
  for (const [k0, k1] of columnChunks(k, m)) {
    const cols = new Float32Array((k1 - k0) * m);
    fillColumnsTransposed(planeValues, 0, cols, 0, info, k0, k1);
    const a = backend.makeTensorInfo([k1 - k0, m], 'float32', cols);
    const product = runKernel('BatchMatMul', 'cpu', backend, { a, b: dy2d }, { transposeA: false, transposeB: false });
    out.set(backend.data.get(product.dataId).values.subarray(0, (k1 - k0) * co), k0 * co);
    backend.disposeIntermediateTensorInfo(product);
    backend.disposeIntermediateTensorInfo(a);
  }
  backend.disposeIntermediateTensorInfo(planes);
  return backend.makeTensorInfo(attrs.filterShape, 'float32', out);
}

export const conv2dBackpropFilterCpuConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'cpu',
  kernelFunc: conv2dBackpropFilterCpu as unknown as tf.KernelFunc,
};
