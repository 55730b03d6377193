/**
 * Comparing candidate model folders on the validation patients, before one is shipped: the classifier, the
 * segmenter, and the combined probability each pair would get (scored leaving each patient out of its fit, as
 * fit-combined reports it). The test patients are not used; they judge the pair that ships.
 */
import { Rng } from '../backend/seeded-random';
import { leaveOnePatientOut, probabilityMetrics } from './combined-fit';
import type { SliceRow } from './run';
import type { Metrics } from './summarize';

/** How many of `count` positives a recall of at least `minRecall` must keep (the epsilon keeps a product a rounding error above an integer, such as 0.07 * 100 = 7.000000000000001, from asking for one more). */
const positivesToKeep = (count: number, minRecall: number) => Math.ceil(minRecall * count - 1e-9);

/**
 * The highest specificity any threshold reaches while recall stays >= `minRecall`: the operating point that the
 * 0.05 preset aims at, free of where a fitted probability happens to put 0.05.
 */
export function specificityAtRecall(labels: boolean[], probabilities: number[], minRecall: number): { specificity: number; threshold: number } | null {
  const positives = probabilities.filter((_, i) => labels[i]).sort((a, b) => b - a);
  const negatives = probabilities.filter((_, i) => !labels[i]);
  if (positives.length === 0 || negatives.length === 0) return null;
  // Calling the top k positives tumor needs threshold <= the k-th highest positive score.
  const k = positivesToKeep(positives.length, minRecall);
  const threshold = positives[Math.max(0, k - 1)];
  return { specificity: negatives.filter((p) => p < threshold).length / negatives.length, threshold };
}

/** A tumor slice among those that set the recall-0.98 operating point: what a candidate would have to find. */
export interface DecidingSlice {
  file: string;
  truth_pixels: number;
  classifier: number;
  predicted_pixels: number;
  /** Left-one-patient-out combined probability. */
  combined: number;
}

/**
 * The tumor slices at and below the recall-`minRecall` threshold (the ones it may miss, and the one that sets it),
 * lowest first: on 110 validation tumor slices, three slices decide that point.
 */
export function decidingTumorSlices(rows: SliceRow[], combinedP: number[], minRecall: number): DecidingSlice[] {
  const tumor = rows.map((r, i) => ({ r, p: combinedP[i] })).filter((x) => x.r.tumor).sort((a, b) => a.p - b.p);
  const allowedMisses = tumor.length - positivesToKeep(tumor.length, minRecall);
  return tumor.slice(0, allowedMisses + 1).map(({ r, p }) => ({ file: r.file, truth_pixels: r.truth_pixels, classifier: r.probability, predicted_pixels: r.predicted_pixels, combined: p }));
}

export interface CandidateScores {
  models: string;
  classifier_auc: number | null;
  segmenter: { slice_dice: number | null; patient_dice: number | null; patient_dice_all_slices: number | null; clear_slices_with_mask: number; clear_slices: number };
  /** With a second segmenter in the folder: the outline the app draws (the mean of both maps), scored like `segmenter`; else null. */
  outline: { patient_dice: number | null; patient_dice_all_slices: number | null; clear_slices_with_mask: number } | null;
  /** The combined probability, each patient scored by weights fitted on the others. */
  combined: { auc: number | null; accuracy_at_05: number; recall_at_005: number; specificity_at_005: number; specificity_at_recall_098: number | null };
  /** The tumor slices that set specificity_at_recall_098, lowest combined probability first. */
  deciding_tumor_slices: DecidingSlice[];
}

/** From an evaluation's metrics and its rows (runEvaluation's result): only the combined fit is computed here. */
export function scoreCandidate(models: string, m: Metrics, rows: SliceRow[], combinedP = leaveOnePatientOut(rows)): CandidateScores {
  const held = probabilityMetrics(rows, combinedP);
  const clear = rows.filter((r) => !r.tumor);
  return {
    models,
    classifier_auc: m.classifier.auc,
    segmenter: {
      slice_dice: m.segmenter.slice_dice_mean,
      patient_dice: m.segmenter.patient_dice_mean,
      patient_dice_all_slices: m.segmenter.patient_dice_mean_all_slices,
      clear_slices_with_mask: clear.filter((r) => r.predicted_pixels > 0).length,
      clear_slices: clear.length,
    },
    outline: m.outline
      ? { patient_dice: m.outline.patient_dice_mean, patient_dice_all_slices: m.outline.patient_dice_mean_all_slices, clear_slices_with_mask: clear.filter((r) => (r.outline?.predicted_pixels ?? 0) > 0).length }
      : null,
    combined: {
      auc: held.auc,
      accuracy_at_05: held.thresholds['0.5'].accuracy,
      recall_at_005: held.thresholds['0.05'].recall,
      specificity_at_005: held.thresholds['0.05'].specificity,
      specificity_at_recall_098: specificityAtRecall(rows.map((r) => r.tumor), combinedP, 0.98)?.specificity ?? null,
    },
    deciding_tumor_slices: decidingTumorSlices(rows, combinedP, 0.98),
  };
}

/** A candidate's rows and held-out combined probabilities, as a paired comparison needs them. */
export interface ScoredRows {
  rows: SliceRow[];
  combinedP: number[];
}

export interface PairedBootstrap {
  draws: number;
  /** 5th, 50th and 95th percentile of (candidate - reference) specificity at recall 0.98. */
  difference: [number, number, number];
  /** Share of draws in which the candidate's is at least the reference's. */
  share_at_least_reference: number;
}

/**
 * Specificity at recall 0.98 resampled over patients (the unit the split is made of), both candidates on the same
 * draw of patients: how much of a difference between two candidates 10 validation patients can tell apart. The
 * combined probabilities stay as fitted; only which patients count is redrawn.
 */
export function pairedBootstrapSpecificity(reference: ScoredRows, candidate: ScoredRows, draws = 2000, seed = 1): PairedBootstrap {
  if (reference.rows.length !== candidate.rows.length || reference.rows.some((r, i) => r.file !== candidate.rows[i].file || r.patient !== candidate.rows[i].patient))
    throw new Error('paired bootstrap: the two candidates were scored on different slices');
  const patients = [...new Set(reference.rows.map((r) => r.patient))];
  const slicesOf = new Map(patients.map((p) => [p, reference.rows.flatMap((r, i) => (r.patient === p ? [i] : []))]));
  const rng = new Rng(seed);
  const differences: number[] = [];
  for (let d = 0; d < draws; d++) {
    const idx = Array.from({ length: patients.length }, () => slicesOf.get(patients[Math.floor(rng.next() * patients.length)])!).flat();
    const at = (s: ScoredRows) => specificityAtRecall(idx.map((i) => s.rows[i].tumor), idx.map((i) => s.combinedP[i]), 0.98)?.specificity;
    const ref = at(reference);
    const cand = at(candidate);
    if (ref !== undefined && cand !== undefined) differences.push(cand - ref);
  }
  differences.sort((a, b) => a - b);
  const q = (f: number) => differences[Math.min(differences.length - 1, Math.floor(f * differences.length))];
  return { draws: differences.length, difference: [q(0.05), q(0.5), q(0.95)], share_at_least_reference: differences.filter((x) => x >= 0).length / differences.length };
}
