// Native oneDNN convolutions against the tfjs cpu reference: values and both gradients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { loadAddon } from '../../src/native/addon.js';
import { loadNativeKernels, unloadNativeKernels } from '../../src/native/index.js';
import { randomTensor, relativeError, runNatively, runOn } from './helpers.js';

const addon = loadAddon();
const maybe = addon.ok ? describe : describe.skip;
if (!addon.ok) console.warn(`native conv tests skipped: ${addon.reason}`);

interface Case {
  name: string; x: [number, number, number, number]; k: [number, number, number, number];
  strides: [number, number] | number; pad: 'valid' | 'same'; dilations?: number;
}
const cases: Case[] = [
  { name: '3x3 valid, batch 2', x: [2, 9, 7, 3], k: [3, 3, 3, 5], strides: 1, pad: 'valid' },
  { name: '3x3 same, batch 3, odd sizes', x: [3, 11, 6, 4], k: [3, 3, 4, 7], strides: 1, pad: 'same' },
  { name: '1x1 stride 2 same', x: [2, 9, 9, 6], k: [1, 1, 6, 8], strides: 2, pad: 'same' },
  { name: '3x3 stride 2 valid', x: [2, 10, 9, 3], k: [3, 3, 3, 4], strides: [2, 2], pad: 'valid' },
  { name: '5x3 stride (2,1) same', x: [1, 13, 8, 2], k: [5, 3, 2, 3], strides: [2, 1], pad: 'same' },
  { name: 'wide channels 3x3 same', x: [2, 8, 8, 32], k: [3, 3, 32, 64], strides: 1, pad: 'same' },
];

const CONV_KERNELS = [tf.Conv2D, tf.Conv2DBackpropInput, tf.Conv2DBackpropFilter];
const FUSED_CONV_KERNELS = [tf.FusedConv2D, tf.Conv2DBackpropInput, tf.Conv2DBackpropFilter];

maybe('native conv kernels vs cpu', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    const result = await loadNativeKernels();
    expect(result.ok).toBe(true);
  });
  afterAll(() => unloadNativeKernels());

  for (const c of cases) {
    it(`conv2d forward and gradients: ${c.name}`, async () => {
      const compute = () => {
        const x = randomTensor(c.x, 1), k = randomTensor(c.k, 2);
        const y = tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, c.strides, c.pad);
        const r = randomTensor(y.shape, 3);
        const [dx, dk] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad).mul(r).sum())([x, k]);
        return [y, dx, dk];
      };
      const expected = await runOn('cpu', compute);
      const actual = await runNatively(CONV_KERNELS, compute);
      for (let i = 0; i < 3; i++) expect(relativeError(actual[i], expected[i]), ['y', 'dx', 'dk'][i]).toBeLessThan(2e-5);
    });
  }

  it('dilated forward', async () => {
    const compute = () => tf.conv2d(randomTensor([2, 12, 11, 3], 4) as tf.Tensor4D, randomTensor([3, 3, 3, 4], 5) as tf.Tensor4D, 1, 'same', 'NHWC', 2);
    expect(relativeError((await runNatively([tf.Conv2D], compute))[0], (await runOn('cpu', compute))[0])).toBeLessThan(2e-5);
  });

  for (const activation of ['linear', 'relu', 'sigmoid', 'elu', 'relu6', 'leakyrelu'] as const) {
    it(`fused conv with bias + ${activation}, forward and gradients`, async () => {
      const compute = () => {
        const x = randomTensor([2, 7, 9, 3], 6), k = randomTensor([3, 3, 3, 5], 7), b = randomTensor([5], 8);
        const f = (a: tf.Tensor, w: tf.Tensor, bias: tf.Tensor) => tf.fused.conv2d({
          x: a as tf.Tensor4D, filter: w as tf.Tensor4D, bias, strides: 1, pad: 'same', activation, leakyreluAlpha: 0.2,
        });
        const y = f(x, k, b);
        const r = randomTensor(y.shape, 9);
        const grads = tf.grads((a: tf.Tensor, w: tf.Tensor, bias: tf.Tensor) => f(a, w, bias).mul(r).sum())([x, k, b]);
        return [y, ...grads];
      };
      const expected = await runOn('cpu', compute);
      const actual = await runNatively(FUSED_CONV_KERNELS, compute);
      for (let i = 0; i < 4; i++) expect(relativeError(actual[i], expected[i]), `output ${i}`).toBeLessThan(2e-5);
    });
  }
});
