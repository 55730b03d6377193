/**
 * Typed access to the parts of the tfjs 4.22 wasm and cpu backends that custom kernels need.
 * The backends do not export these types; the shapes below are what 4.22 really has (checked in the tests).
 */
import * as tf from '@tensorflow/tfjs';

export type TensorInfo = tf.TensorInfo;
type Attrs = Record<string, unknown>;

export interface WasmBackend {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } };
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  disposeData(dataId: object): boolean;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

export interface CpuBackend {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): TensorInfo;
  disposeIntermediateTensorInfo(info: TensorInfo): void;
}

/** A float32 view of a wasm tensor's heap memory. Take it again after any allocation: the heap can grow and detach it. */
export function heapF32(backend: WasmBackend, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info);
}

/** Runs whichever kernel is registered now for `backendName` (ours or stock) on tensor infos, without the engine. */
export function runKernel(name: string, backendName: string, backend: unknown, inputs: Record<string, TensorInfo>, attrs: Attrs = {}): TensorInfo {
  const kernel = tf.getKernel(name, backendName);
  if (!kernel) throw new Error(`kernel ${name} is not registered for ${backendName}`);
  return kernel.kernelFunc({ inputs, attrs, backend } as never) as TensorInfo;
}

/** The same memory seen with another shape (wasm Reshape only counts a reference). Dispose it like any output. */
export function reshapeWasm(backend: WasmBackend, x: TensorInfo, shape: number[]): TensorInfo {
  return runKernel('Reshape', 'wasm', backend, { x }, { shape });
}
