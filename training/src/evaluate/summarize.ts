/** Turns per-slice rows into the evaluation's metrics, all through src/core's metric functions. */
import {
  classificationReport,
  confusionAt,
  diceFromOverlap,
  iouFromOverlap,
  mean,
  rocCurve,
  scores,
  sumOverlaps,
  type BinaryScores,
  type ClassificationReport,
  type Overlap,
} from '../../../src/core/metrics';
import { MIN_REGION_PIXELS } from '../../../src/core/mask';
import { MASK_PIXEL_THRESHOLD, THRESHOLD_PRESETS, isTumor } from '../../../src/core/thresholds';
import { decisionProbability, thresholdKey, type SliceRow } from './run';

export type ThresholdResult = BinaryScores & { classification_report: ClassificationReport };

export interface ClassifierResult {
  auc: number | null;
  positives: number;
  negatives: number;
  thresholds: Record<string, ThresholdResult>;
}

export interface SegmenterResult {
  pixel_threshold: number;
  min_region_pixels: number;
  tumor_slices: number;
  slice_dice_mean: number | null;
  slice_dice_over: string;
  iou_mean: number | null;
  iou_over: string;
  patient_dice_mean: number | null;
  patient_dice_over: string;
  patients_with_tumor: number;
  patient_dice_mean_all_slices: number | null;
  patient_dice_all_slices_over: string;
  /** Share of no-tumor slices on which the segmenter alone draws something (what the classifier gate is for). */
  false_positive_slice_rate: number | null;
}

export interface PipelineResult {
  threshold: number;
  patient_dice_mean: number | null;
  patient_dice_over: string;
  slice_dice_mean: number | null;
  slice_dice_over: string;
  tumor_slice_dice_mean: number | null;
  /** Slices the classifier let through to the segmenter. */
  gated_slices: number;
}

export interface PatientRow {
  patient: string;
  slices: number;
  tumor_slices: number;
  truth_pixels: number;
  /** Accuracy on this patient's slices per threshold, of the probability the app decides on (the combined one when there is one). */
  accuracy: Record<string, number>;
  /** Segmenter alone, 3-D Dice over the patient's tumor slices (null without tumor slices). */
  segmenter_dice: number | null;
  /** Segmenter alone, 3-D Dice over all the patient's slices. */
  segmenter_dice_all_slices: number;
  /** Two-stage 3-D Dice over all slices, per threshold. */
  pipeline_dice: Record<string, number>;
  /** With a second segmenter: the outline's 3-D Dice over the tumor slices and over all slices (else null). */
  outline_dice?: number | null;
  outline_dice_all_slices?: number | null;
}

export interface Metrics {
  slices: number;
  tumor_slices: number;
  patients: number;
  classifier: ClassifierResult;
  /** The combined probability (classifier and mask area), scored like the classifier; null without combined.json. */
  combined: ClassifierResult | null;
  /** The (first) segmenter alone: its mask's area feeds the combined probability. */
  segmenter: SegmenterResult;
  /** With a second segmenter: the outline the app draws (the mean of both maps), scored like `segmenter`; else null. */
  outline?: SegmenterResult | null;
  pipeline: Record<string, PipelineResult>;
  per_patient: PatientRow[];
}

/** JSON has no NaN: undefined metrics (e.g. AUC with one class) are written as null. */
const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

const alone = (r: SliceRow): Overlap => ({ intersection: r.intersection, predicted: r.predicted_pixels, truth: r.truth_pixels });
/** The outline drawn: the second segmenter's mean when there is one, else the segmenter's own mask. */
const drawn = (r: SliceRow): Overlap => (r.outline ? { intersection: r.outline.intersection, predicted: r.outline.predicted_pixels, truth: r.truth_pixels } : alone(r));
const gated = (r: SliceRow, key: string): Overlap => ({ intersection: r.pipeline[key].intersection, predicted: r.pipeline[key].predicted_pixels, truth: r.truth_pixels });

function groupByPatient(rows: SliceRow[]): Map<string, SliceRow[]> {
  const groups = new Map<string, SliceRow[]>();
  for (const r of rows) {
    const g = groups.get(r.patient);
    if (g) g.push(r);
    else groups.set(r.patient, [r]);
  }
  return groups;
}

/** AUC and both presets' scores of one probability per slice (the classifier's, or the combined one). */
export function scoreProbabilities(labels: boolean[], probabilities: number[]): ClassifierResult {
  const thresholds: Record<string, ThresholdResult> = {};
  for (const t of THRESHOLD_PRESETS) {
    const c = confusionAt(labels, probabilities, t);
    thresholds[thresholdKey(t)] = { ...scores(c), classification_report: classificationReport(c) };
  }
  const positives = labels.filter(Boolean).length;
  return { auc: finite(rocCurve(labels, probabilities).auc), positives, negatives: labels.length - positives, thresholds };
}

/**
 * One mask scored on every slice (no classifier gate): per tumor slice, per patient over its tumor slices and over
 * all its slices, and how often it draws on tumor-free slices. `who` names the mask in the descriptions.
 */
