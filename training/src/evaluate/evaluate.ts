/** The whole evaluation: pick patients, load models, run them patient by patient, summarize, compare with the cards. */
import * as tf from '@tensorflow/tfjs';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseSliceName } from '../../../src/core/slices';
import { chooseBackend, type ChosenBackend } from './backend';
import { checkAgainstCards, type CardCheck } from './card-check';
import { loadShippedModels, type ModelIdentity } from './models';
import { progressLine } from './progress';
import { evaluateSlices, type PhaseSeconds, type SliceRow } from './run';
import { selectPatients, type SplitName } from './selection';
import { kaggleRoot, listPatients, readPatient } from './slices-reader';
import { summarize, type Metrics } from './summarize';

export interface EvaluateOptions {
  dataDir: string;
  modelsDir: string;
  patients?: string[];
  split?: SplitName;
  batchSize?: number;
  backend?: string;
  /** Progress line on stderr (default true). */
  progress?: boolean;
}

export interface EvaluationResult extends Metrics {
  generated: string;
  data: { dir: string; selection: string; patient_ids: string[] };
  models: { classifier: ModelIdentity; segmenter: ModelIdentity };
  backend: ChosenBackend;
  /** Wall time, and this process's CPU time (user + system): on a shared machine slices per CPU-second is the steadier number. */
  timing: { seconds: number; slices_per_second: number; cpu_seconds: number; slices_per_cpu_second: number; batch_size: number; phases: PhaseSeconds };
  card_check: CardCheck;
  per_slice: SliceRow[];
}

/** Batch 8 used the least CPU per slice of 1/4/8/16 on wasm here (1.42 vs 1.32-1.38 slices per CPU-second; small differences). */
export const DEFAULT_BATCH_SIZE = 8;

const imageCount = (dir: string) => readdirSync(dir).filter((f) => /\.tiff?$/i.test(f) && !parseSliceName(f).isMask).length;

export async function runEvaluation(o: EvaluateOptions): Promise<EvaluationResult> {
  const batchSize = o.batchSize ?? DEFAULT_BATCH_SIZE;
  const root = kaggleRoot(o.dataDir);
  const backend = await chooseBackend(o.backend);
  const loaded = await loadShippedModels(o.modelsDir);
  const selection = selectPatients(listPatients(root), root, loaded.cards, { patients: o.patients, split: o.split });
  const total = selection.patients.reduce((n, p) => n + imageCount(join(root, p)), 0);
  const progress = o.progress === false ? null : progressLine(total);

  const phases: PhaseSeconds = { read: 0, classify: 0, segment: 0, postprocess: 0 };
  const rows: SliceRow[] = [];
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (const patient of selection.patients) {
    const t = performance.now();
    const slices = readPatient(root, patient); // one patient in memory at a time
    phases.read += (performance.now() - t) / 1000;
    rows.push(...(await evaluateSlices(loaded.models, slices, batchSize, phases, (n) => progress?.advance(n, patient))));
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  loaded.models.classifier.dispose();
  loaded.models.segmenter.dispose();

  const metrics = summarize(rows);
  return {
    generated: new Date().toISOString(),
    data: { dir: root, selection: selection.description, patient_ids: selection.patients },
    models: { classifier: loaded.identity.classifier, segmenter: loaded.identity.segmenter },
    backend: { ...backend, name: tf.getBackend() },
    timing: { seconds, slices_per_second: rows.length / seconds, cpu_seconds: cpuSeconds, slices_per_cpu_second: rows.length / cpuSeconds, batch_size: batchSize, phases },
    ...metrics,
    card_check: checkAgainstCards(metrics, loaded.cards, selection.patients),
    per_slice: rows,
  };
}
