/**
 * Runs both shipped models over labeled slices exactly as the app does (src/inference/analyze.ts for the models,
 * src/core for post-processing and the two-stage gate) and keeps one row of counts per slice; every metric of
 * the report is computed from these rows.
 */
import { basename } from 'node:path';
import { IMAGE_CHANNELS } from '../../../src/core/constants';
import { hasTumor, maskArea, type BinaryMask, type RgbImage } from '../../../src/core/image';
import { combinedProbability, type CombinedWeights } from '../../../src/core/combined';
import { segmenterMasks, twoStageMask, type SegmenterMasks } from '../../../src/core/mask';
import { overlap } from '../../../src/core/metrics';
import { THRESHOLD_PRESETS } from '../../../src/core/thresholds';
import { classify, segmentEach, type Predictor } from '../../../src/inference/analyze';
import type { SliceSet } from '../data/load';

/** One decoded slice with its ground truth, as the evaluation scores it. */
export interface LabeledSlice {
  patient: string;
  file: string;
  index: number | null;
  image: RgbImage;
  mask: BinaryMask;
}

/** Views (no copies) of training's decoded slice set as app-style images and masks. */
export function labeledSlices(set: SliceSet): LabeledSlice[] {
  const px = set.size * set.size;
  return set.records.map((r, i) => ({
    patient: r.patient,
    file: basename(r.imagePath),
    index: r.index,
    image: { width: set.size, height: set.size, data: set.images.subarray(i * px * IMAGE_CHANNELS, (i + 1) * px * IMAGE_CHANNELS) },
    mask: { width: set.size, height: set.size, data: set.masks.subarray(i * px, (i + 1) * px) },
  }));
}

/** Per-slice counts: the ground truth, the classifier's probability, and the masks' overlaps with the truth. */
export interface SliceRow {
  patient: string;
  file: string;
  index: number | null;
  tumor: boolean;
  truth_pixels: number;
  probability: number;
  /** The combined tumor probability (classifier and mask area, src/core/combined.ts); null without combined.json. */
  combined_probability: number | null;
  /** The (first) segmenter alone (post-processed mask), run on every slice; its area is what the combined probability reads. */
  predicted_pixels: number;
  intersection: number;
  /**
   * With a second segmenter: the outline the app draws (the post-processed mean of both maps), run on every slice.
   * Absent (or null) with one segmenter, whose mask is the outline.
   */
  outline?: { predicted_pixels: number; intersection: number } | null;
  /**
   * The two-stage result per threshold ("0.5", "0.05"): the probability the app decides on (the combined one when
   * there is one, else the classifier's) gates, the outline is drawn.
   */
  pipeline: Record<string, { predicted_pixels: number; intersection: number }>;
}

export interface PhaseSeconds {
  read: number;
  classify: number;
  segment: number;
  postprocess: number;
}

export const thresholdKey = (t: number): string => String(t);

/** The probability the app shows and decides on. */
export const decisionProbability = (r: Pick<SliceRow, 'probability' | 'combined_probability'>): number => r.combined_probability ?? r.probability;

function rowOf(s: LabeledSlice, probability: number, masks: SegmenterMasks, combined: CombinedWeights | null): SliceRow {
  const alone = overlap(masks.decisionMask, s.mask);
  const drawn = masks.outline === masks.decisionMask ? null : overlap(masks.outline, s.mask);
  const combinedP = combined ? combinedProbability(probability, alone.predicted, combined) : null;
  const decide = combinedP ?? probability;
  const pipeline: SliceRow['pipeline'] = {};
  for (const t of THRESHOLD_PRESETS) {
    const o = overlap(twoStageMask(decide, t, masks.outline, s.mask.width, s.mask.height), s.mask);
    pipeline[thresholdKey(t)] = { predicted_pixels: o.predicted, intersection: o.intersection };
  }
  return {
    patient: s.patient,
    file: s.file,
    index: s.index,
    tumor: hasTumor(s.mask),
    truth_pixels: maskArea(s.mask),
    probability,
    combined_probability: combinedP,
    predicted_pixels: alone.predicted,
    intersection: alone.intersection,
    outline: drawn && { predicted_pixels: drawn.predicted, intersection: drawn.intersection },
    pipeline,
  };
}

const now = () => performance.now() / 1000;

export interface EvaluatedModels {
  classifier: Predictor;
  segmenter: Predictor;
  segmenter2?: Predictor | null;
}

/** The segmenters whose maps make the outline: the first alone, or both with a second one. */
export const segmentersOf = (models: EvaluatedModels): Predictor[] => (models.segmenter2 ? [models.segmenter, models.segmenter2] : [models.segmenter]);

/** Classifies and segments `slices` in batches (with the second segmenter too when there is one); adds the time spent to `phases`. */
export async function evaluateSlices(
  models: EvaluatedModels,
  combined: CombinedWeights | null,
  slices: LabeledSlice[],
  batchSize: number,
  phases: PhaseSeconds,
  onBatch?: (done: number) => void,
): Promise<SliceRow[]> {
  const rows: SliceRow[] = [];
  for (let start = 0; start < slices.length; start += batchSize) {
    const batch = slices.slice(start, start + batchSize);
    const images = batch.map((s) => s.image);
    let t = now();
    const probabilities = await classify(models.classifier, images);
    phases.classify += now() - t;
    t = now();
    const maps = await segmentEach(segmentersOf(models), images);
    phases.segment += now() - t;
    t = now();
    batch.forEach((s, i) => rows.push(rowOf(s, probabilities[i], segmenterMasks(maps.map((m) => m[i]), s.mask.width, s.mask.height), combined)));
    phases.postprocess += now() - t;
    onBatch?.(batch.length);
  }
  return rows;
}
