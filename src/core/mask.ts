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
