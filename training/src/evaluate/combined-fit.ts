/**
 * Fits the combined tumor probability (src/core/combined.ts) on evaluation rows: an L2-regularized logistic
 * regression on its features (combinedFeatures) by Newton's method, and its leave-one-patient-out score, which is
 * what the weights can be expected to do on patients they were not fitted on.
 */
import { combinedFeatures, combinedProbability, sigmoid, type CombinedWeights } from '../../../src/core/combined';
import type { ClassifierTestMetrics } from '../../../src/core/card';
import { testMetricsOf } from './card-check';
import { scoreProbabilities } from './summarize';

export interface FitRow {
  patient: string;
  tumor: boolean;
  /** The classifier's probability. */
  probability: number;
  /** The post-processed segmenter mask's area in pixels (src/core/mask postprocessMask). */
  predicted_pixels: number;
}

/** Small: it only keeps the fit finite when the classes separate; the bias is not penalized. */
export const DEFAULT_L2 = 0.01;

/** Solves the n x n system H x = g (Gauss-Jordan elimination with partial pivoting). */
function solve(h: number[][], g: number[]): number[] {
  const n = g.length;
  const m = h.map((row, i) => [...row, g[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

export function fitCombined(rows: FitRow[], l2 = DEFAULT_L2, iterations = 50): CombinedWeights {
  if (rows.length === 0) throw new Error('no rows to fit the combined probability on');
  const x = rows.map((r) => [...combinedFeatures(r.probability, r.predicted_pixels), 1]);
  const y = rows.map((r) => (r.tumor ? 1 : 0));
  const n = rows.length;
  const d = x[0].length; // the slopes, then the bias (last, not penalized)
  let w = new Array<number>(d).fill(0);
  for (let it = 0; it < iterations; it++) {
    const g = w.map((v, k) => (k < d - 1 ? l2 * v : 0));
    const h = Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => (a !== b ? 0 : a < d - 1 ? l2 : 1e-9)));
    for (let i = 0; i < n; i++) {
      const z = x[i].reduce((s, v, k) => s + v * w[k], 0);
      const p = sigmoid(z);
      const q = p * (1 - p);
      for (let a = 0; a < d; a++) {
        g[a] += ((p - y[i]) * x[i][a]) / n;
        for (let b = 0; b < d; b++) h[a][b] += (q * x[i][a] * x[i][b]) / n;
      }
    }
    const step = solve(h, g);
    w = w.map((v, k) => v - step[k]);
    if (Math.max(...step.map(Math.abs)) < 1e-10) break;
  }
  return { classifierLogit: w[0], logMaskArea: w[1], emptyMaskClassifierLogit: w[2], bias: w[3] };
}

/** AUC and the two operating points of a probability over rows, as a card stores them (the evaluation's own scoring). */
export function probabilityMetrics(rows: FitRow[], probabilities: number[]): ClassifierTestMetrics {
  return testMetricsOf(scoreProbabilities(rows.map((r) => r.tumor), probabilities));
}

/** Leaving one patient out needs another to fit on. */
export const MIN_FIT_PATIENTS = 2;

/** Each patient scored by weights fitted on all the other patients. */
export function leaveOnePatientOut(rows: FitRow[], l2 = DEFAULT_L2): number[] {
  const out = new Array<number>(rows.length);
  for (const patient of new Set(rows.map((r) => r.patient))) {
    const w = fitCombined(
      rows.filter((r) => r.patient !== patient),
      l2,
    );
    rows.forEach((r, i) => {
      if (r.patient === patient) out[i] = combinedProbability(r.probability, r.predicted_pixels, w);
    });
  }
  return out;
}
