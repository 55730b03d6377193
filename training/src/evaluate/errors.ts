/**
 * Where the app's decisions go wrong, from the evaluation's per-slice rows: the tumor-free slices it calls tumor, by
 * how far each lies from its patient's nearest tumor slice, and the tumor slices it misses.
 *
 * Why: a false alarm on the slice next to a tumor (where the mask's edge is a judgement call) is a different failure
 * from one far from any tumor, and the report should say which the shortfall at 0.05 is made of.
 */
import { isTumor, THRESHOLD_PRESETS } from '../../../src/core/thresholds';
import { decisionProbability, thresholdKey, type SliceRow } from './run';

/** Distance bands in slices (by the number in the slice's file name), nearest first. */
export const DISTANCE_BANDS = [
  { label: '1 slice', max: 1 },
  { label: '2 slices', max: 2 },
  { label: '3-5 slices', max: 5 },
  { label: 'more than 5 slices', max: Infinity },
] as const;
export const NO_TUMOR_PATIENT = 'patient without tumor slices';
export const UNNUMBERED = 'slice number unknown';

export interface FalseAlarmBand {
  band: string;
  /** Tumor-free slices in the band. */
  slices: number;
  /** Of those, called tumor by the app's decision probability, per threshold ("0.5", "0.05"). */
  called: Record<string, number>;
}

/** Slices from the patient's nearest tumor slice; null when the patient has none or a slice number is unknown. */
function distanceToTumor(row: SliceRow, tumorIndices: number[]): number | null {
  if (row.index === null || tumorIndices.length === 0) return null;
  return Math.min(...tumorIndices.map((i) => Math.abs(i - row.index!)));
}

function bandOf(row: SliceRow, tumorIndices: number[], patientHasTumor: boolean): string {
  if (!patientHasTumor) return NO_TUMOR_PATIENT;
  const d = distanceToTumor(row, tumorIndices);
  if (d === null) return UNNUMBERED;
  return DISTANCE_BANDS.find((b) => d <= b.max)!.label;
}

/** Every tumor-free slice in one band; bands without slices are left out. */
export function falseAlarmsByDistance(rows: SliceRow[], thresholds: readonly number[] = THRESHOLD_PRESETS): FalseAlarmBand[] {
  const tumorIndices = new Map<string, number[]>();
  const hasTumor = new Set<string>();
  for (const r of rows) {
    if (!r.tumor) continue;
    hasTumor.add(r.patient);
    if (r.index !== null) tumorIndices.set(r.patient, [...(tumorIndices.get(r.patient) ?? []), r.index]);
  }
  const order = [...DISTANCE_BANDS.map((b) => b.label), UNNUMBERED, NO_TUMOR_PATIENT];
  const bands = new Map(order.map((band) => [band, { band, slices: 0, called: Object.fromEntries(thresholds.map((t) => [thresholdKey(t), 0])) } as FalseAlarmBand]));
  for (const r of rows) {
    if (r.tumor) continue;
    const b = bands.get(bandOf(r, tumorIndices.get(r.patient) ?? [], hasTumor.has(r.patient)))!;
    b.slices++;
    for (const t of thresholds) if (isTumor(decisionProbability(r), t)) b.called[thresholdKey(t)]++;
  }
  return [...bands.values()].filter((b) => b.slices > 0);
}

export interface MissedTumorSlice {
  file: string;
  truth_pixels: number;
  classifier: number;
  /** The segmenter's post-processed mask on the slice (drawn or not). */
  predicted_pixels: number;
  /** What the app decided on: the combined probability, or the classifier's without combined.json. */
  decision: number;
}

/** The tumor slices the app calls tumor-free at `threshold`, lowest decision probability first. */
export function missedTumorSlices(rows: SliceRow[], threshold: number): MissedTumorSlice[] {
  return rows
    .filter((r) => r.tumor && !isTumor(decisionProbability(r), threshold))
    .map((r) => ({ file: r.file, truth_pixels: r.truth_pixels, classifier: r.probability, predicted_pixels: r.predicted_pixels, decision: decisionProbability(r) }))
    .sort((a, b) => a.decision - b.decision);
}
