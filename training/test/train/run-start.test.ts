import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { splitPatients } from '../../src/data/split';
import { checkRunFolder } from '../../src/train/run-start';
import { errorLines, runTrainingCli } from '../cli-helpers';
import { FIXTURES, unpackPatients } from '../helpers';

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

/** Every file under a folder with its content: what a refused command must leave exactly as it was. */
function snapshot(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return Object.fromEntries(files.map((e) => [join(e.parentPath, e.name), readFileSync(join(e.parentPath, e.name), 'utf8')]));
}

/** An --init-from folder whose model.json does not load. */
function brokenModel(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lgg-broken-model-'));
  writeFileSync(join(dir, 'model.json'), '{}');
  return dir;
}

describe('train on bad data', () => {
  it('a slice without its mask: one line naming the file the mask was expected at, exit 2, no run folder made', () => {
    const root = mkdtempSync(join(tmpdir(), 'lgg-bad-train-'));
    const patient = join(root, 'kaggle_3m', 'TCGA_FG_6688_20020215');
    mkdirSync(patient, { recursive: true });
    copyFileSync(join(FIXTURES, 'TCGA_FG_6688_20020215_20.tif'), join(patient, 'TCGA_FG_6688_20020215_20.tif'));
    const out = join(root, 'run');
    const r = runTrainingCli('train', [...tiny, '--data', root, '--out', out]);
    expect(r.status).toBe(2);
    expect(errorLines(r)).toEqual([`train: ${join(patient, 'TCGA_FG_6688_20020215_20.tif')}: missing mask: expected ${join(patient, 'TCGA_FG_6688_20020215_20_mask.tif')}`]);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});

describe('train: a run folder is not taken over silently', () => {
  it('--resume of a run killed in its first epoch, after its best weights and pictures and before its checkpoint, starts it again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lgg-run-start-'));
    writeFileSync(join(dir, 'run.json'), '{}');
    mkdirSync(join(dir, 'best'));
    writeFileSync(join(dir, 'best', 'model.json'), '{}');
    mkdirSync(join(dir, 'val-pictures'));
    writeFileSync(join(dir, 'val-pictures', 'epoch-01.png'), '');
    writeFileSync(join(dir, 'val-pictures.md'), '');
    writeFileSync(join(dir, 'val-pictures.json'), '[]');
    expect(() => checkRunFolder({ runDir: dir, resume: true, config: {} })).not.toThrow();
    writeFileSync(join(dir, 'notes.txt'), '');
    expect(() => checkRunFolder({ runDir: dir, resume: true, config: {} })).toThrow(/holds no checkpoint to continue/);
  });

  it('--restart: a new run in a finished run\'s folder removes its checkpoint, best weights, history, card and pictures before training', () => {
    const { dir } = runAfterEpoch1();
    mkdirSync(join(dir, 'best'));
    writeFileSync(join(dir, 'best', 'model.json'), '{}');
    writeFileSync(join(dir, 'history.json'), '[]');
    writeFileSync(join(dir, 'card.json'), '{"name":"segmenter","trained":true}');
    writeFileSync(join(dir, 'notes.txt'), 'the user\'s');
    mkdirSync(join(dir, 'val-pictures'));
    writeFileSync(join(dir, 'val-pictures', 'epoch-01.png'), 'old');
    writeFileSync(join(dir, 'val-pictures.md'), 'old');
    writeFileSync(join(dir, 'val-pictures.json'), '[]');
    // --init-from a model.json that does not load fails after the run has started, before the first epoch: a stand-in for a kill.
    const r = runTrainingCli('train', [...tiny, '--data', data3, '--out', dir, '--restart', '--init-from', brokenModel()]);
    expect(r.status).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'run.json']);
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).epochs).toBe(2);
  }, 120_000);

  it('a new run (no --resume, no --restart) in a folder that holds a run is refused (exit 2), the folder untouched', () => {
    const { dir } = runAfterEpoch1();
    writeFileSync(join(dir, 'card.json'), '{"name":"segmenter","trained":true}');
    const before = snapshot(dir);
    const r = runTrainingCli('train', [...tiny, '--data', data3, '--out', dir]);
    expect(errorLines(r)).toEqual([`train: ${dir} already holds a training run; add --resume to continue it, or choose another --out (--restart starts over, removing it)`]);
    expect(r.status).toBe(2);
    expect(snapshot(dir)).toEqual(before);
  }, 120_000);

  it('a folder of other files is refused (exit 2), the files untouched; a file as --out too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lgg-run-start-'));
    writeFileSync(join(dir, 'history.json'), 'precious');
    const r = runTrainingCli('train', [...tiny, '--data', data3, '--out', dir]);
    expect(errorLines(r)).toEqual([`train: ${dir} is not empty and not a training run; choose another --out (--restart writes into it anyway)`]);
    expect(r.status).toBe(2);
    expect(readFileSync(join(dir, 'history.json'), 'utf8')).toBe('precious');
    const file = join(dir, 'history.json');
    const f = runTrainingCli('train', [...tiny, '--data', data3, '--out', file]);
    expect(errorLines(f)).toEqual([`train: --out ${file} is a file, not a folder`]);
    expect(f.status).toBe(2);
  }, 120_000);

  it('--resume with another --model or --input-size is refused (exit 2) before the run folder changes', () => {
    const { dir } = runAfterEpoch1();
    writeFileSync(join(dir, 'card.json'), '{"name":"segmenter","trained":true}');
    const before = snapshot(dir);
    const model = runTrainingCli('train', [...tiny, '--model', 'classifier', '--data', data3, '--out', dir, '--resume']);
    expect(errorLines(model)).toEqual(['train: --resume: --model classifier, but the run was trained with segmenter; resume with the same --model, or start a new run in another --out']);
    expect(model.status).toBe(2);
    const size = runTrainingCli('train', [...tiny, '--input-size', '64', '--data', data3, '--out', dir, '--resume']);
    expect(errorLines(size)).toEqual([expect.stringMatching(/^train: --resume: --input-size 64, but the run was trained with 32;/)]);
    expect(size.status).toBe(2);
    expect(snapshot(dir)).toEqual(before);
  }, 120_000);

  it('a segmenter --input-size that is not a multiple of 16 is refused (exit 2) before the run folder changes', () => {
    const { dir } = runAfterEpoch1();
    const before = snapshot(dir);
    const r = runTrainingCli('train', [...tiny, '--input-size', '70', '--data', data3, '--out', dir, '--restart']);
    expect(errorLines(r)).toEqual(['train: --input-size for the segmenter needs a multiple of 16 (its four poolings), got 70']);
    expect(r.status).toBe(2);
    expect(snapshot(dir)).toEqual(before);
  }, 120_000);

  it('--resume with a --data that gives another patient split is refused (exit 2), run.json kept', () => {
    const { dir, runJson } = runAfterEpoch1();
    const r = runTrainingCli('train', [...tiny, '--data', data4, '--out', dir, '--resume']);
    expect(r.status).toBe(2);
    expect(errorLines(r)).toEqual([expect.stringMatching(/^train: --resume: these flags give another patient split .* resume with the run's own --data, --seed, --split-seed and --limit-patients \(--data \S+ --seed 42\)/)]);
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
