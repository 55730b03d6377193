/**
 * ResizeNearestNeighborGrad (UpSampling2D's gradient): stock cpu 4.22 is wrong when batch > 1. The reference
 * uses linearity: dL/dx_i = sum(resize(e_i) * r), one forward resize per input element.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCpuKernelFixes, registerWasmTrainingKernels, withStockKernel } from '../../src/kernels';
import { expectClose, relativeError, seeded, valuesOn } from './helpers';

type Case = { name: string; x: number[]; size: [number, number]; alignCorners?: boolean; halfPixelCenters?: boolean };
const cases: Case[] = [
  { name: 'x2 (UpSampling2D), batch 3, 2 channels', x: [3, 4, 5, 2], size: [8, 10] },
  { name: 'x2, batch 1', x: [1, 3, 3, 3], size: [6, 6] },
  { name: 'non-integer scale', x: [2, 5, 3, 2], size: [7, 8] },
  { name: 'align corners', x: [2, 4, 3, 2], size: [7, 5], alignCorners: true },
  { name: 'half-pixel centers', x: [2, 4, 3, 2], size: [9, 7], halfPixelCenters: true },
];

const resize = (x: tf.Tensor, c: Case) =>
  tf.image.resizeNearestNeighbor(x as tf.Tensor4D, c.size, c.alignCorners ?? false, c.halfPixelCenters ?? false);

function lossGradient(c: Case): tf.Tensor {
  const x = seeded(c.x, 4), r = seeded(resize(x, c).shape, 5);
  return tf.grad((input: tf.Tensor) => resize(input, c).mul(r).sum())(x);
}

function exactGradient(c: Case): tf.Tensor {
  const size = tf.util.sizeFromShape(c.x);
  const r = seeded(resize(seeded(c.x, 4), c).shape, 5);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = resize(tf.oneHot(i, size).reshape(c.x).toFloat(), c).mul(r).sum().dataSync()[0];
  return tf.tensor(out);
}

describe('ResizeNearestNeighborGrad', () => {
  beforeAll(() => {
    registerWasmTrainingKernels();
    registerCpuKernelFixes();
  });

  for (const c of cases) {
    it(`${c.name}: cpu and wasm equal the exact gradient`, async () => {
      const [expected] = await valuesOn('cpu', () => exactGradient(c));
      const [cpu] = await valuesOn('cpu', () => lossGradient(c));
      const [wasm] = await valuesOn('wasm', () => lossGradient(c));
      expectClose(cpu, expected, 1e-6);
      expectClose(wasm, expected, 1e-6);
    });
  }

  it('the stock cpu kernel is wrong when batch > 1 (if this fails, tfjs fixed it: ours may go)', async () => {
    const [expected] = await valuesOn('cpu', () => exactGradient(cases[0]));
    const [stock] = await valuesOn('cpu', () => withStockKernel('ResizeNearestNeighborGrad', 'cpu', () => lossGradient(cases[0])));
    expect(relativeError(stock, expected)).toBeGreaterThan(0.1);
    const [expectedOne] = await valuesOn('cpu', () => exactGradient(cases[1]));
    const [stockOne] = await valuesOn('cpu', () => withStockKernel('ResizeNearestNeighborGrad', 'cpu', () => lossGradient(cases[1])));
    expectClose(stockOne, expectedOne, 1e-6); // batch 1 is fine: the bug is the batch stride
  });
});
