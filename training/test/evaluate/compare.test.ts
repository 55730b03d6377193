import { describe, expect, it } from 'vitest';
import { decidingTumorSlices, specificityAtRecall } from '../../src/evaluate/compare';
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
