import { describe, expect, it } from 'vitest';
import { falseAlarmsByDistance, missedTumorSlices, NO_TUMOR_PATIENT, UNNUMBERED } from '../../src/evaluate/errors';
import type { SliceRow } from '../../src/evaluate/run';

const row = (patient: string, index: number | null, tumor: boolean, p: number, combined: number | null = p): SliceRow => ({
  patient,
  file: `${patient}_${index ?? 'x'}.tif`,
  index,
  tumor,
  truth_pixels: tumor ? 100 + (index ?? 0) : 0,
  probability: p,
  combined_probability: combined,
  predicted_pixels: 0,
  intersection: 0,
  pipeline: {},
});

// Patient a: tumor on slices 5-7; patient b: no tumor at all.
const rows: SliceRow[] = [
  row('a', 4, false, 0.6), // 1 slice away, called at both thresholds
  row('a', 3, false, 0.1), // 2 away, called at 0.05 only
  row('a', 9, false, 0.04), // 2 away, not called
  row('a', 1, false, 0.05), // 4 away, called at 0.05 (>= is tumor)
  row('a', 20, false, 0.9), // 13 away
  row('a', null, false, 0.9), // unnumbered
  row('a', 5, true, 0.9),
  row('a', 6, true, 0.3),
  row('a', 7, true, 0.01),
  row('b', 1, false, 0.2),
  row('b', 2, false, 0.01),
];

describe('falseAlarmsByDistance', () => {
  it('bands every tumor-free slice by its distance to the nearest tumor slice of its own patient', () => {
    const bands = falseAlarmsByDistance(rows);
    expect(bands).toEqual([
      { band: '1 slice', slices: 1, called: { '0.5': 1, '0.05': 1 } },
      { band: '2 slices', slices: 2, called: { '0.5': 0, '0.05': 1 } },
      { band: '3-5 slices', slices: 1, called: { '0.5': 0, '0.05': 1 } },
      { band: 'more than 5 slices', slices: 1, called: { '0.5': 1, '0.05': 1 } },
      { band: UNNUMBERED, slices: 1, called: { '0.5': 1, '0.05': 1 } },
      { band: NO_TUMOR_PATIENT, slices: 2, called: { '0.5': 0, '0.05': 1 } },
    ]);
    expect(bands.reduce((n, b) => n + b.slices, 0)).toBe(rows.filter((r) => !r.tumor).length);
  });

  it("decides on the combined probability when there is one, else on the classifier's", () => {
    const withCombined = [row('a', 5, true, 0.9), row('a', 6, false, 0.9, 0.01)];
    expect(falseAlarmsByDistance(withCombined)[0].called).toEqual({ '0.5': 0, '0.05': 0 });
    const classifierOnly = [row('a', 5, true, 0.9), row('a', 6, false, 0.9, null)];
    expect(falseAlarmsByDistance(classifierOnly)[0].called).toEqual({ '0.5': 1, '0.05': 1 });
  });
});

describe('missedTumorSlices', () => {
  it('lists the tumor slices under the threshold, lowest decision first', () => {
    expect(missedTumorSlices(rows, 0.5).map((m) => [m.file, m.truth_pixels, m.decision])).toEqual([
      ['a_7.tif', 107, 0.01],
      ['a_6.tif', 106, 0.3],
    ]);
    expect(missedTumorSlices(rows, 0.05).map((m) => m.file)).toEqual(['a_7.tif']);
    expect(missedTumorSlices(rows, 0.005)).toEqual([]);
  });
});
