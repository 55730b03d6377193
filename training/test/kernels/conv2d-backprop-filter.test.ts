/**
 * Conv2DBackpropFilter: stock wasm has none; stock cpu is right but naive. Ours (wasm and cpu) must equal the
 * exact gradient: the loss sum(conv(x, w) * r) is linear in w, so dL/dw_j = sum(conv(x, e_j) * r) exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCpuKernelFixes, registerWasmTrainingKernels, stockKernel, withStockKernel } from '../../src/kernels';
import { columnChunks } from '../../src/kernels/conv-geometry';
import { expectClose, seeded, useBackend, valuesOn } from './helpers';

type Case = { name: string; x: number[]; filter: number[]; stride: number; pad: 'same' | 'valid' };
const cases: Case[] = [
  { name: '3x3 same, batch 2, odd sizes', x: [2, 7, 5, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'same' },
  { name: '3x3 valid', x: [3, 6, 7, 2], filter: [3, 3, 2, 5], stride: 1, pad: 'valid' },
  { name: '1x1 pointwise', x: [2, 5, 3, 6], filter: [1, 1, 6, 7], stride: 1, pad: 'valid' },
  { name: '3x3 same stride 2', x: [2, 7, 6, 3], filter: [3, 3, 3, 2], stride: 2, pad: 'same' },
  { name: '2x3 valid stride 2', x: [2, 8, 9, 2], filter: [2, 3, 2, 3], stride: 2, pad: 'valid' },
];

function lossGradient(c: Case): tf.Tensor {
  const x = seeded(c.x, 1), w = seeded(c.filter, 2);
  const outShape = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad).shape;
  const r = seeded(outShape, 3);
  return tf.grad((f: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.stride, c.pad).mul(r).sum())(w);
}

/** dL/dw by linearity, one forward conv per filter element (cpu forward kernel, independent of any gradient). */
function exactGradient(c: Case): Float32Array {
  const x = seeded(c.x, 1) as tf.Tensor4D;
  const size = tf.util.sizeFromShape(c.filter);
  const r = seeded(tf.conv2d(x, seeded(c.filter, 2) as tf.Tensor4D, c.stride, c.pad).shape, 3);
  const out = new Float32Array(size);
  for (let j = 0; j < size; j++) {
    const basis = tf.oneHot(j, size).reshape(c.filter).toFloat() as tf.Tensor4D;
    out[j] = tf.conv2d(x, basis, c.stride, c.pad).mul(r).sum().dataSync()[0];
  }
  return out;
}

describe('Conv2DBackpropFilter', () => {
  beforeAll(() => {
    registerWasmTrainingKernels();
    registerCpuKernelFixes();
  });

  it('stock wasm 4.22 has no Conv2DBackpropFilter (if this fails, tfjs ships one now: compare it to ours)', async () => {
    await useBackend('wasm');
    expect(stockKernel('Conv2DBackpropFilter', 'wasm')).toBeNull();
    const x = seeded([1, 4, 4, 2], 1), w = seeded([3, 3, 2, 2], 2);
    withStockKernel('Conv2DBackpropFilter', 'wasm', () => {
      expect(() => tf.grad((f: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same').sum())(w)).toThrow(/Conv2DBackpropFilter/);
    });
  });

  for (const c of cases) {
    it(`${c.name}: wasm and cpu equal the exact gradient`, async () => {
      const [expected] = await valuesOn('cpu', () => tf.tensor(exactGradient(c)));
      const [wasm] = await valuesOn('wasm', () => lossGradient(c));
      const [cpu] = await valuesOn('cpu', () => lossGradient(c));
      expectClose(wasm, expected, 1e-5);
      expectClose(cpu, expected, 1e-5);
    });
  }

  it('matches the stock cpu kernel on a training-sized layer', async () => {
    const c: Case = { name: 'big', x: [2, 32, 32, 8], filter: [3, 3, 8, 16], stride: 1, pad: 'same' };
    const [stock] = await valuesOn('cpu', () => withStockKernel('Conv2DBackpropFilter', 'cpu', () => lossGradient(c)));
    const [cpu] = await valuesOn('cpu', () => lossGradient(c));
    const [wasm] = await valuesOn('wasm', () => lossGradient(c));
    expectClose(cpu, stock, 1e-5);
    expectClose(wasm, stock, 1e-5);
  });
});

describe('columnChunks (the im2col rows built and multiplied at a time)', () => {
  it('covers every row once, in order, within 16M floats a chunk (one row at least)', () => {
    for (const [k, m] of [[2304, 4 * 62 * 62], [2304, 16 * 254 * 254], [27, 16 * 254 * 254], [9, 40_000_000]]) {
      const chunks = columnChunks(k, m);
      expect(chunks[0][0]).toBe(0);
      expect(chunks[chunks.length - 1][1]).toBe(k);
      chunks.forEach(([k0, k1], i) => {
        if (i > 0) expect(k0).toBe(chunks[i - 1][1]);
        expect(k1 - k0 === 1 || (k1 - k0) * m <= 16 * 1024 * 1024).toBe(true);
      });
    }
    expect(columnChunks(2304, 16 * 254 * 254).length).toBeGreaterThan(1);
  });
});
