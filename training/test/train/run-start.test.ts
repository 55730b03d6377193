import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { splitPatients } from '../../src/data/split';
import { errorLines, runTrainingCli } from '../cli-helpers';
import { unpackPatients } from '../helpers';

const FOUR = ['TCGA_CS_4941_19960909', 'TCGA_CS_4942_19970222', 'TCGA_CS_4943_20000902', 'TCGA_CS_4944_20010208'];
let data3: string;
let data4: string;
beforeAll(() => {
  data3 = unpackPatients(FOUR.slice(0, 3));
  data4 = unpackPatients(FOUR);
});

const tiny = ['--model', 'segmenter', '--input-size', '32', '--batch-size', '4', '--backend', 'cpu', '--epochs', '2'];

/** A run folder whose checkpoint (state.json only: a resume is refused before the weights are read) is after epoch 1 on data3. */
function runAfterEpoch1(lr: number | null = null): { dir: string; runJson: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lgg-run-start-'));
  const split = splitPatients(FOUR.slice(0, 3), 42);
  mkdirSync(join(dir, 'checkpoint'));
  writeFileSync(join(dir, 'checkpoint', 'state.json'), JSON.stringify({ epoch: 1, bestEpoch: 1, bestValLoss: 1, history: [], split }));
  const runJson = JSON.stringify({ model: 'segmenter', data: data3, seed: 42, inputSize: 32, epochs: 2, batchSize: 4, augment: false, lr, constantEpochs: 20, limitPatients: null, split });
  writeFileSync(join(dir, 'run.json'), runJson);
  return { dir, runJson };
}

describe('train: a run folder is not taken over silently', () => {
  it('a new run removes the card.json of the weights it replaces before training (export --run would ship new weights under it)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lgg-run-start-'));
    writeFileSync(join(dir, 'card.json'), '{"name":"segmenter","trained":true}');
    // --init-from a folder without a model fails after the run has started, before the first epoch: a stand-in for a kill.
    const r = runTrainingCli('train', [...tiny, '--data', data3, '--out', dir, '--init-from', join(dir, 'nothing')]);
    expect(r.status).not.toBe(0);
    expect(existsSync(join(dir, 'card.json'))).toBe(false);
  }, 120_000);

  it('--resume with a --data that gives another patient split is refused (exit 2), run.json kept', () => {
    const { dir, runJson } = runAfterEpoch1();
    const r = runTrainingCli('train', [...tiny, '--data', data4, '--out', dir, '--resume']);
    expect(r.status).toBe(2);
    expect(errorLines(r)).toEqual([expect.stringMatching(/^train: --resume: this --data gives another patient split/)]);
    expect(readFileSync(join(dir, 'run.json'), 'utf8')).toBe(runJson);
  }, 120_000);

  it('--resume with another --lr is refused (exit 2); run.json keeps the original configuration', () => {
    const { dir, runJson } = runAfterEpoch1();
    const r = runTrainingCli('train', [...tiny, '--data', data3, '--out', dir, '--resume', '--lr', '0.5']);
    expect(r.status).toBe(2);
    expect(errorLines(r)).toEqual([expect.stringMatching(/^train: --resume: --lr 0.5, but the run was trained with \(default\)/)]);
    expect(readFileSync(join(dir, 'run.json'), 'utf8')).toBe(runJson);
    expect(readdirSync(dir).filter((f) => f.startsWith('run.'))).toEqual(['run.json']);
  }, 120_000);
});
