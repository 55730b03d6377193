/** What the screen shows, derived from the store with the core's rules (nothing here runs a model). */
import { createMask, maskArea, type BinaryMask } from '../core/image';
import { twoStageMask } from '../core/mask';
import { diceFromOverlap, iouFromOverlap, overlap } from '../core/metrics';
import { isTumor } from '../core/thresholds';
import type { CurrentSlice } from './store';

export interface Displayed {
  decision: boolean | null;
  /** The two-stage mask at the current threshold (empty when the classifier says no tumor). */
  predicted: BinaryMask | null;
  predictedArea: number;
  /** True when the classifier calls tumor but the segmenter has not run for this slice. */
  needsSegmentation: boolean;
  scores: { dice: number; iou: number; truthArea: number; intersection: number } | null;
}

export function displayed(current: CurrentSlice | null, threshold: number): Displayed {
  const a = current?.analysis;
  if (!current || !a) return { decision: null, predicted: null, predictedArea: 0, needsSegmentation: false, scores: null };
  const { width, height } = current.image;
  const decision = isTumor(a.probability, threshold);
  const predicted = twoStageMask(a.probability, threshold, a.segmentation, width, height);
  const needsSegmentation = decision && !a.segmentation;
  let scores: Displayed['scores'] = null;
  if (current.truth && !needsSegmentation) {
    const o = overlap(predicted, current.truth.mask);
    scores = { dice: diceFromOverlap(o), iou: iouFromOverlap(o), truthArea: o.truth, intersection: o.intersection };
  }
  return { decision, predicted: needsSegmentation ? createMask(width, height) : predicted, predictedArea: maskArea(predicted), needsSegmentation, scores };
}
