/**
 * Everything a killed run needs to continue bit for bit: model weights (BN statistics included), Adam's
 * moments, step count and bias-correction powers, the epoch, the history, and both RNG states.
 * Written beside and swapped in by renames (replace-folder.ts), so a kill never leaves a half checkpoint.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../export/atomic';
import { completeFolder, replaceFolder } from '../export/replace-folder';
import type { PatientSplit } from '../data/split';
import type { EpochRecord } from './history';

type NamedTensor = { name: string; tensor: tf.Tensor };

export interface TrainState {
  /** Epochs finished (0-based index of the next epoch). */
  epoch: number;
  history: EpochRecord[];
  bestValLoss: number;
  bestEpoch: number;
  /** Math.random's stream (tfjs dropout) and the shuffling/augmentation stream. */
  mathRng: number[];
  dataRng: number[];
  wallSeconds: number;
  trainImages: number;
  trainSeconds: number;
  /** Adam's running beta powers, restored exactly (tfjs' setWeights recomputes them with pow, off by rounding). */
  accBeta1?: number;
  accBeta2?: number;
  /** The patients these weights were trained and validated on (a resume must not change them). */
  split?: PatientSplit;
}

async function writeTensors(dir: string, name: string, tensors: NamedTensor[]): Promise<void> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  writeFileAtomic(join(dir, `${name}.bin`), new Uint8Array(data));
  writeFileAtomic(join(dir, `${name}.json`), JSON.stringify(specs));
}

function readTensors(dir: string, name: string): NamedTensor[] {
  const specs = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as tf.io.WeightsManifestEntry[];
  const b = readFileSync(join(dir, `${name}.bin`));
  const map = tf.io.decodeWeights(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer, specs);
  return specs.map((s) => ({ name: s.name, tensor: map[s.name] }));
}

type AdamInternals = { accBeta1: tf.Variable; accBeta2: tf.Variable };

export async function saveCheckpoint(runDir: string, model: tf.LayersModel, optimizer: tf.Optimizer, state: TrainState): Promise<void> {
  // The temp folder of earlier versions (a fixed name): a leftover of a killed run.
  rmSync(join(runDir, 'checkpoint.tmp'), { recursive: true, force: true });
  await replaceFolder(join(runDir, 'checkpoint'), { marker: 'state.json' }, async (tmp) => {
    await writeTensors(tmp, 'model', model.weights.map((w, i) => ({ name: `${i}:${w.originalName}`, tensor: w.read() })));
    await writeTensors(tmp, 'optimizer', await optimizer.getWeights());
    const adam = optimizer as unknown as AdamInternals;
    const s: TrainState = { ...state, accBeta1: (await adam.accBeta1.data())[0], accBeta2: (await adam.accBeta2.data())[0] };
    writeFileAtomic(join(tmp, 'state.json'), JSON.stringify(s, null, 1));
  });
}

/** The newest complete checkpoint of a run, or null (a kill between the two renames leaves checkpoint.old). */
export function checkpointDir(runDir: string): string | null {
  return completeFolder(join(runDir, 'checkpoint'), 'state.json');
}

/** The state.json of a checkpoint folder, without loading its tensors. */
export function readCheckpointState(dir: string): TrainState {
  return JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as TrainState;
}

/** The model weights of a checkpoint into `model` (no optimizer): what `export --weights last` ships. */
export function loadCheckpointWeights(dir: string, model: tf.LayersModel): TrainState {
  const weights = readTensors(dir, 'model');
  if (weights.length !== model.weights.length)
    throw new Error(`${dir}: checkpoint has ${weights.length} weight tensors, this model ${model.weights.length}: different model or input size`);
  weights.forEach((w, i) => {
    if (!tf.util.arraysEqual(w.tensor.shape, model.weights[i].shape as number[]))
      throw new Error(`${dir}: weight ${w.name} has shape [${w.tensor.shape}], the model expects [${model.weights[i].shape}]: different --input-size?`);
  });
  model.setWeights(weights.map((w) => w.tensor));
  tf.dispose(weights.map((w) => w.tensor));
  return readCheckpointState(dir);
}

export async function loadCheckpoint(dir: string, model: tf.LayersModel, optimizer: tf.Optimizer): Promise<TrainState> {
  const state = loadCheckpointWeights(dir, model);
  const opt = readTensors(dir, 'optimizer');
  if (opt.length > 1) await optimizer.setWeights(opt);
  const adam = optimizer as unknown as AdamInternals;
  if (state.accBeta1 !== undefined && state.accBeta2 !== undefined) {
    adam.accBeta1.assign(tf.scalar(state.accBeta1));
    adam.accBeta2.assign(tf.scalar(state.accBeta2));
  }
  return state;
}
