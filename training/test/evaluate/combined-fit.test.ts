/** The combined probability's fit: it recovers known weights, and leave-one-patient-out never scores a patient with weights it was fitted on. */
import { describe, expect, it } from 'vitest';
import { combinedProbability, parseCombinedCard, sigmoid } from '../../../src/core/combined';
import { fitCombined, leaveOnePatientOut, probabilityMetrics, type FitRow } from '../../src/evaluate/combined-fit';
import { Rng } from '../../src/backend/seeded-random';

const TRUE = { classifierLogit: 0.8, logMaskArea: 0.5, emptyMaskClassifierLogit: 0.4, bias: -2.5 };

/** Rows drawn from the logistic model with TRUE weights, so a correct fit must land near TRUE. */
function synthetic(n: number, seed: number): FitRow[] {
  const rng = new Rng(seed);
  const random = () => rng.next();
  return Array.from({ length: n }, (_, i) => {
    const probability = sigmoid((random() - 0.5) * 12);
    const predicted_pixels = random() < 0.5 ? 0 : Math.round(Math.exp(random() * 8));
    const tumor = random() < combinedProbability(probability, predicted_pixels, TRUE);
    return { patient: `P${i % 8}`, tumor, probability, predicted_pixels };
  });
}

describe('fitCombined', () => {
  it('recovers the weights that generated the labels', () => {
    const w = fitCombined(synthetic(20_000, 7), 0);
    expect(w.classifierLogit).toBeCloseTo(TRUE.classifierLogit, 1);
    expect(w.logMaskArea).toBeCloseTo(TRUE.logMaskArea, 1);
    expect(w.emptyMaskClassifierLogit).toBeCloseTo(TRUE.emptyMaskClassifierLogit, 1);
    expect(w.bias).toBeCloseTo(TRUE.bias, 0);
  });

  it('stays finite when the classes separate perfectly (the L2 term)', () => {
    const rows: FitRow[] = [
      { patient: 'A', tumor: true, probability: 0.9, predicted_pixels: 500 },
      { patient: 'A', tumor: false, probability: 0.1, predicted_pixels: 0 },
      { patient: 'B', tumor: true, probability: 0.8, predicted_pixels: 300 },
      { patient: 'B', tumor: false, probability: 0.2, predicted_pixels: 0 },
    ];
    const w = fitCombined(rows);
    for (const v of Object.values(w)) expect(Number.isFinite(v)).toBe(true);
    expect(combinedProbability(0.9, 500, w)).toBeGreaterThan(0.5);
    expect(combinedProbability(0.1, 0, w)).toBeLessThan(0.5);
  });

  it('refuses to fit nothing', () => {
    expect(() => fitCombined([])).toThrow(/no rows/);
  });
});

describe('leaveOnePatientOut', () => {
  it("scores each patient with the weights fitted on the others only", () => {
    const rows = synthetic(400, 3);
    const held = leaveOnePatientOut(rows);
    const w = fitCombined(rows.filter((r) => r.patient !== 'P0'));
    rows.forEach((r, i) => {
      if (r.patient === 'P0') expect(held[i]).toBeCloseTo(combinedProbability(r.probability, r.predicted_pixels, w), 12);
    });
    const m = probabilityMetrics(rows, held);
    expect(m.thresholds['0.5'].support).toBe(rows.length);
    expect(m.auc).toBeGreaterThan(0.5);
  });
});

describe('parseCombinedCard', () => {
  it('names what is wrong', () => {
    expect(() => parseCombinedCard({ kind: 'x' }, 'f.json')).toThrow(/f\.json: kind is "x"/);
    expect(() => parseCombinedCard({ kind: 'combined-tumor-probability', weights: { classifierLogit: 1, logMaskArea: 'a', bias: 0 } }, 'f.json')).toThrow(/weights must hold finite numbers/);
    expect(() => parseCombinedCard({ kind: 'combined-tumor-probability', weights: { classifierLogit: 1, logMaskArea: 1, bias: 0 } }, 'f.json')).toThrow(/models must name/);
    expect(() => parseCombinedCard({ kind: 'combined-tumor-probability', weights: { classifierLogit: 1, logMaskArea: 1, emptyMaskClassifierLogit: 'x', bias: 0 }, models: { classifier: 'a', segmenter: 'b' } }, 'f.json')).toThrow(/emptyMaskClassifierLogit must be a finite number/);
  });

  it('reads a file fitted before the empty-mask slope as that slope at 0', () => {
    const card = parseCombinedCard({ kind: 'combined-tumor-probability', weights: { classifierLogit: 1, logMaskArea: 1, bias: 0 }, models: { classifier: 'a', segmenter: 'b' } }, 'f.json');
    expect(card.weights.emptyMaskClassifierLogit).toBe(0);
  });
});
