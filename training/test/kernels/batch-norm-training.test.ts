/**
 * Fused training batch norm: the layer's output, moving-average updates and the gradients of a loss w.r.t.
 * input, gamma and beta must equal tfjs-layers' own composite (moments + batchNorm, correct but slow) on cpu.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { patchBatchNormalizationLayer, registerFusedBatchNorm, registerWasmTrainingKernels, unpatchBatchNormalizationLayer } from '../../src/kernels';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from '../../src/kernels/batch-norm-training';
import { KernelTimer } from '../../src/native/kernel-timer';
import { expectClose, seeded, valuesOn } from './helpers';

/** A BN layer with non-trivial gamma/beta/moving stats; returns [y, dx, dgamma, dbeta, movingMean, movingVariance]. */
function run(shape: number[]): tf.Tensor[] {
  const c = shape[shape.length - 1];
  const layer = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-3 });
  layer.build(shape);
  layer.setWeights([seeded([c], 11).add(1.5), seeded([c], 12), seeded([c], 13), seeded([c], 14).abs().add(0.5)]);
  const x = seeded(shape, 15).mul(3).add(0.7), r = seeded(shape, 16);
  const [gamma, beta] = layer.trainableWeights.map((w) => w.read());
  let y: tf.Tensor | undefined;
  const loss = (input: tf.Tensor) => {
    const out = layer.apply(input, { training: true }) as tf.Tensor;
    y ??= tf.keep(out.clone());
    return out.mul(r).sum() as tf.Scalar;
  };
  const { grads } = tf.variableGrads(() => loss(x), layer.trainableWeights.map((w) => w.read() as tf.Variable));
  const dx = tf.grad(loss)(x);
  const gradList = layer.trainableWeights.map((w) => grads[(w.read() as tf.Variable).name]);
  const [, , movingMean, movingVariance] = layer.getWeights();
  void gamma; void beta;
  return [y!, dx, ...gradList, movingMean, movingVariance];
}

/**
 * Values of `fn` on a backend, with how many times the fused forward and gradient kernels ran there: the layer
 * falls back to its own composite when it cannot use them, and the composite gives the same values.
 */
async function countedValuesOn(name: 'cpu' | 'wasm', fn: () => tf.Tensor[]): Promise<{ values: Float32Array[]; forward: number; backward: number }> {
  const timer = new KernelTimer(name);
  timer.start();
  const values = await valuesOn(name, fn).finally(() => timer.stop());
  return { values, forward: timer.times[BATCH_NORM_TRAIN]?.calls ?? 0, backward: timer.times[BATCH_NORM_TRAIN_GRAD]?.calls ?? 0 };
}

const shapes = [[3, 5, 4, 6], [2, 7, 3, 1], [4, 16]];

describe('fused training batch norm', () => {
  beforeAll(() => {
    registerWasmTrainingKernels();
    registerFusedBatchNorm('cpu');
  });

  it('is what the layer runs when training on wasm', async () => {
    expect(tf.getKernel(BATCH_NORM_TRAIN, 'wasm')).toBeTruthy();
    patchBatchNormalizationLayer();
    // run() applies the layer in training twice (for the gamma/beta gradients and for dx), each with a gradient.
    const { forward, backward } = await countedValuesOn('wasm', () => run([2, 3, 3, 4]));
    expect(forward, 'fused forward kernel calls').toBe(2);
    expect(backward, 'fused gradient kernel calls').toBe(2);
  });

  for (const shape of shapes) {
    it(`shape ${shape}: output, moving stats and gradients equal the layer's own composite`, async () => {
      unpatchBatchNormalizationLayer();
      const { values: stock, forward: stockForward } = await countedValuesOn('cpu', () => run(shape));
      patchBatchNormalizationLayer();
      const { values: fusedCpu, ...cpuCalls } = await countedValuesOn('cpu', () => run(shape));
      const { values: fusedWasm, ...wasmCalls } = await countedValuesOn('wasm', () => run(shape));
      // The unpatched layer runs its composite; the patched one the fused kernels (else this compares the composite with itself).
      expect(stockForward, 'the stock layer does not use the fused kernel').toBe(0);
      expect(cpuCalls, 'fused kernel calls on cpu').toEqual({ forward: 2, backward: 2 });
      expect(wasmCalls, 'fused kernel calls on wasm').toEqual({ forward: 2, backward: 2 });
      expect(stock).toHaveLength(6);
      stock.forEach((expected, i) => {
        expectClose(fusedCpu[i], expected, 2e-5);
        expectClose(fusedWasm[i], expected, 2e-5);
      });
    });
  }
});
