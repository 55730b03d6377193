/**
 * The combined tumor probability: the classifier's probability and the area the segmenter outlines, joined by a
 * logistic regression fitted on the validation patients (training/: `npm run fit-combined`).
 *
 * Why: on the validation patients the segmenter's area separates tumor from no-tumor slices as well as the
 * classifier does (AUC 0.935 each), and the two err on different slices, so together they beat either alone.
 * The classifier gets a slope of its own where the segmenter outlines nothing: there it is the only evidence, and
 * one slope for all slices let the mask's area overrule it on faint tumors the segmenter cannot see.
 * The weights belong to one pair of shipped models; `combined.json` records the pair's weight hashes.
 */
import type { ClassifierTestMetrics } from './card';

export interface CombinedWeights {
  /** Multiplies logit(classifier probability). */
  classifierLogit: number;
  /** Multiplies ln(1 + the post-processed mask's area in pixels). */
  logMaskArea: number;
  /** Added to classifierLogit on slices whose post-processed mask is empty. */
  emptyMaskClassifierLogit: number;
  bias: number;
}

/** `public/models/combined.json`. */
export interface CombinedCard {
  kind: 'combined-tumor-probability';
  formula: string;
  weights: CombinedWeights;
  /** Where the weights were fitted, and how they scored when each patient was left out of the fit in turn. */
  fitted: {
    split: string;
    patients: string[];
    slices: number;
    tumorSlices: number;
    l2: number;
    leaveOnePatientOut: ClassifierTestMetrics;
  };
  /** sha256 of each model's weight shards in manifest order: the weights only fit this pair. */
  models: { classifier: string; segmenter: string };
  /** On the models' held-out test patients (the classifier card's `data.patients.test`), written by evaluate --write-cards. */
  metrics?: { test: ClassifierTestMetrics };
  command: string;
  date: string;
}

export const COMBINED_FORMULA =
  'sigmoid(classifierLogit * logit(p) + logMaskArea * ln(1 + maskArea) + emptyMaskClassifierLogit * (maskArea == 0 ? logit(p) : 0) + bias)';

/** Probabilities are clamped before the logit so that a saturated classifier (0 or 1 in float32) stays finite. */
const EPSILON = 1e-6;

export function logit(p: number): number {
  const q = Math.min(1 - EPSILON, Math.max(EPSILON, p));
  return Math.log(q / (1 - q));
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** The features in the order of the fit: logit(p), ln(1 + area), logit(p) where the mask is empty (else 0). */
export function combinedFeatures(classifierProbability: number, maskArea: number): [number, number, number] {
  const classifier = logit(classifierProbability);
  const area = Math.max(0, maskArea);
  return [classifier, Math.log1p(area), area === 0 ? classifier : 0];
}

export function combinedProbability(classifierProbability: number, maskArea: number, w: CombinedWeights): number {
  const [a, b, c] = combinedFeatures(classifierProbability, maskArea);
  return sigmoid(w.classifierLogit * a + w.logMaskArea * b + w.emptyMaskClassifierLogit * c + w.bias);
}

/** What the formula's inputs are called where it is written out for readers (the app's card, the evaluation report). */
export interface FormulaWords {
  classifier: string;
  area: string;
  empty: string;
}

/**
 * The fitted formula written out with its numbers: the one spelling of it for the app's model card and the
 * evaluation report, so neither can drift from `combinedProbability`. A zero empty-mask slope (an older file) is left out.
 */
export function combinedFormulaText(w: CombinedWeights, digits: number, words: FormulaWords): string {
  const signed = (v: number) => (v < 0 ? `− ${(-v).toFixed(digits)}` : `+ ${v.toFixed(digits)}`);
  const terms = [`${w.classifierLogit.toFixed(digits)} · ${words.classifier}`, `${signed(w.logMaskArea)} · ${words.area}`];
  if (w.emptyMaskClassifierLogit !== 0) terms.push(`${signed(w.emptyMaskClassifierLogit)} · ${words.empty}`);
  terms.push(signed(w.bias));
  return `sigmoid(${terms.join(' ')})`;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Checks a fetched or read combined.json; throws with the field that is wrong. */
export function parseCombinedCard(json: unknown, source: string): CombinedCard {
  const c = json as Partial<CombinedCard> | null;
  const fail = (what: string): never => {
    throw new Error(`${source}: ${what}`);
  };
  if (!c || typeof c !== 'object') fail('not a JSON object');
  if (c!.kind !== 'combined-tumor-probability') fail(`kind is "${String(c!.kind)}", not "combined-tumor-probability"`);
  const w = c!.weights as Partial<CombinedWeights> | undefined;
  if (!w || !isNumber(w.classifierLogit) || !isNumber(w.logMaskArea) || !isNumber(w.bias)) fail('weights must hold finite numbers classifierLogit, logMaskArea and bias');
  // Files fitted before 2026-11-29 have no slope for empty masks: their fit is this one with that slope at 0.
  if (w!.emptyMaskClassifierLogit === undefined) w!.emptyMaskClassifierLogit = 0;
  else if (!isNumber(w!.emptyMaskClassifierLogit)) fail('weights.emptyMaskClassifierLogit must be a finite number');
  if (!c!.models || typeof c!.models.classifier !== 'string' || typeof c!.models.segmenter !== 'string') fail('models must name the classifier and segmenter weight hashes');
  return c as CombinedCard;
}
