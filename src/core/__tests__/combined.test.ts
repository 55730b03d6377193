import { describe, expect, it } from 'vitest';
import { combinedFeatures, combinedFormulaText, combinedProbability, logit, sigmoid } from '../combined';

const W = { classifierLogit: 0.7, logMaskArea: 0.48, emptyMaskClassifierLogit: 0.3, bias: -2.69 };

describe('combined probability', () => {
  it('is the logistic formula on logit(p) and ln(1 + area)', () => {
    const z = 0.7 * Math.log(0.8 / 0.2) + 0.48 * Math.log(1 + 300) - 2.69;
    expect(combinedProbability(0.8, 300, W)).toBeCloseTo(1 / (1 + Math.exp(-z)), 12);
    expect(sigmoid(logit(0.3))).toBeCloseTo(0.3, 12);
  });

  it('gives the classifier its own extra slope only where the mask is empty', () => {
    const empty = (0.7 + 0.3) * Math.log(0.8 / 0.2) - 2.69;
    expect(combinedProbability(0.8, 0, W)).toBeCloseTo(1 / (1 + Math.exp(-empty)), 12);
    expect(combinedFeatures(0.8, 0)[2]).toBe(combinedFeatures(0.8, 0)[0]);
    expect(combinedFeatures(0.8, 1)[2]).toBe(0);
    // With the extra slope at 0 it is the two-feature formula combined.json files before 2026-11-29 were fitted with.
    const two = { ...W, emptyMaskClassifierLogit: 0 };
    expect(combinedProbability(0.8, 0, two)).toBeCloseTo(1 / (1 + Math.exp(-(0.7 * Math.log(4) - 2.69))), 12);
  });

  it('rises with either piece of evidence (positive weights)', () => {
    expect(combinedProbability(0.9, 0, W)).toBeGreaterThan(combinedProbability(0.5, 0, W));
    expect(combinedProbability(0.5, 800, W)).toBeGreaterThan(combinedProbability(0.5, 20, W));
  });

  it('stays finite when the classifier saturates at 0 or 1 in float32', () => {
    for (const p of [0, 1]) {
      const [a] = combinedFeatures(p, 0);
      expect(Number.isFinite(a)).toBe(true);
      expect(Number.isFinite(combinedProbability(p, 1000, W))).toBe(true);
    }
    expect(combinedFeatures(0.5, -5)[1]).toBe(0); // a negative area (never produced) counts as none
  });
});

describe('combinedFormulaText', () => {
  const words = { classifier: 'L', area: 'A', empty: 'E' };
  it('writes the fitted numbers with their signs, so the text computes what combinedProbability does', () => {
    const w = { classifierLogit: 0.411, logMaskArea: 0.511, emptyMaskClassifierLogit: 0.343, bias: -2.048 };
    const text = combinedFormulaText(w, 3, words);
    expect(text).toBe('sigmoid(0.411 · L + 0.511 · A + 0.343 · E − 2.048)');
    // Read the numbers back and evaluate: the same probability as the core function, for a slice with and without a mask.
    const [a, b, c, bias] = [...text.matchAll(/([+−]?) ?(\d+\.\d+)/g)].map((m) => (m[1] === '−' ? -1 : 1) * Number(m[2]));
    for (const [p, area] of [[0.7, 0], [0.2, 350]] as const) {
      const [x, y, z] = combinedFeatures(p, area);
      expect(sigmoid(a * x + b * y + c * z + bias)).toBeCloseTo(combinedProbability(p, area, w), 12);
    }
  });
  it('leaves out the empty-mask term of an older three-weight file', () => {
    expect(combinedFormulaText({ classifierLogit: 0.5, logMaskArea: -0.25, emptyMaskClassifierLogit: 0, bias: 1 }, 2, words)).toBe('sigmoid(0.50 · L − 0.25 · A + 1.00)');
  });
});
