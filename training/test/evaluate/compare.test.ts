import { describe, expect, it } from 'vitest';
import { decidingTumorSlices, pairedBootstrapSpecificity, specificityAtRecall } from '../../src/evaluate/compare';
import type { SliceRow } from '../../src/evaluate/run';

describe('specificityAtRecall', () => {
  const labels = [true, true, true, true, false, false, false, false];
  const probs = [0.9, 0.8, 0.3, 0.05, 0.6, 0.2, 0.1, 0.01];
  it('takes the threshold that keeps enough positives, and scores the negatives below it', () => {
    // recall 1 needs threshold 0.05: negatives below it: 0.01 -> 1 of 4
    expect(specificityAtRecall(labels, probs, 1)).toEqual({ specificity: 0.25, threshold: 0.05 });
    // recall 0.75 (3 of 4) needs threshold 0.3: 0.2, 0.1, 0.01 -> 3 of 4
    expect(specificityAtRecall(labels, probs, 0.75)).toEqual({ specificity: 0.75, threshold: 0.3 });
    // 0.7 also needs 3 of 4 positives
    expect(specificityAtRecall(labels, probs, 0.7)?.threshold).toBe(0.3);
  });
  it('is null without both classes', () => {
    expect(specificityAtRecall([true, true], [0.2, 0.4], 0.98)).toBeNull();
  });
});

describe('decidingTumorSlices', () => {
  const row = (file: string, tumor: boolean): SliceRow => ({ patient: 'p', file, index: null, tumor, truth_pixels: tumor ? 50 : 0, probability: 0.5, combined_probability: null, predicted_pixels: 0, intersection: 0, pipeline: {} });
  it('lists the tumor slices recall may lose and the one that sets the threshold, lowest first', () => {
    // 100 tumor slices: recall 0.98 may miss 2, the third-lowest sets the threshold.
    const rows = [...Array.from({ length: 100 }, (_, i) => row(`t${i}`, true)), row('clear', false)];
    const p = [...Array.from({ length: 100 }, (_, i) => 1 - i / 100), 0.001];
    const d = decidingTumorSlices(rows, p, 0.98);
    expect(d.map((x) => x.file)).toEqual(['t99', 't98', 't97']);
    expect(d[2].combined).toBeCloseTo(specificityAtRecall(rows.map((r) => r.tumor), p, 0.98)!.threshold, 12);
  });
});

describe('pairedBootstrapSpecificity', () => {
  // 5 patients, each 3 tumor slices and 3 clear ones; the reference's clear slices overlap its tumor slices.
  const rows: SliceRow[] = [];
  const reference: number[] = [];
  for (let p = 0; p < 5; p++)
    for (let i = 0; i < 6; i++) {
      const tumor = i < 3;
      rows.push({ patient: `p${p}`, file: `p${p}_${i}`, index: i, tumor, truth_pixels: tumor ? 10 : 0, probability: 0, combined_probability: null, predicted_pixels: 0, intersection: 0, pipeline: {} });
      reference.push(tumor ? 0.3 + 0.1 * i + 0.01 * p : 0.2 + 0.2 * (i - 3) + 0.01 * p);
    }
  it('finds no difference between a candidate and itself', () => {
    const b = pairedBootstrapSpecificity({ rows, combinedP: reference }, { rows, combinedP: reference }, 200);
    expect(b.difference).toEqual([0, 0, 0]);
    expect(b.share_at_least_reference).toBe(1);
  });
  it('sees a candidate that separates every patient better as better on every draw', () => {
    const better = reference.map((p, i) => (rows[i].tumor ? p : p / 10));
    const b = pairedBootstrapSpecificity({ rows, combinedP: reference }, { rows, combinedP: better }, 200);
    expect(b.share_at_least_reference).toBe(1);
    expect(b.difference[1]).toBeGreaterThan(0.3);
    // Swapped, it is worse on every draw.
    expect(pairedBootstrapSpecificity({ rows, combinedP: better }, { rows, combinedP: reference }, 200).difference[2]).toBeLessThan(0);
  });
  it('refuses candidates scored on different slices', () => {
    expect(() => pairedBootstrapSpecificity({ rows, combinedP: reference }, { rows: rows.slice(1), combinedP: reference.slice(1) })).toThrow(/different slices/);
  });
});
