/**
 * The threaded wasm backend (wasm-threads.ts): it starts in Node with one thread per core, and a training
 * gradient through our kernels on it equals the cpu backend's.
 */
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { registerCpuKernelFixes, registerWasmTrainingKernels } from '../../src/kernels';
import { activeWasmThreads, useThreadedWasm } from '../../src/kernels/wasm-threads';
import { expectClose, seeded, valuesOn } from './helpers';

describe('threaded wasm in Node', () => {
  it('starts with every core and trains a conv/pool/upsample/BN block like cpu', async () => {
    registerWasmTrainingKernels();
    registerCpuKernelFixes();
    expect(useThreadedWasm(2)).toBe(true);
    const grads = () => {
      const x = seeded([3, 16, 16, 4], 1), w = seeded([3, 3, 4, 8], 2), r = seeded([3, 16, 16, 8], 3);
      return tf.grads((input: tf.Tensor, filter: tf.Tensor) => {
        const y = tf.relu(tf.conv2d(input as tf.Tensor4D, filter as tf.Tensor4D, 1, 'same'));
        const down = tf.maxPool(y as tf.Tensor4D, 2, 2, 'valid');
        return tf.image.resizeNearestNeighbor(down as tf.Tensor4D, [16, 16]).mul(r).sum();
      })([x, w]);
    };
    const cpu = await valuesOn('cpu', grads);
    const wasm = await valuesOn('wasm', grads);
    expect(activeWasmThreads()).toBe(Math.min(2, os.cpus().length));
    cpu.forEach((expected, i) => expectClose(wasm[i], expected, 1e-5));
  });
});
