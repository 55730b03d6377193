/** float16 weight storage: half the bytes on the wire; tfjs' loader dequantizes specs marked `quantization.dtype: 'float16'`. */
import type * as tf from '@tensorflow/tfjs';

export type WeightDtype = 'float32' | 'float16';

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

/** Re-encodes the float32 weights of a flat weight buffer as float16; other dtypes are copied unchanged. */
export function encodeFloat16(specs: tf.io.WeightsManifestEntry[], bytes: Uint8Array): { specs: tf.io.WeightsManifestEntry[]; bytes: Uint8Array } {
  const outSpecs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const spec of specs) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const size = n * 4; // layers models hold float32 and int32 weights only
    const chunk = bytes.subarray(offset, offset + size);
    offset += size;
    if (spec.dtype === 'float32' && !spec.quantization) {
      const src = new Float32Array(chunk.slice().buffer);
      const half = new Uint16Array(n);
      for (let i = 0; i < n; i++) half[i] = float32ToFloat16Bits(src[i]);
      parts.push(new Uint8Array(half.buffer));
      outSpecs.push({ ...spec, quantization: { dtype: 'float16' } });
    } else {
      parts.push(chunk);
      outSpecs.push(spec);
    }
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
