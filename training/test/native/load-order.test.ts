// The backend ladder loads the native kernels before it starts the wasm backend: kernels they delegate to
// (stock wasm ones, bound in their setupFunc at backend start) must still work then.
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadAddon } from '../../src/native/addon.js';
import { loadNativeKernels, unloadNativeKernels } from '../../src/native/index.js';

const maybe = loadAddon().ok ? describe : describe.skip;

maybe('native kernels registered before the wasm backend starts', () => {
  afterAll(() => unloadNativeKernels());

  it('delegated broadcasts and native ops both run', async () => {
    expect((await loadNativeKernels()).ok).toBe(true);
    expect(await tf.setBackend('wasm')).toBe(true);
    const sum = tf.add(tf.tensor2d([[1, 2, 3], [4, 5, 6]]), tf.tensor1d([10, 20, 30])); // broadcast: stock wasm Add
    expect(Array.from(await sum.data())).toEqual([11, 22, 33, 14, 25, 36]);
    const product = tf.mul(tf.tensor1d([1, 2, 3]), tf.tensor1d([4, 5, 6])); // native
    expect(Array.from(await product.data())).toEqual([4, 10, 18]);
  });
});