function maskResult(rows: SliceRow[], of: (r: SliceRow) => Overlap, who: string): { result: SegmenterResult; perPatient: Map<string, { tumor: number | null; all: number }> } {
  const tumorRows = rows.filter((r) => r.tumor);
  const normalRows = rows.filter((r) => !r.tumor);
  const perPatient = new Map<string, { tumor: number | null; all: number }>();
  for (const [patient, group] of groupByPatient(rows)) {
    const tumorGroup = group.filter((r) => r.tumor);
    perPatient.set(patient, { tumor: tumorGroup.length ? diceFromOverlap(sumOverlaps(tumorGroup.map(of))) : null, all: diceFromOverlap(sumOverlaps(group.map(of))) });
  }
  const withTumor = [...perPatient.values()].filter((p) => p.tumor !== null);
  return {
    perPatient,
    result: {
      pixel_threshold: MASK_PIXEL_THRESHOLD,
      min_region_pixels: MIN_REGION_PIXELS,
      tumor_slices: tumorRows.length,
      slice_dice_mean: finite(mean(tumorRows.map((r) => diceFromOverlap(of(r))))),
      slice_dice_over: `tumor slices (ground truth), ${who}, mean over slices`,
      iou_mean: finite(mean(tumorRows.map((r) => iouFromOverlap(of(r))))),
      iou_over: `tumor slices (ground truth), ${who}, mean over slices`,
      patient_dice_mean: finite(mean(withTumor.map((p) => p.tumor!))),
      patient_dice_over: `each patient's tumor slices (${who}), 3-D Dice per patient, then the mean over patients with tumor`,
      patients_with_tumor: withTumor.length,
      patient_dice_mean_all_slices: finite(mean([...perPatient.values()].map((p) => p.all))),
      patient_dice_all_slices_over: `all slices of each patient, ${who} on every slice (no classifier gate), 3-D Dice per patient, then the mean`,
      false_positive_slice_rate: finite(normalRows.length ? normalRows.filter((r) => of(r).predicted > 0).length / normalRows.length : NaN),
    },
  };
}

export function summarize(rows: SliceRow[]): Metrics {
  const labels = rows.map((r) => r.tumor);
  const probabilities = rows.map((r) => r.probability);
  const decided = rows.map(decisionProbability);
  const hasCombined = rows.length > 0 && rows.every((r) => r.combined_probability !== null);
  const hasOutline = rows.length > 0 && rows.every((r) => r.outline);
  const tumorRows = rows.filter((r) => r.tumor);
  const segmenter = maskResult(rows, alone, 'segmenter alone');
  const outline = hasOutline ? maskResult(rows, drawn, 'the outline drawn: mean of both segmenters\' maps') : null;

  const perPatient: PatientRow[] = [];
  for (const [patient, group] of groupByPatient(rows)) {
    const accuracy: Record<string, number> = {};
    const pipelineDice: Record<string, number> = {};
    for (const t of THRESHOLD_PRESETS) {
      accuracy[thresholdKey(t)] = scores(confusionAt(group.map((r) => r.tumor), group.map(decisionProbability), t)).accuracy;
      pipelineDice[thresholdKey(t)] = diceFromOverlap(sumOverlaps(group.map((r) => gated(r, thresholdKey(t)))));
    }
    const own = segmenter.perPatient.get(patient)!;
    const row: PatientRow = {
      patient,
      slices: group.length,
      tumor_slices: group.filter((r) => r.tumor).length,
      truth_pixels: group.reduce((n, r) => n + r.truth_pixels, 0),
      accuracy,
      segmenter_dice: own.tumor,
      segmenter_dice_all_slices: own.all,
      pipeline_dice: pipelineDice,
    };
    if (outline) {
      row.outline_dice = outline.perPatient.get(patient)!.tumor;
      row.outline_dice_all_slices = outline.perPatient.get(patient)!.all;
    }
    perPatient.push(row);
  }

  const pipeline: Record<string, PipelineResult> = {};
  for (const t of THRESHOLD_PRESETS) {
    const key = thresholdKey(t);
    pipeline[key] = {
      threshold: t,
      patient_dice_mean: finite(mean(perPatient.map((p) => p.pipeline_dice[key]))),
      patient_dice_over: 'all slices of each patient (no-tumor slices included), 3-D Dice per patient, then the mean over patients',
      slice_dice_mean: finite(mean(rows.map((r) => diceFromOverlap(gated(r, key))))),
      slice_dice_over: 'all slices; an empty prediction on a no-tumor slice scores 1',
      tumor_slice_dice_mean: finite(mean(tumorRows.map((r) => diceFromOverlap(gated(r, key))))),
      gated_slices: decided.filter((p) => isTumor(p, t)).length,
    };
  }

  return {
    slices: rows.length,
    tumor_slices: tumorRows.length,
    patients: perPatient.length,
    classifier: scoreProbabilities(labels, probabilities),
    combined: hasCombined ? scoreProbabilities(labels, decided) : null,
    segmenter: segmenter.result,
    outline: outline?.result ?? null,
    pipeline,
    per_patient: perPatient,
  };
}
