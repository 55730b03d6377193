// Native oneDNN BatchMatMul against the tfjs cpu reference: every transpose combination, batches, odd shapes,
// and the gradients of a dense layer (which multiply with transposed operands).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { loadAddon } from '../../src/native/addon.js';
import { loadNativeKernels, unloadNativeKernels } from '../../src/native/index.js';
import { delegationCount, nativeKernelNames } from '../../src/native/registry.js';
import { randomTensor, relativeError, runCounted, runNatively, runOn } from './helpers.js';

const addon = loadAddon();
const maybe = addon.ok ? describe : describe.skip;

maybe('native BatchMatMul vs cpu', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    expect((await loadNativeKernels()).ok).toBe(true);
    expect(nativeKernelNames()).toContain('BatchMatMul');
  });
  afterAll(() => unloadNativeKernels());

  for (const [transposeA, transposeB] of [[false, false], [true, false], [false, true], [true, true]]) {
    it(`batch 3, 7x5 by 5x9, transposeA ${transposeA}, transposeB ${transposeB}`, async () => {
      const compute = () => {
        const a = randomTensor(transposeA ? [3, 5, 7] : [3, 7, 5], 1);
        const b = randomTensor(transposeB ? [3, 9, 5] : [3, 5, 9], 2);
        return tf.matMul(a, b, transposeA, transposeB);
      };
      const [expected] = await runOn('cpu', compute);
      const [actual] = await runNatively([tf.BatchMatMul], compute);
      expect(expected.length).toBe(3 * 7 * 9);
      expect(relativeError(actual, expected)).toBeLessThan(1e-5);
    });
  }

  it('rank 4 with equal batch dimensions, and a long inner dimension (the classifier head: 57,600)', async () => {
    const compute = () => [
      tf.matMul(randomTensor([2, 3, 4, 6], 3), randomTensor([2, 3, 6, 5], 4)),
      tf.matMul(randomTensor([4, 57600], 5), randomTensor([4, 16], 6), true, false), // dW = x^T dy
    ];
    const expected = await runOn('cpu', compute);
    const actual = await runNatively([tf.BatchMatMul], compute);
    for (let i = 0; i < 2; i++) expect(relativeError(actual[i], expected[i])).toBeLessThan(1e-5);
  });

  it('broadcast batches go to the wasm kernel and still agree', async () => {
    const compute = () => tf.matMul(randomTensor([1, 4, 6], 7), randomTensor([3, 6, 2], 8));
    const { actual, calls } = await runCounted(compute);
    expect(calls(tf.BatchMatMul), 'BatchMatMul ran').toBe(1);
    expect(delegationCount(tf.BatchMatMul), 'BatchMatMul delegated the broadcast').toBe(1);
    expect(relativeError(actual[0], (await runOn('cpu', compute))[0])).toBeLessThan(1e-5);
  });

  it('dense layer with bias and relu: forward and the gradients of input, kernel and bias', async () => {
    const compute = () => {
      const x = randomTensor([4, 300], 9), w = randomTensor([300, 17], 10), bias = randomTensor([17], 11);
      const r = randomTensor([4, 17], 12);
      const f = (a: tf.Tensor, k: tf.Tensor, c: tf.Tensor) => tf.fused.matMul({ a: a as tf.Tensor2D, b: k as tf.Tensor2D, bias: c, activation: 'relu' });
      const grads = tf.grads((a: tf.Tensor, k: tf.Tensor, c: tf.Tensor) => f(a, k, c).mul(r).sum())([x, w, bias]);
      return [f(x, w, bias), ...grads];
    };
    const expected = await runOn('cpu', compute);
    const actual = await runNatively([tf.BatchMatMul], compute); // the gradients multiply with BatchMatMul
    ['y', 'dx', 'dw', 'dbias'].forEach((name, i) => expect(relativeError(actual[i], expected[i]), name).toBeLessThan(1e-5));
  });
});
