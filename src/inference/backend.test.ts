/**
 * Backend choice in Node (no WebGPU, no WebGL): a requested backend that cannot start must leave tfjs on
 * a working backend that really computes, never half-switched.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseBackend, probeWebGpu } from './backend';

const require = createRequire(import.meta.url);
const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
const wasmPaths = Object.fromEntries(
  ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map((f) => [f, path.join(wasmDir, f)]),
);

describe('chooseBackend', () => {
  it('says why WebGPU is not used when there is no adapter', async () => {
    const probe = await probeWebGpu();
    expect(probe.hardware).toBe(false);
    expect(probe.reason).toMatch(/WebGPU|adapter/);
  });

  it('falls back from a requested backend that fails and ends on one that computes', async () => {
    const info = await chooseBackend('webgl', wasmPaths);
    expect(info.name).not.toBe('webgl');
    expect(info.skipped.some((s) => s.startsWith('webgl'))).toBe(true);
    expect(tf.getBackend()).toBe(info.name);
    const sum = tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4]));
    expect(Array.from(await sum.data())).toEqual([4, 6]);
    sum.dispose();
  });

  it('honours a requested backend that works', async () => {
    const info = await chooseBackend('cpu', wasmPaths);
    expect(info).toMatchObject({ name: 'cpu', reason: expect.stringContaining('requested') });
    expect(tf.getBackend()).toBe('cpu');
  });
});
