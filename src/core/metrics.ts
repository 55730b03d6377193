/** Classification and segmentation metrics: one implementation for the app's live report and training's evaluation. */
import { sameSize, type BinaryMask } from './image';
import { isTumor } from './thresholds';

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface BinaryScores extends Confusion {
  accuracy: number;
  precision: number;
  recall: number; // sensitivity, tumor recall
  specificity: number;
  f1: number;
  support: number;
}

/** Counts with tumor as the positive class. labels: true/1 = tumor. */
export function confusionAt(labels: ArrayLike<number | boolean>, probabilities: ArrayLike<number>, threshold: number): Confusion {
  if (labels.length !== probabilities.length) throw new Error(`labels (${labels.length}) and probabilities (${probabilities.length}) differ in length`);
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < labels.length; i++) {
    const truth = Boolean(labels[i]);
    const predicted = isTumor(probabilities[i], threshold);
    if (truth && predicted) c.tp++;
    else if (!truth && predicted) c.fp++;
    else if (!truth && !predicted) c.tn++;
    else c.fn++;
  }
  return c;
}

/** a / b, or 0 when b is 0 (sklearn's zero_division=0). */
export function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

export function scores(c: Confusion): BinaryScores {
  const precision = ratio(c.tp, c.tp + c.fp);
  const recall = ratio(c.tp, c.tp + c.fn);
  const support = c.tp + c.fp + c.tn + c.fn;
  return {
    ...c,
    accuracy: ratio(c.tp + c.tn, support),
    precision,
    recall,
    specificity: ratio(c.tn, c.tn + c.fp),
    f1: ratio(2 * precision * recall, precision + recall),
    support,
  };
}

export interface ClassReportRow {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** sklearn's classification_report layout: per class, accuracy, macro and weighted averages. */
export interface ClassificationReport {
  noTumor: ClassReportRow;
  tumor: ClassReportRow;
  accuracy: number;
  macroAvg: ClassReportRow;
  weightedAvg: ClassReportRow;
}

export function classificationReport(c: Confusion): ClassificationReport {
  const row = (tp: number, fp: number, fn: number): ClassReportRow => {
    const precision = ratio(tp, tp + fp);
    const recall = ratio(tp, tp + fn);
    return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support: tp + fn };
  };
  const tumor = row(c.tp, c.fp, c.fn);
  const noTumor = row(c.tn, c.fn, c.fp);
  const total = tumor.support + noTumor.support;
  const avg = (w1: number, w2: number): ClassReportRow => ({
    precision: w1 * noTumor.precision + w2 * tumor.precision,
    recall: w1 * noTumor.recall + w2 * tumor.recall,
    f1: w1 * noTumor.f1 + w2 * tumor.f1,
    support: total,
  });
  return {
    noTumor,
    tumor,
    accuracy: ratio(c.tp + c.tn, total),
    macroAvg: avg(0.5, 0.5),
    weightedAvg: avg(ratio(noTumor.support, total), ratio(tumor.support, total)),
  };
}

export interface CurvePoint {
  threshold: number;
  x: number;
  y: number;
}

/** Distinct thresholds from high to low, each with the counts of predictions at or above it. */
function sweep(labels: ArrayLike<number | boolean>, probabilities: ArrayLike<number>) {
  const order = Array.from({ length: probabilities.length }, (_, i) => i).sort((a, b) => probabilities[b] - probabilities[a]);
  const positives = order.reduce((n, i) => n + (labels[i] ? 1 : 0), 0);
  const negatives = order.length - positives;
  const steps: { threshold: number; tp: number; fp: number }[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (labels[i]) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || probabilities[next] !== probabilities[i]) steps.push({ threshold: probabilities[i], tp, fp });
  }
  return { steps, positives, negatives };
}

/** ROC curve (x = false-positive rate, y = recall) from (0,0) to (1,1), and its area by the trapezoid rule. */
export function rocCurve(labels: ArrayLike<number | boolean>, probabilities: ArrayLike<number>): { points: CurvePoint[]; auc: number } {
  const { steps, positives, negatives } = sweep(labels, probabilities);
  const points: CurvePoint[] = [{ threshold: Infinity, x: 0, y: 0 }];
  for (const s of steps) points.push({ threshold: s.threshold, x: ratio(s.fp, negatives), y: ratio(s.tp, positives) });
  let auc = 0;
  for (let k = 1; k < points.length; k++) auc += ((points[k].x - points[k - 1].x) * (points[k].y + points[k - 1].y)) / 2;
  return { points, auc: positives && negatives ? auc : NaN };
}

/** Precision-recall curve (x = recall, y = precision), one point per distinct threshold, high to low. */
export function precisionRecallCurve(labels: ArrayLike<number | boolean>, probabilities: ArrayLike<number>): CurvePoint[] {
  const { steps, positives } = sweep(labels, probabilities);
  return steps.map((s) => ({ threshold: s.threshold, x: ratio(s.tp, positives), y: ratio(s.tp, s.tp + s.fp) }));
}

/**
 * Neither the prediction nor the truth holds tumor: Dice and IoU are 1 there by convention (nothing to overlap), which
 * must not read as a perfect outline, so the app shows n/a and the CSV leaves the cell empty.
 */
export const noTumorInEither = (predictedArea: number, truthArea: number): boolean => predictedArea === 0 && truthArea === 0;

/** Overlap counts of two masks of the same size. */
export interface Overlap {
  intersection: number;
  predicted: number;
  truth: number;
}

export function overlap(predicted: BinaryMask, truth: BinaryMask): Overlap {
  if (!sameSize(predicted, truth))
    throw new Error(`mask sizes differ: ${predicted.width}x${predicted.height} vs ${truth.width}x${truth.height}`);
  const o: Overlap = { intersection: 0, predicted: 0, truth: 0 };
  for (let i = 0; i < predicted.data.length; i++) {
    const p = predicted.data[i] ? 1 : 0;
    const t = truth.data[i] ? 1 : 0;
    o.predicted += p;
    o.truth += t;
    o.intersection += p & t;
  }
  return o;
}

/** Dice = 2|A∩B| / (|A|+|B|); two empty masks agree perfectly (1). */
export function diceFromOverlap(o: Overlap): number {
  const denom = o.predicted + o.truth;
  return denom === 0 ? 1 : (2 * o.intersection) / denom;
}

/** IoU = |A∩B| / |A∪B|; two empty masks agree perfectly (1). */
export function iouFromOverlap(o: Overlap): number {
  const union = o.predicted + o.truth - o.intersection;
  return union === 0 ? 1 : o.intersection / union;
}

export const dice = (predicted: BinaryMask, truth: BinaryMask) => diceFromOverlap(overlap(predicted, truth));
export const iou = (predicted: BinaryMask, truth: BinaryMask) => iouFromOverlap(overlap(predicted, truth));

/** 3-D (volume) overlap: sum the per-slice counts of one patient, then take Dice of the sums. */
export function sumOverlaps(parts: Iterable<Overlap>): Overlap {
  const total: Overlap = { intersection: 0, predicted: 0, truth: 0 };
  for (const o of parts) {
    total.intersection += o.intersection;
    total.predicted += o.predicted;
    total.truth += o.truth;
  }
  return total;
}

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}
