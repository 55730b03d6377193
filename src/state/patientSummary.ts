/** What the patient view shows, derived with the core's rules from the analyzed slices and the threshold. */
import { hasTumor, maskArea, type BinaryMask } from '../core/image';
import { twoStageMask } from '../core/mask';
import { classificationReport, confusionAt, diceFromOverlap, overlap, scores, sumOverlaps, type Confusion, type Overlap } from '../core/metrics';
import { isTumor } from '../core/thresholds';
import { resizeMaskNearest } from '../core/resize';
import { parseSliceName } from '../core/slices';
import type { CsvRow } from '../io/exportCsv';
import { predictedMaskFile } from '../io/exportTiff';
import { GRAY_NOTE, isRescaledNote } from '../io/raster';
import type { AddedSlices, PatientSlice } from './patient';

/**
 * The patient the slices are of, or null for images without slice numbers (scan.png, brain.tif): a set, not a patient
 * named after the first of them.
 */
export function patientOf(slices: PatientSlice[]): string | null {
  const first = slices[0]?.name;
  return first && first.index !== null ? first.patient : null;
}

/** A slice of the patient whose file was given but could not be read (damaged, cut short). */
export interface UnreadSlice {
  index: number;
  file: string;
  /** Why it could not be read, as the message said it (kept here: messages are cleared when more files open). */
  reason: string;
}

/**
 * The slices of the patient shown whose files could not be read, from those files' names (intake's `unread`):
 * numbered images of the same patient, not masks, not a slice read from another file. Gaps in the numbering are
 * not guessed at: only files given and failed are named.
 */
export function unreadSlices(failedFiles: { file: string; reason: string }[], slices: PatientSlice[]): UnreadSlice[] {
  const patient = patientOf(slices);
  if (patient === null) return [];
  const read = new Set(slices.map((s) => s.name.index));
  const out = new Map<number, UnreadSlice>();
  for (const f of failedFiles) {
    const n = parseSliceName(f.file);
    if (n.isMask || n.index === null || n.patient !== patient || read.has(n.index) || out.has(n.index)) continue;
    out.set(n.index, { index: n.index, file: n.file, reason: f.reason });
  }
  return [...out.values()].sort((a, b) => a.index - b.index);
}

