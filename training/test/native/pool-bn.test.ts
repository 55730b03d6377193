// Native MaxPoolGrad and the fused training-mode batch norm against the tfjs cpu reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { loadAddon } from '../../src/native/addon.js';
import { loadNativeKernels, unloadNativeKernels } from '../../src/native/index.js';
import { KernelTimer } from '../../src/native/kernel-timer.js';
import { nativeKernelNames } from '../../src/native/registry.js';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from '../../src/kernels/batch-norm-training.js';
import { randomTensor, relativeError, runOn } from './helpers.js';

const addon = loadAddon();
const maybe = addon.ok ? describe : describe.skip;

maybe('native pooling and batch norm vs cpu', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    expect((await loadNativeKernels()).ok).toBe(true);
  });
  afterAll(() => unloadNativeKernels());

  const poolCases: { x: number[]; size: number; stride: number; pad: 'valid' | 'same' }[] = [
    { x: [2, 8, 8, 5], size: 2, stride: 2, pad: 'valid' },
    { x: [3, 9, 7, 4], size: 2, stride: 2, pad: 'same' },
    { x: [2, 9, 9, 3], size: 3, stride: 2, pad: 'same' }, // overlapping windows
    { x: [1, 7, 6, 2], size: 3, stride: 1, pad: 'valid' },
    { x: [2, 9, 7, 6], size: 2, stride: 2, pad: 'valid' }, // the 2x2 path with an odd last row and column
  ];
  for (const c of poolCases) {
    it(`max pool gradient ${JSON.stringify(c)}`, async () => {
      const compute = () => {
        const x = randomTensor(c.x, 11);
        const f = (a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, c.size, c.stride, c.pad);
        const r = randomTensor(f(x).shape, 12);
        return [f(x), tf.grad((a: tf.Tensor) => f(a).mul(r).sum())(x)];
      };
      const expected = await runOn('cpu', compute);
      const actual = await runOn('wasm', compute);
      expect(relativeError(actual[0], expected[0])).toBe(0);
      expect(relativeError(actual[1], expected[1])).toBeLessThan(1e-6);
    });
  }

  it('max pool gradient after a ReLU: tied zeros go to the first position of each window, as on cpu', async () => {
    const compute = () => {
      const x = tf.relu(randomTensor([2, 10, 8, 5], 13));
      const f = (a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid');
      const r = randomTensor(f(x).shape, 14);
      return tf.grad((a: tf.Tensor) => f(a).mul(r).sum())(x);
    };
    expect(relativeError((await runOn('wasm', compute))[0], (await runOn('cpu', compute))[0])).toBe(0);
  });

  const bnCases: [number[], number][] = [[[2, 5, 7, 3], 0.5], [[3, 4, 4, 16], 0.5], [[6, 10], 0.5], [[4, 6, 5, 8], 1000], [[2, 32, 32, 16], 0.5]];
  for (const [shape, offset] of bnCases) {
    it(`batch norm layer in training: values, gradients, moving stats, shape ${shape}, mean ~${offset}`, async () => {
      const c = shape[shape.length - 1];
      const compute = () => {
        const layer = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-3 });
        layer.build(shape);
        layer.setWeights([randomTensor([c], 21).add(1), randomTensor([c], 22), randomTensor([c], 23), randomTensor([c], 24).abs()]);
        const x = randomTensor(shape, 25).mul(3).add(offset);
        const r = randomTensor(shape, 26);
        const [gamma, beta] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
        const { value, grads } = tf.variableGrads(() =>
          (layer.apply(x, { training: true }) as tf.Tensor).mul(r).sum() as tf.Scalar, layer.trainableWeights.map((w) => w.read() as tf.Variable));
        const dx = tf.grad((a: tf.Tensor) => (layer.apply(a, { training: true }) as tf.Tensor).mul(r).sum())(x);
        const y = layer.apply(x, { training: true }) as tf.Tensor;
        const out = [y, dx, grads[gamma.name], grads[beta.name], ...layer.getWeights().slice(2), value];
        return out;
      };
      const expected = await runOn('cpu', compute);
      const timer = new KernelTimer('wasm');
      timer.start();
      const actual = await runOn('wasm', compute).finally(() => timer.stop());
      // The fused kernels ran, and on wasm they are the native (oneDNN) ones, not the portable ones.
      expect(nativeKernelNames()).toEqual(expect.arrayContaining([BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD]));
      expect(timer.times[BATCH_NORM_TRAIN_GRAD]?.calls, 'the fused native gradient ran').toBeGreaterThan(0);
      const names = ['y', 'dx', 'dgamma', 'dbeta', 'movingMean', 'movingVariance', 'loss'];
      for (let i = 0; i < names.length; i++) expect(relativeError(actual[i], expected[i]), names[i]).toBeLessThan(2e-5);
    });
  }
});

