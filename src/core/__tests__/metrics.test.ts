import { describe, expect, it } from 'vitest';
import { classificationReport, confusionAt, dice, iou, rocCurve, scores, sumOverlaps, overlap, diceFromOverlap } from '../metrics';

describe('confusion and scores', () => {
  const labels = [1, 1, 1, 0, 0, 0, 0];
  const probs = [0.9, 0.4, 0.04, 0.6, 0.1, 0.01, 0.03];
  it('counts tumor as the positive class at a threshold', () => {
    expect(confusionAt(labels, probs, 0.5)).toEqual({ tp: 1, fp: 1, tn: 3, fn: 2 });
    expect(confusionAt(labels, probs, 0.05)).toEqual({ tp: 2, fp: 2, tn: 2, fn: 1 });
  });
  it('derives accuracy, precision, recall, specificity, f1 by hand', () => {
    const s = scores({ tp: 2, fp: 2, tn: 2, fn: 1 });
    expect(s.accuracy).toBeCloseTo(4 / 7);
    expect(s.precision).toBeCloseTo(0.5);
    expect(s.recall).toBeCloseTo(2 / 3);
    expect(s.specificity).toBeCloseTo(0.5);
    expect(s.f1).toBeCloseTo((2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3));
  });
  it('builds the sklearn report layout', () => {
    const r = classificationReport({ tp: 2, fp: 2, tn: 2, fn: 1 });
    expect(r.tumor.support).toBe(3);
    expect(r.noTumor.support).toBe(4);
    expect(r.noTumor.precision).toBeCloseTo(2 / 3);
    expect(r.noTumor.recall).toBeCloseTo(0.5);
    expect(r.weightedAvg.recall).toBeCloseTo((4 / 7) * 0.5 + (3 / 7) * (2 / 3));
  });
  it('computes ROC AUC as the fraction of correctly ordered pairs', () => {
    // pairs (pos, neg): 3*4 = 12; correctly ordered: 0.9>all 4; 0.4>0.1,0.01,0.03 (3); 0.04>0.01,0.03 (2) => 9/12
    expect(rocCurve(labels, probs).auc).toBeCloseTo(9 / 12);
    expect(rocCurve([1, 0], [0.5, 0.5]).auc).toBeCloseTo(0.5);
  });
});

describe('dice and iou', () => {
  const mask = (bits: number[]) => ({ width: bits.length, height: 1, data: Uint8Array.from(bits) });
  const a = mask([1, 1, 0, 0]);
  const b = mask([0, 1, 1, 0]);
  const empty = mask([0, 0, 0, 0]);
  it('matches hand values', () => {
    expect(dice(a, b)).toBeCloseTo(0.5);
    expect(iou(a, b)).toBeCloseTo(1 / 3);
    expect(dice(empty, empty)).toBe(1);
    expect(dice(a, empty)).toBe(0);
  });
  it('3-D dice sums counts over slices before dividing', () => {
    const total = sumOverlaps([overlap(a, b), overlap(a, a)]);
    expect(diceFromOverlap(total)).toBeCloseTo((2 * 3) / 8);
  });
});
