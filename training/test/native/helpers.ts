// Shared test helpers: run the same computation on the cpu reference and on wasm with native kernels.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { expect } from 'vitest';
import { KernelTimer } from '../../src/native/kernel-timer.js';
import { delegationCount, resetDelegationCounts } from '../../src/native/registry.js';

/** Deterministic pseudo-random data in [-1, 1). */
export function seeded(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

export function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(seeded(shape.reduce((a, b) => a * b, 1), seed), shape);
}

/** Runs fn on a backend with inputs re-created there; returns plain arrays. */
export async function runOn(backend: 'cpu' | 'wasm', fn: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`backend ${backend} failed to initialise`);
  const out = tf.tidy(fn);
  const list = Array.isArray(out) ? out : [out];
  const data = await Promise.all(list.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(list);
  return data;
}

/** Max abs difference relative to the reference's largest magnitude (1e-30 floor). */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0, scale = 1e-30;
  for (let i = 0; i < expected.length; i++) {
    if (!Number.isFinite(actual[i])) return Infinity;
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / scale;
}

/** A batch of 2 for a training step at size x size: images in [0, 1); a label per slice or a ~40% mask. */
export function stepBatch(name: 'classifier' | 'segmenter', size: number): { x: tf.Tensor; y: tf.Tensor } {
  const batch = 2;
  const x = tf.tensor4d(seeded(batch * size * size * 3, 5).map((v) => (v + 1) / 2), [batch, size, size, 3]);
  const y = name === 'classifier'
    ? tf.tensor2d([1, 0], [batch, 1])
    : tf.tensor4d(seeded(batch * size * size, 6).map((v) => (v > 0.6 ? 1 : 0)), [batch, size, size, 1]);
  return { x, y };
}

/**
 * Runs `compute` on wasm with the kernel calls counted (KernelTimer) and the native kernels' delegations to the
 * kernel underneath counted (registry): the fallback gives the same values, so the values alone cannot tell.
 */
export async function runCounted(compute: () => tf.Tensor | tf.Tensor[]): Promise<{ actual: Float32Array[]; calls: (kernel: string) => number }> {
  const timer = new KernelTimer('wasm');
  resetDelegationCounts();
  timer.start();
  const actual = await runOn('wasm', compute).finally(() => timer.stop());
  return { actual, calls: (kernel) => timer.times[kernel]?.calls ?? 0 };
}

/** Runs `compute` on wasm and checks that each of `kernels` ran natively: called, and never delegated. */
export async function runNatively(kernels: string[], compute: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  const { actual, calls } = await runCounted(compute);
  for (const kernel of kernels) {
    expect(calls(kernel), `${kernel} ran`).toBeGreaterThan(0);
    expect(delegationCount(kernel), `${kernel} ran natively, not delegated`).toBe(0);
  }
  return actual;
}
