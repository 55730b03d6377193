/** From a data folder to the train/val sets each model trains on, as the notebook selects them. */
import type { ModelName } from '../../../src/core/card';
import { Rng } from '../backend/seeded-random';
import { indexDataset, patientsOf, type SliceRecord } from './index';
import { loadSlices, selectSlices, type SliceSet } from './load';
import { splitPatients, type PatientSplit } from './split';

export interface PreparedData {
  split: PatientSplit;
  /** All slices of each split's patients (before balancing / tumor-only selection). */
  sliceCounts: { train: number; val: number; test: number };
  train: SliceSet;
  val: SliceSet;
}

/**
 * Which slices each model trains on:
 * - 'notebook': the classifier on a balanced training split (every tumor slice, a seeded sample of as many no-tumor
 *   slices), the segmenter on tumor slices only (train and val);
 * - 'balanced': both models on the classifier's balanced selection. The app runs the segmenter on every slice and
 *   the combined probability counts its area, so the segmenter should learn to draw nothing on a clear slice;
 * - 'all': every training slice (the balanced sample never shows the other no-tumor slices).
 * Outside 'notebook', validation keeps every slice.
 */
export const SLICE_SELECTIONS = ['notebook', 'balanced', 'all'] as const;
export type SliceSelection = (typeof SLICE_SELECTIONS)[number];

/** What a model's selection comes down to: tumor slices only, a balanced training split, or every slice. */
type SelectionRule = 'tumor' | 'balanced' | 'all';
const ruleOf = (model: ModelName, slices: SliceSelection): SelectionRule =>
  slices === 'all' ? 'all' : slices === 'notebook' && model === 'segmenter' ? 'tumor' : 'balanced';
const RULE_NOTES: Record<SelectionRule, string> = {
  tumor: ' - tumor slices only, as the notebook',
  balanced: " - training split balanced, as the notebook's classifier",
  all: ' - every slice',
};

export interface PrepareOptions {
  dataDir: string;
  model: ModelName;
  /** Seeds the no-tumor sample of balanced training (and, unless splitSeed is given, the patient split). */
  seed: number;
  /** Seeds which patients go to train/val/test (and --limit-patients' choice). Default: seed, as before it existed,
   * so that runs differing only in data order can share one split (and be averaged). */
  splitSeed?: number;
  inputSize: number;
  /** Use only this many patients (a seeded choice), for smoke runs. */
  limitPatients?: number;
  /** Default 'notebook'. */
  slices?: SliceSelection;
  log?: (line: string) => void;
}

/**
 * The notebook's classifier balancing: keep every tumor slice and a seeded sample of as many no-tumor slices.
 * Applied to the training split only; validation keeps every slice so its loss reflects real prevalence.
 */
export function balanceRows(labels: Uint8Array, seed: number): number[] {
  const tumor: number[] = [];
  const clear: number[] = [];
  labels.forEach((l, i) => (l ? tumor : clear).push(i));
  const keep = new Rng(seed).shuffle(clear).slice(0, Math.min(clear.length, Math.max(tumor.length, 1)));
  return [...tumor, ...keep].sort((a, b) => a - b);
}

export function tumorRows(labels: Uint8Array): number[] {
  const rows: number[] = [];
  labels.forEach((l, i) => l && rows.push(i));
  return rows;
}

export function prepareData(o: PrepareOptions): PreparedData {
  const log = o.log ?? (() => {});
  const splitSeed = o.splitSeed ?? o.seed;
  let records = indexDataset(o.dataDir);
  let patients = patientsOf(records);
  if (o.limitPatients && o.limitPatients < patients.length) {
    const chosen = new Set(new Rng(splitSeed ^ 0x5eed).shuffle([...patients]).slice(0, o.limitPatients));
    records = records.filter((r) => chosen.has(r.patient));
    patients = patientsOf(records);
  }
  const split = splitPatients(patients, splitSeed);
  const of = (names: string[]): SliceRecord[] => records.filter((r) => names.includes(r.patient));
  const sliceCounts = { train: of(split.train).length, val: of(split.val).length, test: of(split.test).length };
  log(`data: ${patients.length} patients, ${records.length} slices; split (seed ${splitSeed}) train ${split.train.length} / val ${split.val.length} / test ${split.test.length} patients`);

  const started = Date.now();
  const train = loadSlices(of(split.train), o.inputSize);
  const val = loadSlices(of(split.val), o.inputSize);
  log(`data: decoded ${train.records.length + val.records.length} slices at ${o.inputSize}x${o.inputSize} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const rule = ruleOf(o.model, o.slices ?? 'notebook');
  const pick = (set: SliceSet, isTrain: boolean) =>
    rule === 'tumor' ? selectSlices(set, tumorRows(set.labels)) : rule === 'balanced' && isTrain ? selectSlices(set, balanceRows(set.labels, o.seed)) : set;
  const out = { split, sliceCounts, train: pick(train, true), val: pick(val, false) };
  const tumors = (s: SliceSet) => s.labels.reduce((a, b) => a + b, 0);
  log(
    `data: ${o.model} trains on ${out.train.records.length} slices (${tumors(out.train)} tumor), validates on ${out.val.records.length} (${tumors(out.val)} tumor)` +
      RULE_NOTES[rule],
  );
  return out;
}
