/** Turning the segmenter's per-pixel probabilities into the mask the user sees and the metrics score. */
import { createMask, type BinaryMask } from './image';
import { MASK_PIXEL_THRESHOLD, isTumor } from './thresholds';

/**
 * Connected regions smaller than this (8-connectivity) are dropped as speckle.
 * The smallest tumor regions in the LGG masks are far larger than this.
 */
export const MIN_REGION_PIXELS = 10;

export function binarize(
  probabilities: ArrayLike<number>,
  width: number,
  height: number,
  threshold = MASK_PIXEL_THRESHOLD,
): BinaryMask {
  const mask = createMask(width, height);
  for (let i = 0; i < mask.data.length; i++) mask.data[i] = probabilities[i] >= threshold ? 1 : 0;
  return mask;
}

/** Removes 8-connected regions with fewer than minPixels pixels; returns a new mask. */
export function removeSmallRegions(mask: BinaryMask, minPixels = MIN_REGION_PIXELS): BinaryMask {
  const { width, height } = mask;
  const out = createMask(width, height);
  if (minPixels <= 1) {
    out.data.set(mask.data);
    return out;
  }
  const seen = new Uint8Array(mask.data.length);
  const stack: number[] = [];
  const region: number[] = [];
  for (let start = 0; start < mask.data.length; start++) {
    if (!mask.data[start] || seen[start]) continue;
    region.length = 0;
    stack.push(start);
    seen[start] = 1;
    while (stack.length) {
      const p = stack.pop()!;
      region.push(p);
      const x = p % width;
      const y = (p - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (mask.data[q] && !seen[q]) {
            seen[q] = 1;
            stack.push(q);
          }
        }
      }
    }
    if (region.length >= minPixels) for (const p of region) out.data[p] = 1;
  }
  return out;
}

/** The segmenter's output as the displayed, scored mask: threshold, then drop speckle. */
export function postprocessMask(probabilities: ArrayLike<number>, width: number, height: number): BinaryMask {
  return removeSmallRegions(binarize(probabilities, width, height));
}

/**
 * The pixel-wise mean of several segmenters' probability maps (one map: itself). The outline the app draws is the
 * post-processed mean of both shipped segmenters' maps: on the validation patients it beat either one alone by about
 * two points of 3-D Dice and drew fewer false outlines (training/EXPERIMENTS.md, session 17).
 */
export function meanOfMaps(maps: ArrayLike<number>[]): Float32Array {
  if (maps.length === 0) throw new Error('meanOfMaps needs at least one map');
  const n = maps[0].length;
  const out = new Float32Array(n);
  for (const m of maps) {
    if (m.length !== n) throw new Error(`maps of different sizes (${m.length} and ${n} pixels)`);
    for (let i = 0; i < n; i++) out[i] += m[i];
  }
  if (maps.length > 1) for (let i = 0; i < n; i++) out[i] /= maps.length;
  return out;
}

/** What the segmenters' maps (the first segmenter's first) become in the app and in every evaluation. */
export interface SegmenterMasks {
  /** The first segmenter's own post-processed mask: its area is what the combined probability reads (combined.json was fitted on it). */
  decisionMask: BinaryMask;
  /** The outline drawn and scored as the segmentation: the post-processed mean of all the maps. */
  outline: BinaryMask;
}

export function segmenterMasks(maps: ArrayLike<number>[], width: number, height: number): SegmenterMasks {
  const decisionMask = postprocessMask(maps[0], width, height);
  return { decisionMask, outline: maps.length === 1 ? decisionMask : postprocessMask(meanOfMaps(maps), width, height) };
}

/**
 * The notebook's two-stage pipeline: a slice the classifier does not call tumor
 * at the current threshold gets an empty mask, whatever the segmenter drew.
 */
export function twoStageMask(
  tumorProbability: number,
  threshold: number,
  segmentation: BinaryMask | null,
  width: number,
  height: number,
): BinaryMask {
  if (!segmentation || !isTumor(tumorProbability, threshold)) return createMask(width, height);
  return segmentation;
}
