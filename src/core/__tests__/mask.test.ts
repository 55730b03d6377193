import { describe, expect, it } from 'vitest';
import { createMask } from '../image';
import { binarize, meanOfMaps, MIN_REGION_PIXELS, postprocessMask, removeSmallRegions, twoStageMask } from '../mask';
import { MASK_PIXEL_THRESHOLD } from '../thresholds';

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

describe('binarize, removeSmallRegions and twoStageMask (by hand)', () => {
  const maskOf = (w: number, h: number, on: number[]) => {
    const m = createMask(w, h);
    for (const i of on) m.data[i] = 1;
    return m;
  };
  const on = (m: { data: Uint8Array }) => m.data.reduce<number[]>((a, v, i) => (v ? [...a, i] : a), []);

  it('counts a pixel at exactly MASK_PIXEL_THRESHOLD as tumor', () => {
    expect(Array.from(binarize([0.49, MASK_PIXEL_THRESHOLD, 0.51], 3, 1).data)).toEqual([0, 1, 1]);
  });

  it('drops a region of MIN_REGION_PIXELS - 1 pixels and keeps one of MIN_REGION_PIXELS', () => {
    expect(MIN_REGION_PIXELS).toBe(10);
    const row = (n: number, y: number) => Array.from({ length: n }, (_, x) => y * 12 + x);
    const m = maskOf(12, 5, [...row(9, 0), ...row(10, 4)]);
    expect(on(removeSmallRegions(m))).toEqual(row(10, 4));
  });

  it('joins diagonal neighbours into one region (8-connectivity)', () => {
    // Ten pixels on a diagonal staircase of a 10x10 image: one region of 10, so it stays.
    const diagonal = Array.from({ length: 10 }, (_, k) => k * 10 + k);
    expect(on(removeSmallRegions(maskOf(10, 10, diagonal)))).toEqual(diagonal);
    // The same ten split by one gap into 5 + 5: both go.
    expect(on(removeSmallRegions(maskOf(10, 10, diagonal.filter((_, k) => k !== 5))))).toEqual([]);
  });

  it('leaves its input untouched', () => {
    const m = maskOf(4, 1, [0]);
    removeSmallRegions(m);
    expect(on(m)).toEqual([0]);
  });

  it('twoStageMask: the outline at or above the threshold, an empty mask below it or without a segmentation', () => {
    const seg = maskOf(3, 1, [1, 2]);
    expect(twoStageMask(0.05, 0.05, seg, 3, 1)).toBe(seg);
    expect(on(twoStageMask(0.0499, 0.05, seg, 3, 1))).toEqual([]);
    expect(on(twoStageMask(0.99, 0.05, null, 3, 1))).toEqual([]);
  });
});
