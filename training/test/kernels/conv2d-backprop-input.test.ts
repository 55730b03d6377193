/**
 * Conv2DBackpropInput on wasm: stock is correct but a direct loop; ours runs stride-1 cases as a forward conv
 * with the flipped filter (XNNPACK) and falls back to stock otherwise. Both must equal the exact gradient:
 * sum(conv(x, w) * r) is linear in x, so dL/dx_i = sum(conv(e_i, w) * r).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, stockKernel, withStockKernel } from '../../src/kernels';
import { expectClose, seeded, valuesOn } from './helpers';

type Case = { name: string; x: number[]; filter: number[]; stride: number; pad: 'same' | 'valid' };
const cases: Case[] = [
  { name: '3x3 same, batch 2, odd sizes', x: [2, 5, 7, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'same' },
  { name: '3x3 valid', x: [3, 6, 5, 2], filter: [3, 3, 2, 5], stride: 1, pad: 'valid' },
  { name: '1x1 pointwise', x: [2, 3, 5, 6], filter: [1, 1, 6, 7], stride: 1, pad: 'valid' },
  { name: '2x2 same (asymmetric padding)', x: [2, 5, 4, 3], filter: [2, 2, 3, 2], stride: 1, pad: 'same' },
  { name: '3x3 same stride 2 (stock fallback)', x: [2, 7, 6, 3], filter: [3, 3, 3, 2], stride: 2, pad: 'same' },
];

function lossGradient(c: Case): tf.Tensor {
  const x = seeded(c.x, 1), w = seeded(c.filter, 2) as tf.Tensor4D;
  const r = seeded(tf.conv2d(x as tf.Tensor4D, w, c.stride, c.pad).shape, 3);
  return tf.grad((input: tf.Tensor) => tf.conv2d(input as tf.Tensor4D, w, c.stride, c.pad).mul(r).sum())(x);
}

function exactGradient(c: Case): tf.Tensor {
  const w = seeded(c.filter, 2) as tf.Tensor4D;
  const size = tf.util.sizeFromShape(c.x);
  const r = seeded(tf.conv2d(seeded(c.x, 1) as tf.Tensor4D, w, c.stride, c.pad).shape, 3);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const basis = tf.oneHot(i, size).reshape(c.x).toFloat() as tf.Tensor4D;
    out[i] = tf.conv2d(basis, w, c.stride, c.pad).mul(r).sum().dataSync()[0];
  }
  return tf.tensor(out);
}

describe('Conv2DBackpropInput (wasm)', () => {
  beforeAll(() => registerWasmTrainingKernels());

  it('replaces a stock kernel that exists', () => {
    expect(stockKernel('Conv2DBackpropInput', 'wasm')).toBeTruthy();
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).not.toBe(stockKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc);
  });

  for (const c of cases) {
    it(`${c.name}: equals the exact gradient and the stock kernel`, async () => {
      const [expected] = await valuesOn('cpu', () => exactGradient(c));
      const [ours] = await valuesOn('wasm', () => lossGradient(c));
      const [stock] = await valuesOn('wasm', () => withStockKernel('Conv2DBackpropInput', 'wasm', () => lossGradient(c)));
      expectClose(ours, expected, 1e-5);
      expectClose(stock, expected, 1e-5);
    });
  }
});
