import { describe, expect, it } from 'vitest';
import { createMask, type RgbImage } from '../image';
import { composite, DASH_GAP_SHADE, outline, OVERLAY_COLORS, truthDashOn } from '../overlay';

const image: RgbImage = { width: 2, height: 2, data: new Uint8Array([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]) };
const mask = (...on: number[]) => {
  const m = createMask(2, 2);
  for (const i of on) m.data[i] = 1;
  return m;
};
const pixel = (rgba: Uint8ClampedArray, i: number) => Array.from(rgba.subarray(i * 4, i * 4 + 4));

describe('composite', () => {
  it('shows the slice as RGB or as one sequence in gray', () => {
    const rgb = composite(image, { channel: 'rgb', opacity: 1, predicted: null, truth: null });
    expect(pixel(rgb, 1)).toEqual([40, 50, 60, 255]);
    const flair = composite(image, { channel: 'FLAIR', opacity: 1, predicted: null, truth: null });
    expect(pixel(flair, 1)).toEqual([50, 50, 50, 255]);
    const post = composite(image, { channel: 'post-contrast', opacity: 1, predicted: null, truth: null });
    expect(pixel(post, 3)).toEqual([120, 120, 120, 255]);
  });

  it('paints prediction green, truth red and their overlap yellow at full opacity', () => {
    const out = composite(image, { channel: 'rgb', opacity: 1, predicted: mask(0, 1), truth: mask(1, 2) });
    expect(pixel(out, 0)).toEqual([...OVERLAY_COLORS.predicted, 255]);
    expect(pixel(out, 1)).toEqual([...OVERLAY_COLORS.overlap, 255]);
    // Every pixel of a 2x2 mask is edge; (0, 1) falls in a gap of the truth's dashes: the colour's dark shade.
    expect(pixel(out, 2)).toEqual([...OVERLAY_COLORS.truth.map((c) => Math.round(c * DASH_GAP_SHADE)), 255]);
    expect(pixel(out, 3)).toEqual([100, 110, 120, 255]);
  });

  it('blends the inside by opacity, draws the outline solid, and leaves the image untouched at 0', () => {
    // 3x3 gray slice, the whole square predicted: the centre is the only pixel inside the outline.
    const gray: RgbImage = { width: 3, height: 3, data: new Uint8Array(27).fill(10) };
    const square = createMask(3, 3);
    square.data.fill(1);
    const half = composite(gray, { channel: 'rgb', opacity: 0.5, predicted: square, truth: null });
    expect(pixel(half, 4)).toEqual([5, 132, 5, 255]); // 132.5, rounded to even by Uint8ClampedArray
    for (const edge of [0, 1, 2, 3, 5, 6, 7, 8]) expect(pixel(half, edge)).toEqual([...OVERLAY_COLORS.predicted, 255]);
    const none = composite(image, { channel: 'rgb', opacity: 0, predicted: mask(0), truth: mask(0) });
    expect(pixel(none, 0)).toEqual([10, 20, 30, 255]);
  });

  it('draws the truth\'s outline dashed and the prediction\'s unbroken, so they differ without colour', () => {
    // 8x8 gray slice, the whole square marked: its outline is the 28 border pixels.
    const gray: RgbImage = { width: 8, height: 8, data: new Uint8Array(192).fill(10) };
    const square = createMask(8, 8);
    square.data.fill(1);
    const solidRed = (rgba: Uint8ClampedArray, i: number) => pixel(rgba, i).join() === [...OVERLAY_COLORS.truth, 255].join();
    const solidGreen = (rgba: Uint8ClampedArray, i: number) => pixel(rgba, i).join() === [...OVERLAY_COLORS.predicted, 255].join();
    const border = Array.from(outline(square)).flatMap((on, i) => (on ? [i] : []));
    expect(border).toHaveLength(28);
    const truth = composite(gray, { channel: 'rgb', opacity: 0.3, predicted: null, truth: square });
    const predicted = composite(gray, { channel: 'rgb', opacity: 0.3, predicted: square, truth: null });
    expect(border.every((i) => solidGreen(predicted, i))).toBe(true);
    const red = border.filter((i) => solidRed(truth, i));
    expect(red.length).toBeGreaterThan(8);
    expect(red.length).toBeLessThan(20);
    // Broken along every side: each side of the square has both drawn and undrawn pixels.
    for (const side of [[0, 1, 2, 3, 4, 5, 6, 7], [0, 8, 16, 24, 32, 40, 48, 56], [7, 15, 23, 31, 39, 47, 55, 63], [56, 57, 58, 59, 60, 61, 62, 63]]) {
      const drawn = side.map((i) => solidRed(truth, i));
      expect(drawn).toContain(true);
      expect(drawn).toContain(false);
    }
    // The gaps are a dark shade of the colour, so at full opacity, where the fill is the colour itself, the dashes still show.
    const opaque = composite(gray, { channel: 'rgb', opacity: 1, predicted: null, truth: square });
    const dark = OVERLAY_COLORS.truth.map((c) => Math.round(c * DASH_GAP_SHADE));
    const gaps = border.filter((i) => !solidRed(opaque, i));
    expect(gaps.length).toBe(28 - red.length);
    for (const i of gaps) expect(pixel(opaque, i)).toEqual([...dark, 255]);
    expect(pixel(opaque, 9)).toEqual([...OVERLAY_COLORS.truth, 255]); // inside: the fill
    // Where the prediction also lies (yellow), the gaps are dark yellow; the prediction's own edge stays unbroken.
    const both = composite(gray, { channel: 'rgb', opacity: 1, predicted: square, truth: square });
    expect(border.every((i) => pixel(both, i).join() === [...OVERLAY_COLORS.overlap, 255].join())).toBe(true);
    const inner = createMask(8, 8);
    for (let y = 2; y < 6; y++) for (let x = 2; x < 6; x++) inner.data[y * 8 + x] = 1;
    const truthInside = composite(gray, { channel: 'rgb', opacity: 1, predicted: square, truth: inner });
    const innerEdge = Array.from(outline(inner)).flatMap((on, i) => (on ? [i] : []));
    const yellowGaps = innerEdge.filter((i) => pixel(truthInside, i).join() !== [...OVERLAY_COLORS.overlap, 255].join());
    expect(yellowGaps.length).toBeGreaterThan(0);
    for (const i of yellowGaps) expect(pixel(truthInside, i)).toEqual([...OVERLAY_COLORS.overlap.map((c) => Math.round(c * DASH_GAP_SHADE)), 255]);
    // A diagonal step never keeps the dash on for long.
    expect([0, 1, 2, 3].map((k) => truthDashOn(k, k))).toContain(false);
    expect([0, 1, 2, 3].map((k) => truthDashOn(k, 3 - k))).toContain(false);
  });

  it('outlines a region where it meets the outside, not inside', () => {
    const m = createMask(5, 5);
    for (let y = 1; y <= 3; y++) for (let x = 1; x <= 3; x++) m.data[y * 5 + x] = 1;
    expect(Array.from(outline(m))).toEqual([
      0, 0, 0, 0, 0,
      0, 1, 1, 1, 0,
      0, 1, 0, 1, 0,
      0, 1, 1, 1, 0,
      0, 0, 0, 0, 0,
    ]);
  });
});
