/**
 * End to end on real data: two unpacked patients, each model trained briefly at 32x32 on the fastest backend
 * the ladder finds here (no GPU rungs in CI: native or wasm with kernels, else cpu), exported, reloaded, and
 * run through the app's own classify/segment path: identical predictions. Also float16 export and --init-from.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../src/core/image';
import { classify, segment } from '../../../src/inference/analyze';
import { chooseBackend, defaultBatchSize, type BackendChoice } from '../../src/backend/ladder';
import { prepareData } from '../../src/data/dataset';
import type { SliceSet } from '../../src/data/load';
import { baseCard } from '../../src/export/card';
import { exportModel, readCard } from '../../src/export/export-model';
import { loadModelFromDir } from '../../src/export/model-files';
import { train } from '../../src/train/trainer';
import { TWO_PATIENTS, unpackPatients } from '../helpers';

let dataDir: string;
let backend: BackendChoice;
beforeAll(async () => {
  dataDir = unpackPatients(TWO_PATIENTS);
  // Skip the GPU rungs: their absence is slow to establish and they are not what CI has.
  const order = ['native', 'wasm', 'cpu'];
  for (const name of order) {
    try {
      backend = await chooseBackend(name, () => {});
      break;
    } catch {
      /* next rung */
    }
  }
});

function imagesOf(set: SliceSet): RgbImage[] {
  const n = set.size * set.size * 3;
  return set.records.map((_, i) => ({ width: set.size, height: set.size, data: set.images.slice(i * n, (i + 1) * n) }));
}

const SIZE = 32;

describe(`train -> export -> reload on two patients at ${SIZE}x${SIZE}`, () => {
  for (const name of ['classifier', 'segmenter'] as const) {
    it(`${name}`, async () => {
      const data = prepareData({ dataDir, model: name, seed: 3, inputSize: SIZE });
      const runDir = mkdtempSync(join(tmpdir(), `lgg-smoke-${name}-`));
      const result = await train({ model: name, train: data.train, val: data.val, runDir, epochs: 1, batchSize: defaultBatchSize(backend.name), seed: 3, inputSize: SIZE, log: () => {}, progress: null });
      expect(result.finished).toBe(true);
      expect(Number.isFinite(result.state.history[0].loss)).toBe(true);
      expect(result.state.bestEpoch).toBe(1);
      result.model.dispose();

      const best = await loadModelFromDir(join(runDir, 'best'));
      const root = mkdtempSync(join(tmpdir(), 'lgg-export-'));
      const card = { ...baseCard(name, best, { dtype: 'float32', bytes: 0 }), trained: true };
      const { card: written } = await exportModel({ root, name, model: best, card });
      expect(readCard(join(root, name))).toEqual(written);
      await expect(exportModel({ root, name, model: best, card })).rejects.toThrow(/already exported there.*--force/);

      const reloaded = await loadModelFromDir(join(root, name));
      const images = imagesOf(data.val).slice(0, 4);
      const run = async (m: tf.LayersModel) => (name === 'classifier' ? [await classify(m, images)] : await segment(m, images));
      const before = await run(best);
      const after = await run(reloaded);
      after.forEach((p, i) => expect(Array.from(p)).toEqual(Array.from(before[i])));

      // float16 storage: half the bytes, predictions within float16 rounding.
      const halfRoot = mkdtempSync(join(tmpdir(), 'lgg-export16-'));
      const { card: half } = await exportModel({ root: halfRoot, name, model: best, card, dtype: 'float16' });
      expect(half.weights.bytes).toBeLessThan(written.weights.bytes * 0.55);
      const halfPreds = await run(await loadModelFromDir(join(halfRoot, name)));
      halfPreds.forEach((p, i) => p.forEach((v, k) => expect(Math.abs(v - before[i][k])).toBeLessThan(0.05)));

      // --init-from: a run started from the export predicts exactly what the export does.
      const init = await train({ model: name, train: data.train, val: data.val, runDir: mkdtempSync(join(tmpdir(), 'lgg-init-')), epochs: 1, stopAfter: 0, batchSize: 2, seed: 9, inputSize: SIZE, initFrom: join(root, name), log: () => {}, progress: null });
      const fromInit = await run(init.model);
      fromInit.forEach((p, i) => expect(Array.from(p)).toEqual(Array.from(before[i])));
      for (const m of [best, reloaded, init.model]) m.dispose();
    }, 300_000);
  }
});
