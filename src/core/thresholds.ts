/**
 * Decision thresholds on the tumor probability the app shows (the combined probability when `combined.json` ships,
 * the classifier's alone otherwise).
 * 0.5 is the notebook's default operating point; 0.05 is its high-recall point:
 * a missed tumor costs more than a second look.
 */
export const THRESHOLD_PRESETS = [0.5, 0.05] as const;
export const DEFAULT_THRESHOLD = 0.5;
export const HIGH_RECALL_THRESHOLD = 0.05;

/**
 * Without a combined probability (src/core/combined.ts, which needs every slice's mask), the segmenter runs for any
 * slice that some preset would call tumor, so moving the slider never needs a new inference.
 */
export const SEGMENT_ABOVE_PROBABILITY = Math.min(...THRESHOLD_PRESETS);

/** Per-pixel probability above which the segmenter's output counts as tumor. */
export const MASK_PIXEL_THRESHOLD = 0.5;

/** Tumor when the probability reaches the threshold (tumor is the positive class). */
export function isTumor(probability: number, threshold: number): boolean {
  return probability >= threshold;
}

export function clampThreshold(t: number): number {
  if (!Number.isFinite(t)) return DEFAULT_THRESHOLD;
  return Math.min(1, Math.max(0, t));
}
