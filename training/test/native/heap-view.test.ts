// The threaded wasm build keeps its heap in a SharedArrayBuffer, which N-API refuses as an ArrayBuffer:
// the kernels hand the addon the heap's Uint8Array view instead (heapOf), which it accepts either way.
import { describe, expect, it } from 'vitest';
import { loadAddon } from '../../src/native/addon.js';
import { heapOf, type WasmBackendLike } from '../../src/native/heap.js';

const loaded = loadAddon();
const maybe = loaded.ok ? describe : describe.skip;

function heapWith(buffer: ArrayBufferLike): { heap: Uint8Array; backend: WasmBackendLike } {
  const heap = new Uint8Array(buffer);
  return { heap, backend: { wasm: { HEAPU8: heap } } as unknown as WasmBackendLike };
}

maybe('native heap access', () => {
  const addon = loaded.ok ? loaded.addon : (undefined as never);
  // concatRows: 1 outer row, two pieces of 2 floats at byte 0 and 8, output at byte 16.
  const params = new Float64Array([1, 2, 0, 2, 8, 2, 16]);

  for (const [name, make] of [['ArrayBuffer', () => new ArrayBuffer(32)], ['SharedArrayBuffer', () => new SharedArrayBuffer(32)]] as const) {
    it(`reads and writes a heap in a ${name} through its view`, () => {
      const { heap, backend } = heapWith(make());
      new Float32Array(heap.buffer).set([1, 2, 3, 4]);
      addon.concatRows(heapOf(backend), params);
      expect(Array.from(new Float32Array(heap.buffer, 16, 4))).toEqual([1, 2, 3, 4]);
    });
  }

  it('the bare SharedArrayBuffer is refused (why heapOf returns the view)', () => {
    const { heap } = heapWith(new SharedArrayBuffer(32));
    expect(() => addon.concatRows(heap.buffer, params)).toThrow(/expected \(heap/);
  });
});
