import { describe, expect, it } from 'vitest';
import { createMask, type BinaryMask } from '../core/image';
import type { PatientSlice } from './patient';
import { GRAY_NOTE } from '../io/raster';
import { decodeTiff } from '../io/tiff';
import { addedText, figuresScope, flaggedNeighbour, sliceRanges, inputNote, missingCount, missingSlices, missingText, patientOf, predictedMaskFiles, resultsCsvRows, shownReport, shownScore, shownScores, sliceRows, truthMetrics, unreadSlices, unreadText } from './patientSummary';

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

  it('the CSV rows: the classifier\'s own probability, and predicted pixels counted in the mask as saved (the file\'s size)', () => {
    const sized = [{ ...slices[0], sourceSize: { width: 2 * W, height: 2 * W } }, slices[1], { ...slices[2], analysis: null }];
    const rows = sliceRows(sized, 0.5);
    const csv = resultsCsvRows(sized, rows);
    // Slice 1: 4 px on the models' grid, 16 in its doubled file, as the saved mask holds them.
    expect(rows.map((r) => r.predictedPixels)).toEqual([4, 0, null]);
    expect(csv.map((r) => r.predictedPixels)).toEqual([16, 0, null]);
    expect(csv.map((r) => r.classifierProbability)).toEqual([sized[0].analysis!.classifierProbability, sized[1].analysis!.classifierProbability, null]);
    const saved = decodeTiff(predictedMaskFiles(sized, rows)[0].data, 'm.tif').raster;
    expect(saved.data.reduce((n, v) => n + (v ? 1 : 0), 0)).toBe(csv[0].predictedPixels);
  });

  it('names the slices of the patient whose files could not be read, from those files alone', () => {
    // Slices 1-4 read; P_6.tif and P_9.tif failed, as did a mask, another patient's slice, a file without a number
    // and a second file of slice 2 (which was read from the first). Slices 5, 7 and 8 were never given: not named.
    const failed = ['P_9.tif', 'P_6.tif', 'P_3_mask.tif', 'Q_5.tif', 'scan.png', 'P_2.png', 'P_6.png'].map((file) => ({ file, reason: `${file}: damaged` }));
    // Each with why it could not be read: the messages that said so are cleared when more files open.
    expect(unreadSlices(failed, slices)).toEqual([{ index: 6, file: 'P_6.tif', reason: 'P_6.tif: damaged' }, { index: 9, file: 'P_9.tif', reason: 'P_9.tif: damaged' }]);
    expect(unreadText(unreadSlices(failed, slices))).toBe('slices 6 and 9 could not be read');
    expect(unreadText([{ index: 5, file: 'P_5.tif', reason: '' }])).toBe('slice 5 could not be read');
    expect(unreadText([1, 2, 3].map((index) => ({ index, file: '', reason: '' })))).toBe('slices 1, 2 and 3 could not be read');
    expect(unreadText([])).toBeNull();
    expect(unreadSlices([], slices)).toEqual([]);
    // Loose images (no patient): nothing to number.
    const loose = [{ ...slices[0], name: { file: 'brain.tif', key: 'brain', isMask: false, patient: 'brain', index: null } }];
    expect(unreadSlices([{ file: 'brain_2.tif', reason: '' }], loose)).toEqual([]);
  });

  it('names the numbers missing between the lowest and the highest slice given, never before or after them', () => {
    const at = (...n: number[]) => n.map((i) => slice(i, 0.5, [], null));
    // Slices 9 and 11 given: 10 is missing. Nothing is said of 1-8 or of 12 on: those cannot be known.
    expect(missingSlices(at(9, 11), [])).toEqual([{ from: 10, to: 10 }]);
    expect(missingText(missingSlices(at(9, 11), []))).toBe('slice 10 not given');
    expect(missingSlices(at(3, 4, 5), [])).toEqual([]);
    expect(missingText([])).toBeNull();
    const gaps = missingSlices(at(2, 3, 9, 13, 15), [{ index: 5, file: 'P_5.tif', reason: '' }]);
    // A slice given but unread (5) is not missing: it has its own placeholder and text.
    expect(gaps).toEqual([{ from: 4, to: 4 }, { from: 6, to: 8 }, { from: 10, to: 12 }, { from: 14, to: 14 }]);
    expect(missingText(gaps)).toBe('slices 4, 6-8, 10-12 and 14 not given');
    expect(missingText([{ from: 10, to: 12 }])).toBe('slices 10-12 not given');
    expect(missingCount(gaps)).toBe(8);
    // An unread file past the last slice read widens the range given.
    expect(missingSlices(at(1, 2), [{ index: 5, file: 'P_5.tif', reason: '' }])).toEqual([{ from: 3, to: 4 }]);
    // Loose images: no numbering, nothing missing.
    expect(missingSlices([{ ...slices[0], name: { file: 'brain.tif', key: 'brain', isMask: false, patient: 'brain', index: null } }], [])).toEqual([]);
  });

  it('says what the figures cover: partial while running or stopped, the slices read or given when some are not there; never "whole patient"', () => {
    const base = { read: 20, analyzed: 20, running: false, unread: 0, missing: 0, numbers: Array.from({ length: 20 }, (_, i) => i + 1) };
    expect(figuresScope(base)).toEqual({ label: 'the 20 slices given, 1-20', summed: 'the 20 slices given, 1-20' });
    // Slices 7-9 alone, no gap between them: the app cannot know the patient has no other slices.
    expect(figuresScope({ ...base, read: 3, analyzed: 3, numbers: [7, 8, 9] })).toEqual({ label: 'the 3 slices given, 7-9', summed: 'the 3 slices given, 7-9' });
    expect(figuresScope({ ...base, read: 1, analyzed: 1, numbers: [12] }).label).toBe('the slice given, 12');
    expect(figuresScope({ ...base, read: 5, analyzed: 5, numbers: null }).label).toBe('the 5 images given');
    expect(figuresScope({ ...base, analyzed: 3, running: true }).label).toBe('3 of 20 analyzed so far');
    expect(figuresScope({ ...base, analyzed: 3, running: true }).summed).toBe('the 3 of 20 slices analyzed so far');
    expect(figuresScope({ ...base, analyzed: 7 }).label).toBe('7 of 20 analyzed');
    expect(figuresScope({ ...base, unread: 1 }).label).toBe('over the 20 slices read');
    expect(figuresScope({ ...base, read: 19, analyzed: 19, missing: 1 })).toEqual({ label: 'over the 19 slices given', summed: 'the 19 slices given' });
  });

  it('flags an input outside what the models were validated on: wide samples stretched, one gray channel', () => {
    expect(inputNote([])).toBeNull();
    expect(inputNote(['resized from 512x512 to 256x256 (bilinear); the models expect 256x256 slices'])).toBeNull();
    expect(inputNote(['16-bit integer samples scaled to 8 bits by their range (0 to 4080)'])).toBe('16-bit samples stretched to 8 bits');
    expect(inputNote([GRAY_NOTE, '32-bit float samples scaled to 8 bits by their range (0 to 1)'])).toBe('one gray channel, not the three MRI sequences; 32-bit samples stretched to 8 bits');
    const notes = [...slices[0].notes, '16-bit integer samples scaled to 8 bits by their range (0 to 4080)'];
    const withNote = [{ ...slices[0], notes }, slices[1]];
    expect(resultsCsvRows(withNote, sliceRows(withNote, 0.5)).map((r) => r.inputNote)).toEqual(['16-bit samples stretched to 8 bits', null]);
  });

  it('tells what joined the patient open, what was there already and what was replaced', () => {
    expect(addedText({ added: [7, 8], kept: [], replaced: [], truth: [7, 8] }, 'P')).toEqual(['2 slices added to P (slices 7 and 8), in slice order; the results so far are kept.']);
    expect(addedText({ added: [10], kept: [7, 8], replaced: [9], truth: [8] }, 'P')).toEqual([
      '1 slice added to P (slice 10), in slice order; the results so far are kept.',
      'Slices 7 and 8 of P were already open with the same image: the copies given were not read again, the one open kept with its result.',
      'Slice 9 of P was already open with another image: replaced by the file given, and analyzed again.',
      'Ground truth added to slice 8 of the patient.',
    ]);
  });

  it('shows n/a, not 0.00, where a report figure has nothing to divide by', () => {
    // Three slices analysed so far, none of them without tumor in its mask: the no-tumor class has support 0.
    const r = shownReport({ tp: 2, fp: 0, tn: 0, fn: 1 });
    // (One slice called no tumor wrongly: the class's precision is a real 0, and so is its F1; its recall is n/a.)
    expect(r.noTumor).toEqual({ precision: 0, recall: null, f1: 0, support: 0 });
    expect(r.tumor).toMatchObject({ precision: 1, recall: 2 / 3, support: 3 });
    expect(r.tumor.f1).toBeCloseTo(0.8, 12);
    expect(r.macroAvg.precision).toBe(0.5);
    expect(r.macroAvg.recall).toBeNull();
    expect(r.macroAvg.f1).toBeCloseTo(0.4, 12);
    // The weighted average gives the empty class no weight: the tumor class's figures.
    const w = r.weightedAvg;
    expect([w.precision, w.support]).toEqual([1, 3]);
    expect(w.recall).toBeCloseTo(2 / 3, 12);
    expect(w.f1).toBeCloseTo(0.8, 12);
    // Nothing predicted in a class: its precision is n/a; with no slice at all of it, every figure.
    const none = shownReport({ tp: 0, fp: 0, tn: 3, fn: 0 });
    expect(none.tumor).toEqual({ precision: null, recall: null, f1: null, support: 0 });
    expect(none.noTumor).toEqual({ precision: 1, recall: 1, f1: 1, support: 3 });
    // A real zero stays a zero: every tumor slice called no tumor and the reverse.
    expect(shownReport({ tp: 0, fp: 2, tn: 0, fn: 2 }).tumor).toEqual({ precision: 0, recall: 0, f1: 0, support: 2 });
    expect(shownScores({ tp: 0, fp: 0, tn: 3, fn: 0 })).toEqual({ accuracy: 1, precision: null, recall: null, specificity: 1, f1: null });
    // Tumor missed and none predicted: precision n/a, recall and F1 a real 0.
    expect(shownScores({ tp: 0, fp: 0, tn: 1, fn: 1 })).toEqual({ accuracy: 0.5, precision: null, recall: 0, specificity: 1, f1: 0 });
    expect(shownScores({ tp: 1, fp: 1, tn: 1, fn: 1 })).toEqual({ accuracy: 0.5, precision: 0.5, recall: 0.5, specificity: 0.5, f1: 0.5 });
    expect(shownScore(null)).toBe('n/a');
    expect(shownScore(0)).toBe('0.00');
  });
});

describe('stepping through the flagged slices', () => {
  it('goes to the next or previous slice called tumor, round the ends, past slices not analyzed yet', () => {
    const d = [false, true, null, false, true, false];
    expect(flaggedNeighbour(d, 0, 1)).toBe(1);
    expect(flaggedNeighbour(d, 1, 1)).toBe(4);
    expect(flaggedNeighbour(d, 4, 1)).toBe(1);
    expect(flaggedNeighbour(d, 1, -1)).toBe(4);
    expect(flaggedNeighbour(d, 3, -1)).toBe(1);
    expect(flaggedNeighbour([false, true, false], 1, 1)).toBe(1); // the only one: stays
    expect(flaggedNeighbour([false, null, false], 0, 1)).toBeNull();
  });
});

describe('slice numbers in words', () => {
  it('writes runs of consecutive slices as ranges', () => {
    expect(sliceRanges([9])).toBe('slice 9');
    expect(sliceRanges([8, 9, 10, 11, 12, 13, 14])).toBe('slices 8-14');
    expect(sliceRanges([2, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18])).toBe('slices 2, 8-16 and 18');
    expect(sliceRanges([3, 5])).toBe('slices 3 and 5');
  });
});
