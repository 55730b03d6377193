/** What the patient view shows, derived with the core's rules from the analyzed slices and the threshold. */
import { hasTumor, maskArea, type BinaryMask } from '../core/image';
import { twoStageMask } from '../core/mask';
import { classificationReport, confusionAt, diceFromOverlap, overlap, scores, sumOverlaps, type Overlap } from '../core/metrics';
import { isTumor } from '../core/thresholds';
import { parseSliceName } from '../core/slices';
import { predictedMaskFile } from '../io/exportTiff';
import type { PatientSlice } from './patient';

/**
 * The patient the slices are of, or null for images without slice numbers (scan.png, brain.tif): a set, not a patient
 * named after the first of them.
 */
export function patientOf(slices: PatientSlice[]): string | null {
  const first = slices[0]?.name;
  return first && first.index !== null ? first.patient : null;
}

/** A slice of the patient whose file was given but could not be read (damaged, cut short). */
export interface UnreadSlice {
  index: number;
  file: string;
}

/**
 * The slices of the patient shown whose files could not be read, from those files' names (intake's `unread`):
 * numbered images of the same patient, not masks, not a slice read from another file. Gaps in the numbering are
 * not guessed at: only files given and failed are named.
 */
export function unreadSlices(failedFiles: string[], slices: PatientSlice[]): UnreadSlice[] {
  const patient = patientOf(slices);
  if (patient === null) return [];
  const read = new Set(slices.map((s) => s.name.index));
  const out = new Map<number, UnreadSlice>();
  for (const f of failedFiles) {
    const n = parseSliceName(f);
    if (n.isMask || n.index === null || n.patient !== patient || read.has(n.index) || out.has(n.index)) continue;
    out.set(n.index, { index: n.index, file: n.file });
  }
  return [...out.values()].sort((a, b) => a.index - b.index);
}

/** "slice 5 could not be read", "slices 5 and 9 could not be read" (null when all were read). */
export function unreadText(unread: UnreadSlice[]): string | null {
  if (unread.length === 0) return null;
  const n = unread.map((u) => u.index);
  const list = n.length === 1 ? `slice ${n[0]}` : `slices ${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}`;
  return `${list} could not be read`;
}

export interface SliceRow {
  file: string;
  probability: number | null;
  decision: boolean | null;
  predicted: BinaryMask | null;
  predictedPixels: number | null;
  /** Per-slice Dice of the two-stage mask, null without truth or result. */
  dice: number | null;
  truthTumor: boolean | null;
}

export function sliceRows(slices: PatientSlice[], threshold: number): SliceRow[] {
  return slices.map((s) => {
    const a = s.analysis;
    if (!a) return { file: s.name.file, probability: null, decision: null, predicted: null, predictedPixels: null, dice: null, truthTumor: s.truth ? hasTumor(s.truth.mask) : null };
    const predicted = twoStageMask(a.probability, threshold, a.segmentation, s.image.width, s.image.height);
    const o = s.truth ? overlap(predicted, s.truth.mask) : null;
    return {
      file: s.name.file,
      probability: a.probability,
      decision: isTumor(a.probability, threshold),
      predicted,
      predictedPixels: maskArea(predicted),
      dice: o ? diceFromOverlap(o) : null,
      truthTumor: s.truth ? hasTumor(s.truth.mask) : null,
    };
  });
}

/** Metrics over the analyzed slices that have truth masks (null when there are none). */
export function truthMetrics(slices: PatientSlice[], rows: SliceRow[], threshold: number) {
  const labels: boolean[] = [];
  const probs: number[] = [];
  const overlaps: Overlap[] = [];
  rows.forEach((r, i) => {
    const truth = slices[i].truth;
    if (r.probability === null || !truth || !r.predicted) return;
    labels.push(hasTumor(truth.mask));
    probs.push(r.probability);
    overlaps.push(overlap(r.predicted, truth.mask));
  });
  if (labels.length === 0) return null;
  const confusion = confusionAt(labels, probs, threshold);
  const volume = sumOverlaps(overlaps);
  return { labels, probs, confusion, scores: scores(confusion), report: classificationReport(confusion), volume, dice3d: diceFromOverlap(volume) };
}

/**
 * The predicted masks as files, for the zip export. As the single-slice save: named `<slice>_predicted_mask.tif`, so
 * unzipped beside the slices they never pass for (or overwrite) the ground truth, in the size of each file given.
 */
export function predictedMaskFiles(slices: PatientSlice[], rows: SliceRow[]): { name: string; data: Uint8Array }[] {
  return rows.flatMap((r, i) => {
    if (!r.predicted) return [];
    return [predictedMaskFile(r.file, r.predicted, slices[i].sourceSize)];
  });
}
