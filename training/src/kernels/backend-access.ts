/**
 * Typed access to the parts of the tfjs 4.22 wasm and cpu backends that custom kernels need.
 * The backends do not export these types; the shapes below are what 4.22 really has (checked in the tests).
 */
import * as tf from '@tensorflow/tfjs';

export type TensorInfo = tf.TensorInfo;
type Attrs = Record<string, unknown>;

export interface WasmBackend {
  wasm: { HEAPU8: Uint8Array; wasmMemory?: { buffer: ArrayBufferLike } };
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

/**
 * The wasm heap as it is now. With threads the heap is a SharedArrayBuffer that growth replaces without
 * detaching the old one, so read the memory's own buffer rather than a view that may predate the growth.
 */
export function heapBuffer(backend: WasmBackend): ArrayBufferLike {
  return backend.wasm.wasmMemory?.buffer ?? backend.wasm.HEAPU8.buffer;
}

/** A float32 view of a wasm tensor's heap memory. Take it again after any allocation: the heap can grow. */
export function heapF32(backend: WasmBackend, info: TensorInfo): Float32Array {
  const { memoryOffset } = backend.dataIdMap.get(info.dataId);
  return new Float32Array(heapBuffer(backend), memoryOffset, tf.util.sizeFromShape(info.shape));
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