maybe('native concat and split vs cpu', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    expect((await loadNativeKernels()).ok).toBe(true);
  });
  afterAll(() => unloadNativeKernels());

  for (const axis of [-1, 1, 0]) {
    it(`concat of 3 tensors on axis ${axis} and its gradient (SplitV)`, async () => {
      const compute = () => {
        const a = randomTensor([2, 5, 3, 4], 31), b = randomTensor([2, 5, 3, 4], 32), c = randomTensor([2, 5, 3, 4], 33);
        const f = (p: tf.Tensor, q: tf.Tensor, s: tf.Tensor) => tf.concat([p, q.slice([0, 0, 0, 0], [2, 5, 3, 3]), s], axis === 1 ? 1 : axis);
        const y = axis === -1 ? f(a, b, c) : tf.concat([a, b, c], axis);
        const r = randomTensor(y.shape, 34);
        const grads = axis === -1
          ? tf.grads((p: tf.Tensor, q: tf.Tensor, s: tf.Tensor) => f(p, q, s).mul(r).sum())([a, b, c])
          : tf.grads((p: tf.Tensor, q: tf.Tensor, s: tf.Tensor) => tf.concat([p, q, s], axis).mul(r).sum())([a, b, c]);
        return [y, ...grads, ...tf.split(y, axis === -1 ? [4, 3, 4] : 3, axis)];
      };
      const expected = await runOn('cpu', compute);
      const actual = await runOn('wasm', compute);
      expect(actual.length).toBe(expected.length);
      for (let i = 0; i < expected.length; i++) expect(relativeError(actual[i], expected[i]), `output ${i}`).toBe(0);
    });
  }
});

maybe('native sum and mean vs cpu', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    expect((await loadNativeKernels()).ok).toBe(true);
  });
  afterAll(() => unloadNativeKernels());

  const cases: [number[], number | number[] | undefined, boolean][] = [
    [[3, 7, 5, 6], [0, 1, 2], false], // conv bias gradient
    [[3, 7, 5, 6], [0, 1, 2], true],
    [[4, 9], 0, false],
    [[1001, 3], undefined, false], // full reduction
    [[5, 4, 3], [1, 0], true],
    [[5, 4, 3], 2, false], // not leading: delegated to wasm
  ];
  for (const [shape, axis, keepDims] of cases) {
    it(`sum/mean of ${shape} over ${axis} keepDims ${keepDims}`, async () => {
      const compute = () => {
        const x = randomTensor(shape, 41);
        return [tf.sum(x, axis, keepDims), tf.mean(x, axis, keepDims), tf.grad((a: tf.Tensor) => tf.sum(a, axis).mul(2).sum())(x)];
      };
      const expected = await runOn('cpu', compute);
      const actual = await runOn('wasm', compute);
      for (let i = 0; i < expected.length; i++) expect(relativeError(actual[i], expected[i]), `output ${i}`).toBeLessThan(1e-6);
    });
  }
});
