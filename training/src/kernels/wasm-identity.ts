/**
 * Identity for wasm without a copy. The stock kernel copies the whole tensor, and autodiff and the optimizer
 * call it hundreds of times per training step. Tensor memory is never written after its kernel returns (variable
 * assignment swaps the dataId), so sharing it is safe; the cpu backend's Identity does the same.
 */
import type * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from './backend-access';

type Args = { inputs: { x: TensorInfo }; backend: { incRef(dataId: object): void } };

export function identityWasm({ inputs: { x }, backend }: Args): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const identityWasmConfig: tf.KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: identityWasm as unknown as tf.KernelFunc,
};
