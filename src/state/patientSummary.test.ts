import { describe, expect, it } from 'vitest';
import { createMask, type BinaryMask } from '../core/image';
import type { PatientSlice } from './patient';
import { decodeTiff } from '../io/tiff';
import { patientOf, predictedMaskFiles, sliceRows, truthMetrics, unreadSlices, unreadText } from './patientSummary';

const W = 4;
const mask = (on: number[]): BinaryMask => {
  const m = createMask(W, W);
  for (const i of on) m.data[i] = 1;
  return m;
};
const slice = (i: number, probability: number, seg: number[], truth: number[] | null): PatientSlice => ({
  name: { file: `P_${i}.tif`, key: `P_${i}`, isMask: false, patient: 'P', index: i },
  image: { width: W, height: W, data: new Uint8Array(W * W * 3) },
  sourceSize: { width: W, height: W },
  notes: [],
  truth: truth ? { mask: mask(truth), file: `P_${i}_mask.tif`, notes: [] } : null,
  analysis: { probability, classifierProbability: probability, combined: false, segmentation: mask(seg), segmenters: 1, timings: { classifyMs: 0, segmentMs: 0, totalMs: 0 } },
  error: null,
});

describe('patient summary', () => {
  const slices = [slice(1, 0.9, [0, 1, 2, 3], [0, 1]), slice(2, 0.3, [5, 6], [5, 6]), slice(3, 0.7, [9], []), slice(4, 0.1, [], [])];

  it('applies the two-stage rule per slice and sums overlaps over the volume', () => {
    const rows = sliceRows(slices, 0.5);
    expect(rows.map((r) => r.decision)).toEqual([true, false, true, false]);
    expect(rows.map((r) => r.predictedPixels)).toEqual([4, 0, 1, 0]);
    expect(rows.map((r) => r.dice)).toEqual([2 * 2 / 6, 0, 0, 1]);
    const m = truthMetrics(slices, rows, 0.5)!;
    expect(m.confusion).toEqual({ tp: 1, fp: 1, tn: 1, fn: 1 });
    expect(m.volume).toEqual({ intersection: 2, predicted: 5, truth: 4 });
    expect(m.dice3d).toBeCloseTo(4 / 9);
  });

  it('a lower threshold moves slice 2 to tumor and changes the counts', () => {
    const rows = sliceRows(slices, 0.2);
    const m = truthMetrics(slices, rows, 0.2)!;
    expect(m.confusion).toEqual({ tp: 2, fp: 1, tn: 1, fn: 0 });
    expect(m.dice3d).toBeCloseTo((2 * 4) / (7 + 4));
  });

  it('has no truth metrics without masks, and skips slices not analyzed yet', () => {
    const noTruth = slices.map((s) => ({ ...s, truth: null }));
    expect(truthMetrics(noTruth, sliceRows(noTruth, 0.5), 0.5)).toBeNull();
    const pending = [{ ...slices[0], analysis: null }, slices[1]];
    const rows = sliceRows(pending, 0.5);
    expect(rows[0].probability).toBeNull();
    expect(truthMetrics(pending, rows, 0.5)!.labels).toEqual([true]);
  });

  it('names the patient from numbered slices; images without slice numbers are no patient', () => {
    expect(patientOf(slices)).toBe('P');
    expect(patientOf([{ ...slices[0], name: { file: 'brain.tif', key: 'brain', isMask: false, patient: 'brain', index: null } }])).toBeNull();
    expect(patientOf([])).toBeNull();
  });

  it('the masks to export: named apart from the truth, in each file\'s own size, only for analyzed slices', () => {
    // Slice 1 came as a file of twice the models' size: its mask is saved at that size, each pixel doubled.
    const sized = [{ ...slices[0], sourceSize: { width: 2 * W, height: 2 * W } }, slices[1], { ...slices[2], analysis: null }];
    const files = predictedMaskFiles(sized, sliceRows(sized, 0.5));
    expect(files.map((f) => f.name)).toEqual(['P_1_predicted_mask.tif', 'P_2_predicted_mask.tif']);
    const big = decodeTiff(files[0].data, files[0].name).raster;
    expect([big.width, big.height]).toEqual([2 * W, 2 * W]);
    expect(big.data.reduce((n, v) => n + (v ? 1 : 0), 0)).toBe(4 * 4);
    const below = decodeTiff(files[1].data, files[1].name).raster; // 0.3 < 0.5: no tumor, an empty mask
    expect([below.width, below.data.some((v) => v > 0)]).toEqual([W, false]);
  });

  it('names the slices of the patient whose files could not be read, from those files alone', () => {
    // Slices 1-4 read; P_6.tif and P_9.tif failed, as did a mask, another patient's slice, a file without a number
    // and a second file of slice 2 (which was read from the first). Slices 5, 7 and 8 were never given: not named.
    const failed = ['P_9.tif', 'P_6.tif', 'P_3_mask.tif', 'Q_5.tif', 'scan.png', 'P_2.png', 'P_6.png'];
    expect(unreadSlices(failed, slices)).toEqual([{ index: 6, file: 'P_6.tif' }, { index: 9, file: 'P_9.tif' }]);
    expect(unreadText(unreadSlices(failed, slices))).toBe('slices 6 and 9 could not be read');
    expect(unreadText([{ index: 5, file: 'P_5.tif' }])).toBe('slice 5 could not be read');
    expect(unreadText([1, 2, 3].map((index) => ({ index, file: '' })))).toBe('slices 1, 2 and 3 could not be read');
    expect(unreadText([])).toBeNull();
    expect(unreadSlices([], slices)).toEqual([]);
    // Loose images (no patient): nothing to number.
    const loose = [{ ...slices[0], name: { file: 'brain.tif', key: 'brain', isMask: false, patient: 'brain', index: null } }];
    expect(unreadSlices(['brain_2.tif'], loose)).toEqual([]);
  });
});
