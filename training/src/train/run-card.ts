/** The card of a finished run (written into the run folder; `export` copies it next to the shipped weights). */
import { cpus } from 'node:os';
import type { ModelCard, ModelName } from '../../../src/core/card';
import type { PreparedData } from '../data/dataset';
import { baseCard } from '../export/card';
import type { TrainResult } from './trainer';
import type * as tf from '@tensorflow/tfjs';

export interface RunInfo {
  name: ModelName;
  dataDir: string;
  data: PreparedData;
  result: TrainResult;
  bestModel: tf.LayersModel;
  batchSize: number;
  backend: string;
  command: string;
}

export function machineDescription(): string {
  const c = cpus();
  return `${c.length} x ${c[0]?.model ?? 'unknown CPU'}, ${process.platform} ${process.arch}, Node ${process.version}`;
}

export function runCard(r: RunInfo): ModelCard {
  const s = r.result.state;
  return {
    ...baseCard(r.name, r.bestModel, { dtype: 'float32', bytes: 0 }),
    trained: true,
    data: {
      source: r.dataDir,
      splitSeed: r.data.split.seed,
      patients: { train: r.data.split.train, val: r.data.split.val, test: r.data.split.test },
      slices: r.data.sliceCounts,
    },
    training: {
      command: r.command,
      epochs: s.epoch,
      bestEpoch: s.bestEpoch,
      batchSize: r.batchSize,
      backend: r.backend,
      wallSeconds: Math.round(s.wallSeconds),
      imagesPerSecond: Number((s.trainImages / Math.max(1e-9, s.trainSeconds)).toFixed(3)),
      machine: machineDescription(),
    },
  };
}
