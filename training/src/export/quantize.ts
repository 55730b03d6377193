/**
 * Smaller weight storage that tfjs' loader dequantizes itself (specs marked `quantization`, per tensor):
 * float16 halves the bytes; uint8 (affine, per tensor, as tfjs-converter's --quantize_uint8) quarters them;
 * mixed stores the largest tensors uint8 and the rest float16.
 */
import type * as tf from '@tensorflow/tfjs';

export const WEIGHT_DTYPES = ['float32', 'float16', 'uint8', 'mixed'] as const;
export type WeightDtype = (typeof WEIGHT_DTYPES)[number];

/** Tensors smaller than this (biases, batch-norm statistics) stay float32 under uint8: a few KB, and BN variances are sensitive. */
export const UINT8_MIN_ELEMENTS = 1024;

/**
 * Under `mixed`, tensors with at least this many elements are stored uint8 and all others float16: in a ResUNet the
 * few deepest kernels hold most of the bytes (the bottleneck's 3x3x256x256 alone is half the parameters). Whether a
 * model tolerates it is for `npm run evaluate` to say (the shipped first segmenter did not: training/EXPERIMENTS.md).
 */
export const MIXED_UINT8_MIN_ELEMENTS = 100_000;

export interface EncodeOptions {
  /** `mixed` only: the size from which a tensor is stored uint8 (default MIXED_UINT8_MIN_ELEMENTS). */
  uint8MinElements?: number;
}

/** A card's weight storage in words, for logs and reports. */
export function describeStorage(w: { dtype: string; uint8MinElements?: number }): string {
  return w.dtype === 'mixed' ? `mixed (uint8 from ${w.uint8MinElements} elements, float16 below)` : w.dtype;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary32 -> binary16 bits, round to nearest even (subnormals and overflow to infinity handled). */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // inf / nan
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow
  if (e <= 0) {
    if (e < -10) return sign; // underflow to zero
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let m = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    if (rest > half || (rest === half && m & 1)) m++;
    return sign | m;
  }
  let m = mant >>> 13;
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && m & 1)) {
    m++;
    if (m === 0x400) {
      m = 0;
      e++;
      if (e >= 0x1f) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | m;
}

type Encoded = { specs: tf.io.WeightsManifestEntry[]; bytes: Uint8Array };

/**
 * uint8 affine quantization of one tensor: value = q * scale + min. The range is widened to include 0 and min is
 * nudged onto the grid so that 0 (padding, ReLU'd weights) is represented exactly, as tfjs-converter does.
 */
export function quantizeUint8(src: Float32Array): { q: Uint8Array; min: number; scale: number } {
  let lo = 0;
  let hi = 0;
  for (const v of src) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const scale = hi > lo ? (hi - lo) / 255 : 1;
  const zeroPoint = Math.round(-lo / scale);
  const min = -zeroPoint * scale;
  const q = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) q[i] = Math.min(255, Math.max(0, Math.round((src[i] - min) / scale)));
  return { q, min, scale };
}

/** Re-encodes the float32 weights of a flat weight buffer as float16, uint8 or mixed; other dtypes are copied unchanged. */
export function encodeWeights(specs: tf.io.WeightsManifestEntry[], bytes: Uint8Array, dtype: WeightDtype, options: EncodeOptions = {}): Encoded {
  if (dtype === 'float32') return { specs, bytes };
  if (dtype === 'float16') return encodeEach(specs, bytes, asFloat16);
  if (dtype === 'uint8') return encodeEach(specs, bytes, (spec, src) => (src.length < UINT8_MIN_ELEMENTS ? null : asUint8(spec, src)));
  const from = options.uint8MinElements ?? MIXED_UINT8_MIN_ELEMENTS;
  if (!Number.isInteger(from) || from < 1) throw new Error(`uint8MinElements must be a positive integer, not ${from}`);
  return encodeEach(specs, bytes, (spec, src) => (src.length >= from ? asUint8(spec, src) : asFloat16(spec, src)));
}

type EncodedTensor = { data: Uint8Array; spec: tf.io.WeightsManifestEntry };

function asUint8(spec: tf.io.WeightsManifestEntry, src: Float32Array): EncodedTensor {
  const { q, min, scale } = quantizeUint8(src);
  return { data: q, spec: { ...spec, quantization: { dtype: 'uint8', min, scale } } };
}

function asFloat16(spec: tf.io.WeightsManifestEntry, src: Float32Array): EncodedTensor {
  const half = new Uint16Array(src.length);
  for (let i = 0; i < src.length; i++) half[i] = float32ToFloat16Bits(src[i]);
  return { data: new Uint8Array(half.buffer), spec: { ...spec, quantization: { dtype: 'float16' } } };
}

/** Walks the float32 tensors of a flat buffer; `encode` returns their new bytes and spec, or null to keep them. */
function encodeEach(
  specs: tf.io.WeightsManifestEntry[],
  bytes: Uint8Array,
  encode: (spec: tf.io.WeightsManifestEntry, src: Float32Array) => EncodedTensor | null,
): Encoded {
  const outSpecs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const spec of specs) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const size = n * 4; // layers models hold float32 and int32 weights only
    const chunk = bytes.subarray(offset, offset + size);
    offset += size;
    const encoded = spec.dtype === 'float32' && !spec.quantization ? encode(spec, new Float32Array(chunk.slice().buffer)) : null;
    parts.push(encoded ? encoded.data : chunk);
    outSpecs.push(encoded ? encoded.spec : spec);
  }
  const total = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return { specs: outSpecs, bytes: out };
}
