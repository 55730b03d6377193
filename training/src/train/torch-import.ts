/**
 * Loads weights trained by training/gpu/train_torch.py (tfjs layer names and layouts, float32) into the tfjs
 * models of src/models, and proves they mean the same thing there: tfjs must reproduce the predictions PyTorch
 * wrote beside them (parity), or the weights are refused.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelName } from '../../../src/core/card';
import { makeBatch } from '../data/batch';
import type { SliceSet } from '../data/load';
import type { EpochRecord } from './history';

export interface TorchRun {
  seed: number;
  augment: string;
  bestEpoch: number;
  bestValLoss: number;
  history: EpochRecord[];
  wallSeconds: number;
  imagesPerSecond: number;
}

type SegmenterParity = { sum: number; pixelsOver05: number; center: number[] };

export interface TorchExport {
  model: ModelName;
  chosen: TorchRun;
  epochs: number;
  batchSize: number;
  gpu: string;
  torch: string;
  parity: { slices: string[]; outputs: number[] | SegmenterParity[] };
  weights: { name: string; shape: number[] }[];
  files: string[];
  bytes: number;
}

export function readTorchExport(dir: string, name: ModelName): { meta: TorchExport; values: Float32Array } {
  const meta = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as TorchExport;
  if (meta.model !== name) throw new Error(`${join(dir, `${name}.json`)} holds the ${meta.model}, not the ${name}`);
  const blob = Buffer.concat(meta.files.map((f) => readFileSync(join(dir, f))));
  if (blob.length !== meta.bytes) throw new Error(`${name}: weight files hold ${blob.length} bytes, the manifest says ${meta.bytes} (incomplete copy?)`);
  const values = new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
  return { meta, values };
}

/** Sets every weight of `model` from the named values; any missing, extra or misshapen name is an error. */
export function applyNamedWeights(model: tf.LayersModel, specs: TorchExport['weights'], values: Float32Array): void {
  const byName = new Map<string, Float32Array>();
  const shapes = new Map<string, number[]>();
  let offset = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    byName.set(s.name, values.subarray(offset, offset + n));
    shapes.set(s.name, s.shape);
    offset += n;
  }
  if (offset !== values.length) throw new Error(`weights: ${values.length} values, the specs describe ${offset}`);
  const used = new Set<string>();
  for (const layer of model.layers) {
    if (!layer.weights.length) continue;
    const tensors = layer.weights.map((w) => {
      const v = byName.get(w.originalName);
      if (!v) throw new Error(`weights: nothing for ${w.originalName}`);
      if (JSON.stringify(shapes.get(w.originalName)) !== JSON.stringify(w.shape)) throw new Error(`weights: ${w.originalName} is [${shapes.get(w.originalName)}], the model wants [${w.shape}]`);
      used.add(w.originalName);
      return tf.tensor(v, w.shape as number[]);
    });
    layer.setWeights(tensors);
    tf.dispose(tensors);
  }
  const extra = specs.map((s) => s.name).filter((n) => !used.has(n));
  if (extra.length) throw new Error(`weights: the model has no place for ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', ...' : ''}`);
}

/** Largest difference between tfjs' and PyTorch's outputs on the parity slices (probability units). */
export async function parityError(model: tf.LayersModel, name: ModelName, slices: SliceSet, expected: TorchExport['parity']['outputs']): Promise<number> {
  const s = slices.size;
  let worst = 0;
  for (let i = 0; i < slices.records.length; i++) {
    const { x, y: target } = makeBatch(slices, [i], name);
    const y = model.predict(x) as tf.Tensor;
    const p = await y.data();
    tf.dispose([x, target, y]);
    if (name === 'classifier') worst = Math.max(worst, Math.abs(p[0] - (expected[i] as number)));
    else {
      const e = expected[i] as SegmenterParity;
      let sum = 0;
      for (const v of p) sum += v;
      // The sum over 65,536 pixels is compared per pixel (its mean), the 8x8 center grid value by value.
      worst = Math.max(worst, Math.abs(sum - e.sum) / (s * s));
      let k = 0;
      for (let yy = 96; yy < 160; yy += 8) for (let xx = 96; xx < 160; xx += 8) worst = Math.max(worst, Math.abs(p[yy * s + xx] - e.center[k++]));
    }
  }
  return worst;
}
