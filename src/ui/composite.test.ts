import { describe, expect, it } from 'vitest';
import { createMask, type RgbImage } from '../core/image';
import { composite, OVERLAY_COLORS } from './composite';

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
    expect(pixel(out, 2)).toEqual([...OVERLAY_COLORS.truth, 255]);
    expect(pixel(out, 3)).toEqual([100, 110, 120, 255]);
  });

  it('blends by opacity and leaves the image untouched at 0', () => {
    const half = composite(image, { channel: 'rgb', opacity: 0.5, predicted: mask(0), truth: null });
    expect(pixel(half, 0)).toEqual([5, 138, 15, 255]);
    const none = composite(image, { channel: 'rgb', opacity: 0, predicted: mask(0), truth: mask(0) });
    expect(pixel(none, 0)).toEqual([10, 20, 30, 255]);
  });
});
