/** The whole evaluation: pick patients, load models, run them patient by patient, summarize, compare with the cards. */
import * as tf from '@tensorflow/tfjs';
import type { ModelName } from '../../../src/core/card';
import type { CombinedWeights } from '../../../src/core/combined';
import { chooseBackend } from '../backend/ladder';
import { UsageError } from '../cli/run-cli';
import { indexDataset, patientsOf } from '../data';
import { loadSlices } from '../data/load';
import { checkAgainstCards, type CardCheck } from './card-check';
import { loadShippedModels, type LoadedModels, type ModelIdentity } from './models';
import { variantPredictors, type FlipChoice } from './prediction-variants';
import { progressLine } from './progress';
import { writeOverlays, type OverlaysWritten } from './overlays';
import { evaluateSlices, labeledSlices, segmentersOf, type PhaseSeconds, type SliceRow } from './run';
import { seenInTraining, selectPatients, type SplitName } from './selection';
import { summarize, type Metrics } from './summarize';

const SPLIT_WORDS: Record<string, string> = { train: 'training', val: 'validation', test: 'test', selected: 'selected' };

export interface EvaluateOptions {
  dataDir: string;
  modelsDir: string;
  patients?: string[];
  split?: SplitName;
  batchSize?: number;
  backend?: string;
  /** Progress line and backend choice on stderr (default true). */
  progress?: boolean;
  /** Score the combined probability from `<modelsDir>/combined.json` when there is one (default true). */
  withCombined?: boolean;
  /**
   * A candidate that is not one folder (compare only): more folders whose predictions are averaged with
   * `modelsDir`'s, and flip test-time augmentation. Scored without combined.json, which belongs to one pair.
   */
  variant?: { alsoDirs: string[]; flip: FlipChoice };
  /** Refuse (UsageError, before any model runs) fewer selected patients: a leave-one-patient-out fit needs 2. */
  minPatients?: number;
  /** Draw the slices that matter into this folder (overlays.md and overlays/*.png; overlays.ts) with the models evaluated. */
  overlaysDir?: string;
}

export interface EvaluationResult extends Metrics {
  generated: string;
  /** seen_in_training: the patients a card lists in its train or val split (absent in results saved before it existed). */
  data: { dir: string; selection: string; patient_ids: string[]; seen_in_training?: string[] };
  /** `combined`: the combined probability's weights this run scored with (null: the classifier alone decides). */
  models: {
    classifier: ModelIdentity;
    segmenter: ModelIdentity;
    /** The second segmenter, averaged with the first for the outline (`<models>/segmenter-2`); null or absent without one. */
    segmenter2?: ModelIdentity | null;
    combined: { weights: CombinedWeights; fitted_on: string; date: string } | null;
  };
  /** The training workspace's backend ladder rung (name), tfjs' backend, why, and the rungs skipped. */
  backend: { name: string; tf_backend: string; reason: string; skipped: { name: string; reason: string }[] };
  /** Wall time, and this process's CPU time (user + system): on a shared machine slices per CPU-second is the steadier number. */
  timing: { seconds: number; slices_per_second: number; cpu_seconds: number; slices_per_cpu_second: number; batch_size: number; phases: PhaseSeconds };
  card_check: CardCheck;
  per_slice: SliceRow[];
  /** The pictures drawn (overlaysDir): overlays.md's path, how many slices, its sections; absent when none were drawn. */
  overlays?: OverlaysWritten;
}

/** Batch 8 used the least CPU per slice of 1/4/8/16 on wasm here (1.42 vs 1.32-1.38 slices per CPU-second; small differences). */
export const DEFAULT_BATCH_SIZE = 8;

