/** Shared pieces of the kernel tests: backends, seeded inputs, closeness with a relative tolerance. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { expect } from 'vitest';

export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} did not start`);
  await tf.ready();
}

/** Runs `fn` on a backend and returns its tensors' values, leaving no tensors behind. */
export async function valuesOn(name: 'cpu' | 'wasm', fn: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await useBackend(name);
  return tf.tidy(() => {
    const out = fn();
    return (Array.isArray(out) ? out : [out]).map((t) => t.dataSync() as Float32Array);
  });
}

/** Deterministic values in [-1, 1) so every run (and both backends) see the same numbers. */
export function seeded(shape: number[], seed: number): tf.Tensor {
  let state = seed >>> 0 || 1;
  const values = new Float32Array(tf.util.sizeFromShape(shape));
  for (let i = 0; i < values.length; i++) {
    state ^= state << 13; state ^= state >>> 17; state ^= state << 5;
    values[i] = ((state >>> 0) / 2 ** 32) * 2 - 1;
  }
  return tf.tensor(values, shape);
}

/** Largest |a - b| relative to the largest |b| (1e-30 floor): a scale-free tolerance for sums of many terms. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0, scale = 1e-30;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5): void {
  const err = relativeError(actual, expected);
  expect(err, `relative error ${err}`).toBeLessThan(tolerance);
}
