// Native nearest-neighbour upsampling (UpSampling2D) and its gradient against the cpu reference (with the
// batch > 1 fix of src/kernels): the same floats, since the gradient sums in the reference's order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { registerCpuKernelFixes } from '../../src/kernels/index.js';
import { loadAddon } from '../../src/native/addon.js';
import { loadNativeKernels, unloadNativeKernels } from '../../src/native/index.js';
import { delegationCount, nativeKernelNames } from '../../src/native/registry.js';
import { randomTensor, relativeError, runCounted, runOn } from './helpers.js';

const addon = loadAddon();
const maybe = addon.ok ? describe : describe.skip;

/** native: whether the native kernels handle the case (else they delegate to the kernels underneath). */
type Case = { x: [number, number, number, number]; size: [number, number]; alignCorners?: boolean; halfPixelCenters?: boolean; native: boolean };
const cases: Case[] = [
  { x: [3, 4, 5, 7], size: [8, 10], native: true }, // UpSampling2D x2, batch 3, odd channels
  { x: [2, 3, 4, 2], size: [9, 8], native: true }, // factors 3 and 2
  { x: [1, 5, 5, 16], size: [5, 5], native: true }, // factor 1
  { x: [2, 5, 3, 2], size: [7, 8], native: false }, // not whole: portable kernels underneath
  { x: [2, 4, 3, 2], size: [8, 6], alignCorners: true, native: false }, // align corners: portable kernels underneath
];

maybe('native ResizeNearestNeighbor and its gradient vs cpu', () => {
  beforeAll(async () => {
    registerCpuKernelFixes();
    await tf.setBackend('wasm');
    expect((await loadNativeKernels()).ok).toBe(true);
    expect(nativeKernelNames()).toEqual(expect.arrayContaining(['ResizeNearestNeighbor', 'ResizeNearestNeighborGrad']));
  });
  afterAll(() => unloadNativeKernels());

  for (const c of cases) {
    it(`${JSON.stringify(c)}: same values and gradient`, async () => {
      const compute = () => {
        const f = (a: tf.Tensor) => tf.image.resizeNearestNeighbor(a as tf.Tensor4D, c.size, c.alignCorners ?? false, c.halfPixelCenters ?? false);
        const x = randomTensor(c.x, 21);
        const r = randomTensor(f(x).shape, 22);
        return [f(x), tf.grad((a: tf.Tensor) => f(a).mul(r).sum())(x)];
      };
      const expected = await runOn('cpu', compute);
      const { actual, calls } = await runCounted(compute);
      for (const kernel of [tf.ResizeNearestNeighbor, tf.ResizeNearestNeighborGrad]) {
        expect(calls(kernel), `${kernel} ran`).toBeGreaterThan(0);
        if (c.native) expect(delegationCount(kernel), `${kernel} ran natively, not delegated`).toBe(0);
        else expect(delegationCount(kernel), `${kernel} delegated`).toBe(calls(kernel));
      }
      expect(relativeError(actual[0], expected[0]), 'forward').toBe(0);
      expect(relativeError(actual[1], expected[1]), 'gradient').toBe(0);
    });
  }
});
