import { describe, expect, it } from 'vitest';
import { meanOfMaps, postprocessMask } from '../mask';

describe('meanOfMaps', () => {
  it('averages pixel by pixel, so a pixel only one segmenter is sure of can fall below the mask threshold', () => {
    const a = new Float32Array([0.9, 0.9, 0.2, 0]);
    const b = new Float32Array([0.8, 0.1, 0.2, 1]);
    expect(Array.from(meanOfMaps([a, b]))).toEqual([0.8500000238418579, 0.5, 0.20000000298023224, 0.5]);
  });
  it('returns a copy of a single map, leaving the input untouched', () => {
    const a = new Float32Array([0.3, 0.7]);
    const m = meanOfMaps([a]);
    m[0] = 1;
    expect(Array.from(a)).toEqual([0.30000001192092896, 0.699999988079071]);
  });
  it('refuses maps of different sizes and an empty list', () => {
    expect(() => meanOfMaps([new Float32Array(4), new Float32Array(3)])).toThrow(/different sizes/);
    expect(() => meanOfMaps([])).toThrow(/at least one/);
  });
  it('feeds post-processing like a single map: a 4x4 block both segmenters see survives, a pixel one alone sees does not', () => {
    const w = 8, h = 8;
    const a = new Float32Array(w * h), b = new Float32Array(w * h);
    for (let y = 2; y < 6; y++) for (let x = 2; x < 6; x++) { a[y * w + x] = 0.6; b[y * w + x] = 0.7; }
    a[0] = 0.9; // one confident pixel in one map only: 0.45 after averaging, under the threshold
    const mask = postprocessMask(meanOfMaps([a, b]), w, h);
    expect(mask.data.reduce((n, v) => n + v, 0)).toBe(16);
    expect(mask.data[0]).toBe(0);
  });
});
