/** Exports the weights of a training run folder (written by train/) with the run's card. */
import type * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelCard } from '../../../src/core/card';
import { buildModel } from '../models';
import { samePatients, type PatientSplit } from '../data/split';
import { checkpointDir, loadCheckpointWeights, readCheckpointState } from '../train/checkpoint';
import { exportModel, readCard } from './export-model';
import { loadModelFromDir } from './model-files';
import type { WeightDtype } from './quantize';

/**
 * Which weights leave the run: `best` (the epoch of lowest validation loss, `<run>/best/`, the default) or `last`
 * (the final epoch's checkpoint). `last` is for runs whose validation loss stopped moving while the model still
 * improved on what the loss does not see (e.g. false outlines on tumor-free slices, which the segmenter's
 * tumor-only validation loss never scores); the choice is then made with `npm run compare`.
 */
export type RunWeights = 'best' | 'last';
export const RUN_WEIGHTS: readonly RunWeights[] = ['best', 'last'];

export interface ExportRunOptions {
  runDir: string;
  /** The model the caller means to export: refused when the run trained another. */
  model?: ModelCard['name'];
  root: string;
  dtype?: WeightDtype;
  /** `mixed` only: the size from which a tensor is stored uint8. */
  uint8MinElements?: number;
  force?: boolean;
  weights?: RunWeights;
  /** Export into `<root>/<folder>/` instead of `<root>/<model name>/` (`segmenter-2`: the app's second segmenter). */
  folder?: string;
  /** Extra card fields (e.g. test metrics from the evaluation). */
  extra?: Partial<ModelCard>;
}

/** The run's last checkpoint in a fresh model; refuses a checkpoint that is not the finished run's last epoch. */
function lastEpochModel(runDir: string, card: ModelCard): { model: tf.LayersModel; epoch: number } {
  const dir = checkpointDir(runDir);
  if (!dir) throw new Error(`${runDir}: no checkpoint to export the last epoch from`);
  const model = buildModel(card.name, card.inputShape[0]);
  try {
    const state = loadCheckpointWeights(dir, model);
    const finished = card.training?.epochs;
    if (finished !== undefined && state.epoch !== finished)
      throw new Error(`${dir}: checkpoint after epoch ${state.epoch}, but the run's card says it finished after ${finished} (a resumed run still going?)`);
    return { model, epoch: state.epoch };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/**
 * Refuses a card that does not describe the run's weights: a run started or resumed in the folder after the card was
 * written (by a version of train that left the old card there) has other epochs, best epoch or patients.
 */
function checkCardMatchesRun(runDir: string, card: ModelCard): void {
  const ckpt = checkpointDir(runDir);
  if (!ckpt || !card.training) return; // an imported or averaged run: no checkpoint to compare with
  const state = readCheckpointState(ckpt);
  const t = card.training;
  const where = join(runDir, 'card.json');
  if (state.epoch !== t.epochs || state.bestEpoch !== t.bestEpoch)
    throw new Error(`${where}: the card is of a run of ${t.epochs} epochs (best ${t.bestEpoch}), the folder's checkpoint is after epoch ${state.epoch} (best ${state.bestEpoch}): weights and card are of different runs; finish the run with --resume to write its card`);
  const runJson = join(runDir, 'run.json');
  const split = state.split ?? (existsSync(runJson) ? (JSON.parse(readFileSync(runJson, 'utf8')).split as PatientSplit | undefined) : undefined);
  if (split && card.data && !samePatients(split, card.data.patients))
    throw new Error(`${where}: the card's patient split is not the one the run's weights were trained on (test ${split.test.join(', ')}); finish the run with --resume to write its card`);
}

export async function exportRun(o: ExportRunOptions) {
  const card = readCard(o.runDir);
  if (!card) throw new Error(`${join(o.runDir, 'card.json')}: not a finished training run (no card.json)`);
  if (o.model && o.model !== card.name) throw new Error(`${o.runDir} is a ${card.name} run, not a ${o.model} one: check --run and --model`);
  const last = o.weights === 'last' ? lastEpochModel(o.runDir, card) : null;
  const model = last?.model ?? (await loadModelFromDir(join(o.runDir, 'best')));
  try {
    checkCardMatchesRun(o.runDir, card);
    const { weights: _unused, ...rest } = card;
    void _unused;
    const training = last && rest.training ? { ...rest.training, exportedEpoch: last.epoch } : rest.training;
    return await exportModel({ root: o.root, name: card.name, model, card: { ...rest, training, ...o.extra, date: new Date().toISOString() }, dtype: o.dtype, uint8MinElements: o.uint8MinElements, force: o.force, folder: o.folder });
  } finally {
    model.dispose();
  }
}
