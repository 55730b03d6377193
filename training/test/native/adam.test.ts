// The native Adam update against tfjs's AdamOptimizer on the cpu reference: weights and moments after steps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { loadAddon } from '../../src/native/addon.js';
import { loadNativeKernels, unloadNativeKernels } from '../../src/native/index.js';
import { KernelTimer } from '../../src/native/kernel-timer.js';
import { randomTensor, relativeError, runOn } from './helpers.js';

const maybe = loadAddon().ok ? describe : describe.skip;

maybe('native Adam vs cpu', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    expect((await loadNativeKernels()).ok).toBe(true);
  });
  afterAll(() => unloadNativeKernels());

  for (const [lr, epsilon] of [[0.01, 0.1], [0.001, 1e-7]]) {
    it(`5 steps, lr ${lr}, epsilon ${epsilon}, arrays and named maps`, async () => {
      const compute = () => {
        const shapes = [[3, 3, 4, 8], [40000], [7]];
        const vars = shapes.map((s, i) => tf.variable(randomTensor(s, 60 + i), true, `adam_test_${i}_${tf.getBackend()}_${lr}`));
        const opt = tf.train.adam(lr, 0.9, 0.999, epsilon);
        for (let step = 0; step < 5; step++) {
          const grads = vars.map((v, i) => randomTensor(v.shape, 100 * step + i).mul(step === 2 ? 1e-6 : 1));
          if (step % 2 === 0) opt.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: grads[i] })));
          else opt.applyGradients(Object.fromEntries(vars.map((v, i) => [v.name, grads[i]])) as tf.NamedTensorMap as never);
          tf.dispose(grads);
        }
        const moments = (opt as unknown as { accumulatedFirstMoment: { variable: tf.Variable }[]; accumulatedSecondMoment: { variable: tf.Variable }[] });
        const out = [...vars.map((v) => v.clone()), ...moments.accumulatedFirstMoment.map((m) => m.variable.clone()),
          ...moments.accumulatedSecondMoment.map((m) => m.variable.clone())];
        opt.dispose();
        tf.dispose(vars);
        return out;
      };
      const expected = await runOn('cpu', compute);
      const timer = new KernelTimer('wasm');
      timer.start();
      const actual = await runOn('wasm', compute).finally(() => timer.stop());
      expect(timer.times.LggNativeAdamUpdate?.calls, 'native Adam ran').toBe(15);
      for (let i = 0; i < expected.length; i++) expect(relativeError(actual[i], expected[i]), `output ${i}`).toBeLessThan(1e-6);
    });
  }
});
