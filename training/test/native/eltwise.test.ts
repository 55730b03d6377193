// Native element-wise kernels and the ReLU gradient against the tfjs cpu reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { loadAddon } from '../../src/native/addon.js';
import { loadNativeKernels, unloadNativeKernels } from '../../src/native/index.js';
import { KernelTimer } from '../../src/native/kernel-timer.js';
import { nativeKernelNames } from '../../src/native/registry.js';
import { randomTensor, relativeError, runOn } from './helpers.js';

const maybe = loadAddon().ok ? describe : describe.skip;

maybe('native element-wise kernels vs cpu', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    expect((await loadNativeKernels()).ok).toBe(true);
  });
  afterAll(() => unloadNativeKernels());

  const shapes: [number[], number[]][] = [
    [[3, 70, 50, 4], [3, 70, 50, 4]], // large enough to run threaded
    [[5, 7], []], // scalar right
    [[], [5, 7]], // scalar left
    [[1], [2, 3]], // size-1 tensor broadcast
    [[2, 3], [3]], // real broadcast: delegated to wasm
    [[4, 1, 3], [1, 5, 1]],
  ];
  for (const [sa, sb] of shapes) {
    it(`add/sub/mul/div ${JSON.stringify(sa)} with ${JSON.stringify(sb)}`, async () => {
      const compute = () => {
        const a = randomTensor(sa, 51), b = randomTensor(sb, 52).add(3); // keep divisors away from 0
        return [tf.add(a, b), tf.sub(a, b), tf.mul(a, b), tf.div(a, b)];
      };
      const expected = await runOn('cpu', compute);
      const actual = await runOn('wasm', compute);
      for (let i = 0; i < 4; i++) expect(relativeError(actual[i], expected[i]), `op ${i}`).toBeLessThan(1e-6);
    });
  }

  it('relu, its gradient and step (with alpha, zeros, -0 and NaN)', async () => {
    const compute = () => {
      const x = tf.concat([randomTensor([40000], 53), tf.tensor1d([0, -0, NaN, 1, -1])]);
      const dy = randomTensor(x.shape, 54);
      return [tf.grad((v: tf.Tensor) => tf.relu(v).mul(dy).sum())(x), tf.step(x), tf.step(x, 0.3), tf.relu(x)];
    };
    const expected = await runOn('cpu', compute);
    const timer = new KernelTimer('wasm');
    timer.start();
    const actual = await runOn('wasm', compute).finally(() => timer.stop());
    expect(timer.times.LggNativeReluGrad?.calls, 'native relu gradient ran').toBe(1);
    expect(nativeKernelNames()).toContain('Relu');
    for (let i = 0; i < 4; i++) {
      expect(Array.from(actual[i]).map((v) => (Number.isNaN(v) ? 'NaN' : v)), `output ${i}`)
        .toEqual(Array.from(expected[i]).map((v) => (Number.isNaN(v) ? 'NaN' : v)));
    }
  });
});
