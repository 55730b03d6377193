/**
 * Identity (no copy) and SplitV (heap runs) on wasm: values equal the cpu backend's, the Concatenate gradient
 * (which SplitV computes) equals the exact one, and sharing memory in Identity survives disposing either side.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../src/kernels';
import { expectClose, seeded, useBackend, valuesOn } from './helpers';

describe('wasm Identity and SplitV', () => {
  beforeAll(() => registerWasmTrainingKernels());

  it('Identity shares memory and stays valid when the source is disposed', async () => {
    await useBackend('wasm');
    const x = seeded([3, 4, 5], 1);
    const expected = x.dataSync().slice();
    const copy = tf.clone(x); // the Identity kernel
    const offset = (t: tf.Tensor) => (tf.backend() as unknown as { dataIdMap: { get(id: object): { memoryOffset: number } } }).dataIdMap.get(t.dataId).memoryOffset;
    expect(offset(copy)).toBe(offset(x)); // no copy
    x.dispose();
    const reuse = tf.fill([3, 4, 5], 9); // would land on freed memory if disposing x had released it
    expectClose(copy.dataSync(), expected, 1e-9);
    reuse.dispose();
    copy.dispose();
  });

  const splits: [number[], number[], number][] = [
    [[2, 3, 4, 7], [3, 4], -1], // channels, short runs
    [[2, 5, 3, 80], [48, 32], 3], // channels, long runs (copyWithin)
    [[3, 6, 2, 2], [1, 2, 3], 1],
    [[4, 5], [2, 2, 1], 1],
    [[6, 5], [4, 2], 0],
  ];
  for (const [shape, sizes, axis] of splits) {
    it(`SplitV ${shape} into ${sizes} on axis ${axis} equals cpu`, async () => {
      const cpu = await valuesOn('cpu', () => tf.split(seeded(shape, 2), sizes, axis));
      const wasm = await valuesOn('wasm', () => tf.split(seeded(shape, 2), sizes, axis));
      cpu.forEach((expected, i) => expectClose(wasm[i], expected, 1e-9));
    });
  }

  it('the Concatenate gradient on wasm is dy split back to its inputs', async () => {
    const grads = () => {
      const a = seeded([2, 4, 4, 3], 3), b = seeded([2, 4, 4, 5], 4), r = seeded([2, 4, 4, 8], 5);
      return tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.concat([p, q], -1).mul(r).sum())([a, b]);
    };
    const expected = await valuesOn('cpu', () => tf.split(seeded([2, 4, 4, 8], 5), [3, 5], -1));
    const wasm = await valuesOn('wasm', grads);
    expected.forEach((e, i) => expectClose(wasm[i], e, 1e-9));
  });
});

describe('wasm Sum over leading axes', () => {
  beforeAll(() => registerWasmTrainingKernels());
  const cases: [number[], number[], boolean][] = [
    [[3, 5, 4, 6], [0, 1, 2], false], // a bias gradient
    [[3, 5, 4, 6], [0], true],
    [[7, 3], [0], false],
    [[3, 5, 4, 6], [1, 2], false], // not leading: stock path
    [[3, 5, 4, 6], [0, 1, 2, 3], false], // full reduction: stock path
  ];
  for (const [shape, axes, keepDims] of cases) {
    it(`sum ${shape} over ${axes}${keepDims ? ' (keepDims)' : ''} equals cpu`, async () => {
      const [cpu] = await valuesOn('cpu', () => tf.sum(seeded(shape, 6).add(0.25), axes, keepDims));
      await useBackend('wasm');
      const out = tf.sum(seeded(shape, 6).add(0.25), axes, keepDims);
      expect(out.shape).toEqual(tf.tidy(() => tf.sum(tf.zeros(shape), axes, keepDims).shape));
      expectClose(out.dataSync(), cpu, 1e-6);
      out.dispose();
    });
  }
});
