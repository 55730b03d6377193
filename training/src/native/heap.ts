// Access to the tfjs wasm backend's heap: tensors live there; the addon reads and writes them in place.
import type { TensorInfo } from '@tensorflow/tfjs';

/** The parts of tfjs-backend-wasm's BackendWasm that the native kernels use. */
export interface WasmBackendLike {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32' | 'int32' | 'bool'): TensorInfo;
}

export function offsetOf(backend: WasmBackendLike, t: TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data) throw new Error('native kernel: tensor is not on the wasm backend');
  return data.memoryOffset;
}

/**
 * Read the heap only after all outputs are allocated: malloc can grow (and replace) the buffer.
 * The view, not its buffer: the threaded wasm build's heap is a SharedArrayBuffer, which N-API
 * does not accept as an ArrayBuffer but does accept behind a typed array.
 */
export function heapOf(backend: WasmBackendLike): Uint8Array {
  return backend.wasm.HEAPU8;
}
