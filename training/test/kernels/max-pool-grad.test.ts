/**
 * MaxPoolGrad on wasm: the stock 4.22 kernel is wrong when channels > 1. The reference is the exact gradient
 * built from the forward pass alone: each window's first maximum (scan order) receives that window's dy.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, withStockKernel } from '../../src/kernels';
import { expectClose, relativeError, seeded, useBackend, valuesOn } from './helpers';

type Case = { name: string; x: number[]; size: number; stride: number; pad: 'same' | 'valid' };
const cases: Case[] = [
  { name: '2x2/2 valid, batch 2, 3 channels (the notebook pool)', x: [2, 6, 8, 3], size: 2, stride: 2, pad: 'valid' },
  { name: '2x2/2 valid, odd size', x: [3, 7, 5, 4], size: 2, stride: 2, pad: 'valid' },
  { name: '3x3/2 same (overlapping windows, padding)', x: [2, 7, 6, 5], size: 3, stride: 2, pad: 'same' },
  { name: '3x3/1 valid, 1 channel', x: [2, 5, 5, 1], size: 3, stride: 1, pad: 'valid' },
];

function lossGradient(c: Case): tf.Tensor {
  const x = seeded(c.x, 7) as tf.Tensor4D;
  const r = seeded(tf.maxPool(x, c.size, c.stride, c.pad).shape, 8);
  return tf.grad((input: tf.Tensor) => tf.maxPool(input as tf.Tensor4D, c.size, c.stride, c.pad).mul(r).sum())(x);
}

/** Routes dy by brute force over the windows, from x values alone (no tfjs gradient code involved). */
function exactGradient(c: Case): Float32Array {
  const [n, h, w, ch] = c.x;
  const x = seeded(c.x, 7).dataSync();
  const outShape = tf.maxPool(seeded(c.x, 7) as tf.Tensor4D, c.size, c.stride, c.pad).shape;
  const dy = seeded(outShape, 8).dataSync();
  const [, oh, ow] = outShape;
  const padTop = c.pad === 'same' ? Math.floor(Math.max(0, (oh - 1) * c.stride + c.size - h) / 2) : 0;
  const padLeft = c.pad === 'same' ? Math.floor(Math.max(0, (ow - 1) * c.stride + c.size - w) / 2) : 0;
  const dx = new Float32Array(x.length);
  for (let b = 0; b < n; b++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let k = 0; k < ch; k++) {
    let best = -Infinity, at = -1;
    for (let fy = 0; fy < c.size; fy++) for (let fx = 0; fx < c.size; fx++) {
      const iy = oy * c.stride - padTop + fy, ix = ox * c.stride - padLeft + fx;
      if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
      const i = ((b * h + iy) * w + ix) * ch + k;
      if (x[i] > best) { best = x[i]; at = i; }
    }
    dx[at] += dy[((b * oh + oy) * ow + ox) * ch + k];
  }
  return dx;
}

describe('MaxPoolGrad (wasm)', () => {
  beforeAll(() => registerWasmTrainingKernels());

  for (const c of cases) {
    it(`${c.name}: equals the exact gradient on wasm and cpu`, async () => {
      await useBackend('cpu');
      const expected = exactGradient(c);
      const [wasm] = await valuesOn('wasm', () => lossGradient(c));
      const [cpu] = await valuesOn('cpu', () => lossGradient(c));
      expectClose(wasm, expected, 1e-6);
      expectClose(cpu, expected, 1e-6);
    });
  }

  it('the stock wasm kernel is wrong when channels > 1 (if this fails, tfjs fixed it: ours may go)', async () => {
    const c = cases[0];
    await useBackend('cpu');
    const expected = exactGradient(c), expectedSingle = exactGradient(cases[3]);
    const [stock] = await valuesOn('wasm', () => withStockKernel('MaxPoolGrad', 'wasm', () => lossGradient(c)));
    expect(relativeError(stock, expected)).toBeGreaterThan(0.1);
    const single = cases[3];
    const [stockSingle] = await valuesOn('wasm', () => withStockKernel('MaxPoolGrad', 'wasm', () => lossGradient(single)));
    expectClose(stockSingle, expectedSingle, 1e-6); // one channel is fine: the bug is the channel stride
  });
});