/** "5", "5 and 9", "4, 6-8 and 14": the items of a sentence's list. */
const andList = (items: (string | number)[]) => (items.length === 1 ? `${items[0]}` : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/** "slice 7", "slices 7 and 8", "slices 3, 7 and 8". */
export function sliceList(numbers: number[]): string {
  return `${numbers.length === 1 ? 'slice' : 'slices'} ${andList(numbers)}`;
}

/** "slice 9", "slices 8-14", "slices 2, 8-16 and 18": runs of consecutive numbers as ranges (numbers in ascending order). */
export function sliceRanges(numbers: number[]): string {
  const runs: MissingSlices[] = [];
  for (const n of numbers) {
    const last = runs.at(-1);
    if (last && n === last.to + 1) last.to = n;
    else runs.push({ from: n, to: n });
  }
  const one = runs.length === 1 && runs[0].from === runs[0].to;
  return `${one ? 'slice' : 'slices'} ${andList(runs.map(rangeText))}`;
}

/** "slice 5 could not be read", "slices 5 and 9 could not be read" (null when all were read). */
export function unreadText(unread: UnreadSlice[]): string | null {
  if (unread.length === 0) return null;
  return `${sliceList(unread.map((u) => u.index))} could not be read`;
}

/** Slice numbers `from`..`to` (inclusive) that lie between the slices given and were not among the files given. */
export interface MissingSlices {
  from: number;
  to: number;
}

/**
 * The numbers missing between the lowest and the highest slice number given (read or not): the LGG slices are
 * numbered 1..N without gaps, so a number absent in between is a slice left out. Before the first and after the
 * last given nothing can be known: no guess is made there. Loose images (no patient) have no numbering.
 */
export function missingSlices(slices: PatientSlice[], unread: UnreadSlice[]): MissingSlices[] {
  if (patientOf(slices) === null) return [];
  const given = new Set<number>(unread.map((u) => u.index));
  for (const s of slices) if (s.name.index !== null) given.add(s.name.index);
  const sorted = [...given].sort((a, b) => a - b);
  const out: MissingSlices[] = [];
  for (let k = 1; k < sorted.length; k++) if (sorted[k] > sorted[k - 1] + 1) out.push({ from: sorted[k - 1] + 1, to: sorted[k] - 1 });
  return out;
}

/** "10" or "10-12". */
export const rangeText = (m: MissingSlices) => (m.from === m.to ? `${m.from}` : `${m.from}-${m.to}`);

/** "slice 10 not given", "slices 10-12 not given", "slices 4 and 10-12 not given" (null when none is missing). */
export function missingText(missing: MissingSlices[]): string | null {
  if (missing.length === 0) return null;
  const one = missing.length === 1 && missing[0].from === missing[0].to;
  return `${one ? 'slice' : 'slices'} ${andList(missing.map(rangeText))} not given`;
}

/** How many numbers the ranges cover. */
export const missingCount = (missing: MissingSlices[]) => missing.reduce((n, m) => n + m.to - m.from + 1, 0);

/**
 * What the patient's figures cover, in words: `label` for the parentheses of the 3-D Dice (and, while the run goes on
 * or after it stopped, of every figure), `summed` for the volume's "summed over …". The app cannot know a patient is
 * complete (the slices before the first given and after the last could exist), so a finished run says which slices
 * were given: "the 20 slices given, 1-20", "the 3 slices given, 7-9" (`numbers`: the slice numbers read, null for
 * images without them).
 */
export function figuresScope(o: { read: number; analyzed: number; running: boolean; unread: number; missing: number; numbers: number[] | null }): { label: string; summed: string } {
  if (o.running) return { label: `${o.analyzed} of ${o.read} analyzed so far`, summed: `the ${o.analyzed} of ${o.read} slices analyzed so far` };
  if (o.analyzed < o.read) return { label: `${o.analyzed} of ${o.read} analyzed`, summed: `the ${o.analyzed} of ${o.read} slices analyzed` };
  if (o.unread > 0) return { label: `over the ${o.read} slices read`, summed: `the ${o.read} slices read` };
  if (o.missing > 0) return { label: `over the ${o.read} slices given`, summed: `the ${o.read} slices given` };
  if (!o.numbers || o.numbers.length === 0) {
    const given = `the ${o.read} ${o.read === 1 ? 'image' : 'images'} given`;
    return { label: given, summed: given };
  }
  const lo = Math.min(...o.numbers);
  const hi = Math.max(...o.numbers);
  const given = o.read === 1 ? `the slice given, ${lo}` : `the ${o.read} slices given, ${lo}-${hi}`;
  return { label: given, summed: given };
}

/** The sentence's first letter in capitals ("slice 3 …" opening a message, "Slice 16" on the viewer). */
export const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The messages on slices given for the patient open (addToPatient's answer): what joined it and what did not. */
export function addedText(a: AddedSlices, patient: string): string[] {
  const out: string[] = [];
  const n = a.added.length;
  if (n > 0) out.push(`${n} ${n === 1 ? 'slice' : 'slices'} added to ${patient} (${sliceList(a.added)}), in slice order; the results so far are kept.`);
  const was = (k: number[]) => (k.length === 1 ? 'was' : 'were');
  if (a.kept.length > 0) out.push(`${capital(sliceList(a.kept))} of ${patient} ${was(a.kept)} already open with the same image: the ${a.kept.length === 1 ? 'copy' : 'copies'} given ${a.kept.length === 1 ? 'was' : 'were'} not read again, the one open kept with its result.`);
  if (a.replaced.length > 0) out.push(`${capital(sliceList(a.replaced))} of ${patient} ${was(a.replaced)} already open with another image: replaced by the file given, and analyzed again.`);
  const truth = a.truth.filter((k) => a.kept.includes(k));
  if (truth.length > 0) out.push(`Ground truth added to ${sliceList(truth)} of the patient.`);
  return out;
}

/**
 * Why a slice's input lies outside what the models were validated on (the LGG slices: 8-bit, three sequences), from
 * its intake notes: samples wider than 8 bits stretched by their own range, or one gray channel copied into three.
 * Null when neither.
 */
export function inputNote(notes: string[]): string | null {
  const out: string[] = [];
  for (const note of notes) {
    if (isRescaledNote(note)) {
      const bits = /^(\d+)-bit/.exec(note);
      out.push(`${bits ? `${bits[1]}-bit` : 'wide'} samples stretched to 8 bits`);
    } else if (note === GRAY_NOTE) out.push('one gray channel, not the three MRI sequences');
  }
  return out.length > 0 ? out.join('; ') : null;
}

/** A figure as shown: null (undefined: nothing to divide by) reads n/a. */
export const shownScore = (x: number | null, digits = 2) => (x === null ? 'n/a' : x.toFixed(digits));

export interface ShownReportRow {
  precision: number | null;
  recall: number | null;
  f1: number | null;
  support: number;
}

/** a / b for display: null (n/a) where there is nothing to divide by, not core's zero_division 0. */
const ratioOrNull = (a: number, b: number) => (b === 0 ? null : a / b);

/** F1 as 2·tp / (2·tp + fp + fn) (the harmonic mean of precision and recall where both exist): n/a only with nothing to count. */
const f1Of = (tp: number, fp: number, fn: number) => ratioOrNull(2 * tp, 2 * tp + fp + fn);

/**
 * The classification report for display: core/metrics keeps sklearn's zero_division=0 (a 0 where a ratio has nothing
 * to divide by), which on screen reads as a measured 0.00. Here those are null (n/a): precision with no slice predicted
 * in the class, recall with no slice of the class (support 0), F1 with neither; an average is n/a where a class it
 * weighs is (the weighted average gives a class of support 0 no weight).
 */
export function shownReport(c: Confusion): { noTumor: ShownReportRow; tumor: ShownReportRow; macroAvg: ShownReportRow; weightedAvg: ShownReportRow } {
  const row = (tp: number, fp: number, fn: number): ShownReportRow => {
    return { precision: ratioOrNull(tp, tp + fp), recall: ratioOrNull(tp, tp + fn), f1: f1Of(tp, fp, fn), support: tp + fn };
  };
  const tumor = row(c.tp, c.fp, c.fn);
  const noTumor = row(c.tn, c.fn, c.fp);
  const total = tumor.support + noTumor.support;
  const avg = (weight: (r: ShownReportRow) => number): ShownReportRow => {
    const pick = (k: 'precision' | 'recall' | 'f1') => {
      let sum = 0;
      let w = 0;
      for (const r of [noTumor, tumor]) {
        const wr = weight(r);
        if (wr === 0) continue;
        const v = r[k];
        if (v === null) return null;
        sum += wr * v;
        w += wr;
      }
      return w === 0 ? null : sum / w;
    };
    return { precision: pick('precision'), recall: pick('recall'), f1: pick('f1'), support: total };
  };
  return { noTumor, tumor, macroAvg: avg(() => 1), weightedAvg: avg((r) => r.support) };
}

/** The binary scores for display, n/a where the denominator is 0 (accuracy, precision, recall, specificity, F1). */
export function shownScores(c: Confusion): { accuracy: number | null; precision: number | null; recall: number | null; specificity: number | null; f1: number | null } {
  return {
    accuracy: ratioOrNull(c.tp + c.tn, c.tp + c.fp + c.tn + c.fn),
    precision: ratioOrNull(c.tp, c.tp + c.fp),
    recall: ratioOrNull(c.tp, c.tp + c.fn),
    specificity: ratioOrNull(c.tn, c.tn + c.fp),
    f1: f1Of(c.tp, c.fp, c.fn),
  };
}

export interface SliceRow {
  file: string;
  probability: number | null;
  decision: boolean | null;
  predicted: BinaryMask | null;
  predictedPixels: number | null;
  /** Per-slice Dice of the two-stage mask, null without truth or result. */
  dice: number | null;
  truthTumor: boolean | null;
}

/** Each slice called tumor at the threshold or not (null: no result yet): the decision alone, without sliceRows' masks. */
export function sliceDecisions(slices: PatientSlice[], threshold: number): (boolean | null)[] {
  return slices.map((s) => (s.analysis ? isTumor(s.analysis.probability, threshold) : null));
}

export function sliceRows(slices: PatientSlice[], threshold: number): SliceRow[] {
  return slices.map((s) => {
    const a = s.analysis;
    if (!a) return { file: s.name.file, probability: null, decision: null, predicted: null, predictedPixels: null, dice: null, truthTumor: s.truth ? hasTumor(s.truth.mask) : null };
    const predicted = twoStageMask(a.probability, threshold, a.segmentation, s.image.width, s.image.height);
    const o = s.truth ? overlap(predicted, s.truth.mask) : null;
    return {
      file: s.name.file,
      probability: a.probability,
      decision: isTumor(a.probability, threshold),
      predicted,
      predictedPixels: maskArea(predicted),
      dice: o ? diceFromOverlap(o) : null,
      truthTumor: s.truth ? hasTumor(s.truth.mask) : null,
    };
  });
}

/**
 * The next slice after `from` (step 1) or before it (step -1) called tumor, going round the volume's end; null when none
 * is. How a reader steps through the flagged slices of a patient without looking at each of the others.
 */
export function flaggedNeighbour(decisions: (boolean | null)[], from: number, step: 1 | -1): number | null {
  const n = decisions.length;
  for (let k = 1; k <= n; k++) {
    const i = (((from + step * k) % n) + n) % n;
    if (decisions[i]) return i;
  }
  return null;
}

/**
 * The CSV's rows: each slice's row with the classifier's own probability, and the predicted pixels counted in the mask
 * as saved beside the CSV (the size of the file given, as predictedMaskFiles writes it) rather than on the models'
 * 256x256 grid, so the file and the masks agree for a 512x512 input too.
 */
export function resultsCsvRows(slices: PatientSlice[], rows: SliceRow[]): CsvRow[] {
  return rows.map((r, i) => {
    const { width, height } = slices[i].sourceSize;
    const predictedPixels = r.predicted ? maskArea(resizeMaskNearest(r.predicted, width, height)) : null;
    return { ...r, predictedPixels, classifierProbability: slices[i].analysis?.classifierProbability ?? null, inputNote: inputNote(slices[i].notes) };
  });
}

/** Metrics over the analyzed slices that have truth masks (null when there are none). */
export function truthMetrics(slices: PatientSlice[], rows: SliceRow[], threshold: number) {
  const labels: boolean[] = [];
  const probs: number[] = [];
  const overlaps: Overlap[] = [];
  rows.forEach((r, i) => {
    const truth = slices[i].truth;
    if (r.probability === null || !truth || !r.predicted) return;
    labels.push(hasTumor(truth.mask));
    probs.push(r.probability);
    overlaps.push(overlap(r.predicted, truth.mask));
  });
  if (labels.length === 0) return null;
  const confusion = confusionAt(labels, probs, threshold);
  const volume = sumOverlaps(overlaps);
  return { labels, probs, confusion, scores: scores(confusion), report: classificationReport(confusion), volume, dice3d: diceFromOverlap(volume) };
}

/**
 * The predicted masks as files, for the zip export. As the single-slice save: named `<slice>_predicted_mask.tif`, so
 * unzipped beside the slices they never pass for (or overwrite) the ground truth, in the size of each file given.
 */
export function predictedMaskFiles(slices: PatientSlice[], rows: SliceRow[]): { name: string; data: Uint8Array }[] {
  return rows.flatMap((r, i) => {
    if (!r.predicted) return [];
    return [predictedMaskFile(r.file, r.predicted, slices[i].sourceSize)];
  });
}
