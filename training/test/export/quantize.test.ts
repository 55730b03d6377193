import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { MIXED_UINT8_MIN_ELEMENTS, UINT8_MIN_ELEMENTS, encodeWeights, float32ToFloat16Bits, quantizeUint8 } from '../../src/export/quantize';

/** A flat float32 weight buffer as tfjs' save handlers hand it over. */
function flat(tensors: Record<string, Float32Array>): { specs: tf.io.WeightsManifestEntry[]; bytes: Uint8Array } {
  const specs = Object.entries(tensors).map(([name, v]) => ({ name, shape: [v.length], dtype: 'float32' as const }));
  const all = new Float32Array(Object.values(tensors).reduce((n, v) => n + v.length, 0));
  let o = 0;
  for (const v of Object.values(tensors)) all.set(v, (o += v.length) - v.length);
  return { specs, bytes: new Uint8Array(all.buffer) };
}

describe('weight quantization, decoded by tfjs itself', () => {
  const kernel = Float32Array.from({ length: 4096 }, (_, i) => Math.sin(i * 0.37) * 0.2 - 0.03);
  kernel[7] = 0;
  const variance = Float32Array.from({ length: 64 }, (_, i) => 1e-3 + i * 1e-4);

  it('float16: half the bytes, values within half-precision rounding', () => {
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(-2)).toBe(0xc000);
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00); // overflow to infinity
    const { specs, bytes } = flat({ kernel, variance });
    const enc = encodeWeights(specs, bytes, 'float16');
    expect(enc.bytes.length).toBe(bytes.length / 2);
    const decoded = tf.io.decodeWeights(enc.bytes.slice().buffer, enc.specs);
    const k = decoded.kernel.dataSync();
    kernel.forEach((v, i) => expect(Math.abs(k[i] - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 1e-7));
  });

  it('uint8: large tensors at a quarter of the bytes within half a step, 0 exact; small tensors untouched', () => {
    const { specs, bytes } = flat({ kernel, variance });
    const enc = encodeWeights(specs, bytes, 'uint8');
    expect(variance.length).toBeLessThan(UINT8_MIN_ELEMENTS);
    expect(enc.bytes.length).toBe(kernel.length + variance.length * 4);
    const q = enc.specs[0].quantization!;
    expect(q.dtype).toBe('uint8');
    expect(enc.specs[1].quantization).toBeUndefined();
    const decoded = tf.io.decodeWeights(enc.bytes.slice().buffer, enc.specs);
    const k = decoded.kernel.dataSync();
    kernel.forEach((v, i) => expect(Math.abs(k[i] - v)).toBeLessThanOrEqual(q.scale! / 2 + 1e-6));
    expect(k[7]).toBe(0);
    expect(Array.from(decoded.variance.dataSync())).toEqual(Array.from(variance));
  });

  it('mixed: tensors from the size limit on are uint8, all smaller ones float16, each decoded by its own spec', () => {
    const big = Float32Array.from({ length: 6000 }, (_, i) => Math.cos(i * 0.11) * 0.5);
    const { specs, bytes } = flat({ kernel, big, variance });
    const enc = encodeWeights(specs, bytes, 'mixed', { uint8MinElements: 5000 });
    expect(enc.specs.map((s) => s.quantization?.dtype)).toEqual(['float16', 'uint8', 'float16']);
    expect(enc.bytes.length).toBe(kernel.length * 2 + big.length + variance.length * 2);
    const decoded = tf.io.decodeWeights(enc.bytes.slice().buffer, enc.specs);
    const b = decoded.big.dataSync();
    big.forEach((v, i) => expect(Math.abs(b[i] - v)).toBeLessThanOrEqual(enc.specs[1].quantization!.scale! / 2 + 1e-6));
    const k = decoded.kernel.dataSync();
    kernel.forEach((v, i) => expect(Math.abs(k[i] - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 1e-7));
    const vr = decoded.variance.dataSync();
    variance.forEach((v, i) => expect(Math.abs(vr[i] - v)).toBeLessThanOrEqual(v * 2 ** -11));
    // Without a limit, the default: these test tensors are all below it, so everything is float16.
    expect(MIXED_UINT8_MIN_ELEMENTS).toBeGreaterThan(big.length);
    expect(encodeWeights(specs, bytes, 'mixed').specs.every((s) => s.quantization?.dtype === 'float16')).toBe(true);
    expect(() => encodeWeights(specs, bytes, 'mixed', { uint8MinElements: 0 })).toThrow(/positive integer/);
  });

  it('uint8 of a constant or all-positive tensor stays well defined', () => {
    expect(quantizeUint8(new Float32Array([0, 0, 0]))).toMatchObject({ min: 0, scale: 1 });
    const { q, min, scale } = quantizeUint8(new Float32Array([0.5, 1, 2]));
    expect(min).toBe(0);
    expect(q[2] * scale + min).toBeCloseTo(2, 6);
  });
});
