import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelCard } from '../../../src/core/card';
import { chooseBackend } from '../../src/backend/ladder';
import { baseCard } from '../../src/export/card';
import { exportRun } from '../../src/export/export-run';
import { loadModelFromDir, saveModelToDir } from '../../src/export/model-files';
import { buildModel } from '../../src/models';
import { saveCheckpoint, type TrainState } from '../../src/train/checkpoint';

beforeAll(async () => {
  await chooseBackend('cpu', () => {});
});

const filled = (model: tf.LayersModel, v: number) => model.setWeights(model.weights.map((w) => tf.fill(w.shape as number[], v)));
const firstValue = async (model: tf.LayersModel) => (await model.weights[0].read().data())[0];

/** A finished 3-epoch run folder whose best/ holds weights of 1 and whose checkpoint (epoch `ckptEpoch`) holds 2. */
async function fakeRun(ckptEpoch: number, checkpointTest = 'c'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'lgg-export-run-'));
  const model = buildModel('segmenter', 32);
  filled(model, 1);
  await saveModelToDir(model, join(dir, 'best'));
  filled(model, 2);
  const split = { seed: 1, train: ['a'], val: ['b'], test: [checkpointTest] };
  const state: TrainState = { epoch: ckptEpoch, history: [], bestValLoss: 0.3, bestEpoch: 1, mathRng: [], dataRng: [], wallSeconds: 1, trainImages: 1, trainSeconds: 1, split };
  await saveCheckpoint(dir, model, tf.train.adam(0.01), state);
  const card: ModelCard = {
    ...baseCard('segmenter', model, { dtype: 'float32', bytes: 0 }),
    trained: true,
    data: { source: 'test', splitSeed: 1, patients: { train: ['a'], val: ['b'], test: ['c'] }, slices: { train: 1, val: 1, test: 1 } },
    training: { command: 'npm run train -- (test)', epochs: 3, bestEpoch: 1, batchSize: 2, backend: 'cpu', wallSeconds: 1, imagesPerSecond: 1, machine: 'test' },
  };
  writeFileSync(join(dir, 'card.json'), JSON.stringify(card));
  model.dispose();
  return dir;
}

describe('export --run: which epoch of a run leaves', () => {
  it('best by default; --weights last exports the final checkpoint and names its epoch on the card', async () => {
    const run = await fakeRun(3);
    const out = mkdtempSync(join(tmpdir(), 'lgg-export-out-'));
    const best = await exportRun({ runDir: run, root: join(out, 'best') });
    expect(best.card.training?.exportedEpoch).toBeUndefined();
    const last = await exportRun({ runDir: run, root: join(out, 'last'), weights: 'last' });
    expect(last.card.training?.exportedEpoch).toBe(3);
    expect(last.card.training?.bestEpoch).toBe(1); // the run's own record is kept
    for (const [root, value] of [['best', 1], ['last', 2]] as const) {
      const m = await loadModelFromDir(join(out, root, 'segmenter'));
      expect(await firstValue(m)).toBe(value);
      m.dispose();
    }
  }, 60_000);

  it('refuses a checkpoint that is not the finished run’s last epoch (a resumed run still going)', async () => {
    const run = await fakeRun(2);
    const out = mkdtempSync(join(tmpdir(), 'lgg-export-out-'));
    await expect(exportRun({ runDir: run, root: out, weights: 'last' })).rejects.toThrow(/checkpoint after epoch 2, but the run's card says it finished after 3/);
  }, 60_000);

  it('refuses best/ under a card of another run: other epochs than the checkpoint (a run started in the folder after the card)', async () => {
    const run = await fakeRun(2);
    const out = mkdtempSync(join(tmpdir(), 'lgg-export-out-'));
    await expect(exportRun({ runDir: run, root: out })).rejects.toThrow(/card is of a run of 3 epochs \(best 1\), the folder's checkpoint is after epoch 2/);
  }, 60_000);

  it('refuses a card whose patient split is not the one the weights were trained on', async () => {
    const run = await fakeRun(3, 'b2');
    const out = mkdtempSync(join(tmpdir(), 'lgg-export-out-'));
    await expect(exportRun({ runDir: run, root: out })).rejects.toThrow(/card's patient split is not the one the run's weights were trained on \(test b2\)/);
  }, 60_000);
});
