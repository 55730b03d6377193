/**
 * Which slices the evaluation report shows as pictures, from the per-slice rows alone: each patient's largest tumor
 * (what a typical outline looks like, worst patient first), the tumors missed at the recall threshold, the tumor
 * slices outlined worst, and the tumor-free slices called tumor. The numbers say how often; these say what it looks like.
 */
import type { Overlap } from '../../../src/core/metrics';
import { THRESHOLD_PRESETS, isTumor } from '../../../src/core/thresholds';
import { decisionProbability, type SliceRow } from './run';
import type { PatientRow } from './summarize';

export interface OverlaySection {
  title: string;
  /** What the section shows and in which order, one sentence. */
  about: string;
  rows: SliceRow[];
  /** Per row, what its caption adds (the patient's 3-D Dice the section is ordered by); absent: nothing. */
  notes?: string[];
}

/** Pictures per section: enough to see a pattern, few enough to look at each. */
export const PICTURES_PER_SECTION = 8;
/** Patients in the first section: a test split's ten fit, a larger set is sampled over the range of Dice. */
export const PATIENTS_SHOWN = 12;
/**
 * At most this many pictures of one patient per error section: one patient's neighbouring slices often share one
 * failure, and would fill the section with it.
 */
export const PER_PATIENT = 2;
/** The high-recall preset: a tumor missed there is missed at both presets (the slider goes lower). */
const LOWEST_PRESET = Math.min(...THRESHOLD_PRESETS);

/** The outline the app draws on the slice (with two segmenters their mean, else the one segmenter's mask). */
export function drawnOverlap(r: SliceRow): Overlap {
  const o = r.outline ?? { predicted_pixels: r.predicted_pixels, intersection: r.intersection };
  return { predicted: o.predicted_pixels, truth: r.truth_pixels, intersection: o.intersection };
}

/** Pixels the outline gets wrong: tumor left out plus tumor-free pixels outlined. */
const wrongPixels = (r: SliceRow) => {
  const o = drawnOverlap(r);
  return o.predicted + o.truth - 2 * o.intersection;
};

/** `count` items spread evenly over the list, first and last included (all of them when there are few). */
export function spreadOver<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  if (count === 1) return [items[0]];
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))]);
}

const byLargestTruth = (a: SliceRow, b: SliceRow) => b.truth_pixels - a.truth_pixels;

/** The first `PER_PATIENT` rows of each patient, in the given order, up to a section's pictures. */
export function fewPerPatient(ordered: SliceRow[]): SliceRow[] {
  const shown = new Map<string, number>();
  const out: SliceRow[] = [];
  for (const r of ordered) {
    if (out.length === PICTURES_PER_SECTION) break;
    const n = shown.get(r.patient) ?? 0;
    if (n === PER_PATIENT) continue;
    shown.set(r.patient, n + 1);
    out.push(r);
  }
  return out;
}

/** "; 6 of the 11, at most 2 per patient" when not every slice is shown. */
const shownOf = (shown: number, all: number) => (shown < all ? `; ${shown} of the ${all}, at most ${PER_PATIENT} per patient` : '');

/** The 3-D Dice of the outline drawn on the patient's tumor slices, as the report's per-patient table gives it. */
const patientDice = (p: PatientRow): number | null => p.outline_dice ?? p.segmenter_dice;

function largestTumors(rows: SliceRow[], perPatient: PatientRow[]): OverlaySection {
  const withTumor = perPatient
    .map((p) => ({ largest: rows.filter((r) => r.patient === p.patient && r.tumor).sort(byLargestTruth)[0], dice: patientDice(p) }))
    .filter((p): p is { largest: SliceRow; dice: number } => p.largest !== undefined && p.dice !== null)
    .sort((a, b) => a.dice - b.dice);
  const shown = spreadOver(withTumor, PATIENTS_SHOWN);
  return {
    title: "Each patient's largest tumor",
    about:
      shown.length < withTumor.length
        ? `${shown.length} of the ${withTumor.length} patients with tumor, spread from the lowest 3-D Dice of the outline (over the patient's tumor slices) to the highest; the slice with the most tumor pixels of each.`
        : "Every patient with tumor, from the lowest 3-D Dice of the outline (over the patient's tumor slices) to the highest; the slice with the most tumor pixels of each.",
    rows: shown.map((p) => p.largest),
    notes: shown.map((p) => `patient 3-D Dice ${p.dice.toFixed(2)}`),
  };
}

function missedTumors(rows: SliceRow[]): OverlaySection {
  const missed = rows.filter((r) => r.tumor && !isTumor(decisionProbability(r), LOWEST_PRESET)).sort(byLargestTruth);
  const shown = fewPerPatient(missed);
  return {
    title: `Tumors missed at ${LOWEST_PRESET}`,
    about: `Tumor slices whose probability is under ${LOWEST_PRESET}, the high-recall preset, so at either preset the app draws nothing on them (the picture shows the outline the segmenters found anyway); largest tumor first${shownOf(shown.length, missed.length)}.`,
    rows: shown,
  };
}

function worstOutlines(rows: SliceRow[]): OverlaySection {
  const worst = rows.filter((r) => r.tumor).sort((a, b) => wrongPixels(b) - wrongPixels(a) || byLargestTruth(a, b));
  const shown = fewPerPatient(worst);
  return {
    title: 'Tumors outlined worst',
    about: `Tumor slices with the most pixels wrong (tumor left out plus healthy tissue outlined), most first${shownOf(shown.length, worst.length)}.`,
    rows: shown,
  };
}

function falseAlarms(rows: SliceRow[]): OverlaySection {
  const called = rows.filter((r) => !r.tumor && isTumor(decisionProbability(r), LOWEST_PRESET)).sort((a, b) => decisionProbability(b) - decisionProbability(a));
  const shown = fewPerPatient(called);
  return {
    title: `Tumor-free slices called tumor at ${LOWEST_PRESET}`,
    about: `Slices without tumor in the truth mask whose probability is at least ${LOWEST_PRESET}, highest probability first${shownOf(shown.length, called.length)}.`,
    rows: shown,
  };
}

/** The report's picture sections, empty ones left out; `perPatient`: summarize()'s rows of the same slices. */
export function chooseOverlays(rows: SliceRow[], perPatient: PatientRow[]): OverlaySection[] {
  return [largestTumors(rows, perPatient), missedTumors(rows), worstOutlines(rows), falseAlarms(rows)].filter((s) => s.rows.length > 0);
}

/** Every slice to draw once, though it may appear in more than one section. */
export function slicesToDraw(sections: OverlaySection[]): SliceRow[] {
  const byFile = new Map<string, SliceRow>();
  for (const s of sections) for (const r of s.rows) byFile.set(`${r.patient}/${r.file}`, r);
  return [...byFile.values()];
}
