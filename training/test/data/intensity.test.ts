import { describe, expect, it } from 'vitest';
import { IMAGE_CHANNELS } from '../../../src/core/constants';
import { Rng } from '../../src/backend/seeded-random';
import { makeBatch } from '../../src/data/batch';
import { indexDataset } from '../../src/data/index';
import { applyJitter, drawJitter, GAIN_RANGE, GAMMA_RANGE, JITTER_PROBABILITY } from '../../src/data/intensity';
import { loadSlices } from '../../src/data/load';
import { FIXTURES } from '../helpers';

const FLAIR = 1; // the LGG slices are pre-contrast, FLAIR, post-contrast

/** Mean FLAIR value inside the tumor over the mean outside it, within `head` (the same pixels for every version). */
function flairContrast(pixels: Uint8Array, mask: Uint8Array, head: boolean[]): number {
  let inside = 0, nIn = 0, outside = 0, nOut = 0;
  for (let p = 0; p < mask.length; p++) {
    const v = pixels[p * IMAGE_CHANNELS + FLAIR];
    if (mask[p]) (inside += v), nIn++;
    else if (head[p]) (outside += v), nOut++;
  }
  return inside / nIn / (outside / nOut);
}

describe('per-channel intensity jitter on a fixture tumor slice', () => {
  const set = loadSlices(indexDataset(FIXTURES).filter((r) => r.key === 'TCGA_HT_8113_19930809_12'));
  const pixels = set.images.subarray(0, 256 * 256 * IMAGE_CHANNELS);
  const mask = set.masks.subarray(0, 256 * 256);
  const head = Array.from(mask, (_, p) => pixels[p * IMAGE_CHANNELS + FLAIR] > 10);

  it('a gamma under 1 lowers the tumor-to-brain FLAIR contrast, over 1 raises it; black stays black', () => {
    const before = flairContrast(pixels, mask, head);
    const identity = { gamma: [1, 1, 1], gain: [1, 1, 1] };
    expect(Array.from(applyJitter(pixels, identity))).toEqual(Array.from(pixels));
    const flat = applyJitter(pixels, { gamma: [1, 0.5, 1], gain: [1, 1, 1] });
    const steep = applyJitter(pixels, { gamma: [1, 1.5, 1], gain: [1, 1, 1] });
    expect(before).toBeGreaterThan(1.2); // this slice's tumor is brighter than the brain in FLAIR
    expect(flairContrast(flat, mask, head)).toBeLessThan(before - 0.1);
    expect(flairContrast(steep, mask, head)).toBeGreaterThan(before);
    for (let i = 0; i < pixels.length; i++) if (pixels[i] === 0) expect(flat[i]).toBe(0);
    // the other channels are untouched by a FLAIR-only change
    for (let i = 0; i < pixels.length; i += IMAGE_CHANNELS) expect(flat[i]).toBe(pixels[i]);
  });

  it('draws seeded values inside the ranges; the batch changes the image, never the mask', () => {
    const rng = new Rng(7);
    const draws = Array.from({ length: 400 }, () => drawJitter(rng, 3));
    const again = new Rng(7);
    expect(Array.from({ length: 400 }, () => drawJitter(again, 3))).toEqual(draws);
    const jittered = draws.filter((d) => d !== null);
    expect(jittered.length / draws.length).toBeCloseTo(JITTER_PROBABILITY, 1);
    for (const d of jittered) {
      for (const g of d!.gamma) expect(g >= GAMMA_RANGE[0] && g <= GAMMA_RANGE[1]).toBe(true);
      for (const g of d!.gain) expect(g >= GAIN_RANGE[0] && g <= GAIN_RANGE[1]).toBe(true);
    }

    const plain = makeBatch(set, [0], 'segmenter');
    const changed = makeBatch(set, [0], 'segmenter', { jitters: [{ gamma: [1, 0.5, 1], gain: [1, 1, 1] }] });
    expect(Array.from(changed.y.dataSync())).toEqual(Array.from(plain.y.dataSync()));
    const dx = plain.x.sub(changed.x).abs().max().dataSync()[0];
    expect(dx).toBeGreaterThan(0.1);
    [plain, changed].forEach((b) => (b.x.dispose(), b.y.dispose()));
  });
});