export async function runEvaluation(o: EvaluateOptions): Promise<EvaluationResult> {
  const batchSize = o.batchSize ?? DEFAULT_BATCH_SIZE;
  const records = indexDataset(o.dataDir); // names any missing mask or empty folder before the models load
  const backend = await chooseBackend(o.backend, o.progress === false ? () => {} : (line) => process.stderr.write(line + '\n'));
  if (o.variant && (o.withCombined ?? true)) throw new Error('a prediction variant is scored without combined.json (withCombined: false)');
  const loaded = await loadShippedModels(o.modelsDir, o.withCombined ?? true);
  const selection = selectPatients(patientsOf(records), o.dataDir, loaded.cards, { patients: o.patients, split: o.split });
  if (selection.patients.length < (o.minPatients ?? 0))
    throw new UsageError(`needs at least ${o.minPatients} ${SPLIT_WORDS[o.split ?? 'selected']} patients (this split has ${selection.patients.length})`);
  const members = [loaded, ...(await membersAlso(o, records, selection.patients))];
  // A variant averages the folders' first segmenters; a second segmenter is the app's outline, not part of a variant.
  const predictors = o.variant ? variantPredictors({ classifier: distinctModels(members, 'classifier'), segmenter: distinctModels(members, 'segmenter') }, o.variant.flip) : loaded.models;
  const total = records.filter((r) => selection.patients.includes(r.patient)).length;
  const progress = o.progress === false ? null : progressLine(total);

  const phases: PhaseSeconds = { read: 0, classify: 0, segment: 0, postprocess: 0 };
  const rows: SliceRow[] = [];
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (const patient of selection.patients) {
    const t = performance.now();
    const slices = labeledSlices(loadSlices(records.filter((r) => r.patient === patient))); // one patient in memory at a time
    phases.read += (performance.now() - t) / 1000;
    rows.push(...(await evaluateSlices(predictors, loaded.combined?.weights ?? null, slices, batchSize, phases, (n) => progress?.advance(n, patient))));
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const generated = new Date().toISOString();
  const metrics = summarize(rows);
  let overlays: OverlaysWritten | null = null;
  if (o.overlaysDir) {
    if (o.progress !== false) process.stderr.write(`[evaluate] drawing the slices that matter into ${o.overlaysDir}…\n`);
    overlays = await writeOverlays(o.overlaysDir, rows, metrics.per_patient, segmentersOf(predictors), records, { generated, data: `\`${o.dataDir}\`, ${selection.description}` });
  }
  for (const m of members) {
    m.models.classifier.dispose();
    m.models.segmenter.dispose();
    m.models.segmenter2?.dispose();
  }

  return {
    generated,
    data: { dir: o.dataDir, selection: selection.description, patient_ids: selection.patients, seen_in_training: seenInTraining(loaded.cards, selection.patients) },
    models: {
      classifier: loaded.identity.classifier,
      segmenter: loaded.identity.segmenter,
      segmenter2: o.variant ? null : (loaded.segmenter2?.identity ?? null),
      combined: loaded.combined && {
        weights: loaded.combined.weights,
        fitted_on: `${loaded.combined.fitted.split} split, ${loaded.combined.fitted.patients.length} patients`,
        date: loaded.combined.date,
      },
    },
    backend: { name: backend.name, tf_backend: tf.getBackend(), reason: backend.reason, skipped: backend.skipped },
    timing: { seconds, slices_per_second: rows.length / seconds, cpu_seconds: cpuSeconds, slices_per_cpu_second: rows.length / cpuSeconds, batch_size: batchSize, phases },
    ...metrics,
    card_check: checkAgainstCards(metrics, loaded.cards, selection.patients, loaded.combined, o.variant ? null : (loaded.segmenter2?.card ?? null)),
    per_slice: rows,
    ...(overlays && { overlays }),
  };
}

/**
 * The members' models of one kind, each set of weights once: folders mixed by copying (a new segmenter beside the
 * shipped classifier) would otherwise run the same classifier twice for the same mean.
 */
function distinctModels(members: LoadedModels[], name: ModelName) {
  const byWeights = new Map<string, LoadedModels['models'][ModelName]>();
  for (const m of members) if (!byWeights.has(m.identity[name].weights_sha256)) byWeights.set(m.identity[name].weights_sha256, m.models[name]);
  return [...byWeights.values()];
}

/** The variant's other folders; each must hold out the same patients, or the mean would have seen some of them. */
async function membersAlso(o: EvaluateOptions, records: ReturnType<typeof indexDataset>, patients: string[]): Promise<LoadedModels[]> {
  const others: LoadedModels[] = [];
  for (const dir of o.variant?.alsoDirs ?? []) {
    const m = await loadShippedModels(dir, false);
    others.push(m);
    const own = selectPatients(patientsOf(records), o.dataDir, m.cards, { patients: o.patients, split: o.split }).patients;
    if (own.join() !== patients.join()) throw new Error(`${dir}: its cards' ${o.split ?? 'selected'} patients differ from ${o.modelsDir}'s; averaging would score patients one member trained on`);
  }
  return others;
}
