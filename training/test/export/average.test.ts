import * as tf from '@tensorflow/tfjs';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelCard } from '../../../src/core/card';
import { segment } from '../../../src/inference/analyze';
import { indexDataset } from '../../src/data/index';
import { loadSlices } from '../../src/data/load';
import { averageRuns, checkIngredients, IngredientError, meanWeights } from '../../src/export/average-weights';
import { loadModelFromDir } from '../../src/export/model-files';
import { labeledSlices } from '../../src/evaluate/run';
import { FIXTURES, REPO } from '../helpers';

const SEGMENTER = join(REPO, 'public/models/segmenter');
const shippedCard = (): ModelCard => JSON.parse(readFileSync(join(SEGMENTER, 'card.json'), 'utf8'));

describe('averaging model weights (model soup)', () => {
  it('takes the element-wise mean of every weight', () => {
    const make = (v: number) => {
      const m = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
      m.setWeights([tf.fill([3, 2], v), tf.fill([2], -v)]);
      return m;
    };
    const mean = meanWeights([make(1), make(2), make(6)]);
    expect(Array.from(mean[0].dataSync())).toEqual(new Array(6).fill(3));
    expect(Array.from(mean[1].dataSync())).toEqual([-3, -3]);
  });

  it('refuses models of another kind, another patient split, untrained, or a single one', () => {
    const card = shippedCard();
    const otherSplit = { ...card, data: { ...card.data!, patients: { ...card.data!.patients, val: card.data!.patients.test, test: card.data!.patients.val } } };
    expect(() => checkIngredients(['a'], [card])).toThrow(/at least two/);
    expect(() => checkIngredients(['a'], [card])).toThrow(IngredientError);
    expect(() => checkIngredients(['a', 'b'], [card, otherSplit])).toThrow(/another patient split/);
    expect(() => checkIngredients(['a', 'b'], [card, { ...card, name: 'classifier', params: 8880897 }])).toThrow(/cannot be averaged/);
    expect(() => checkIngredients(['a', 'b'], [card, { ...card, trained: false }])).toThrow(/b: no card.json of a trained model/);
    expect(checkIngredients(['a', 'b'], [card, card])).toHaveLength(2);
  });

  it('the shipped segmenter averaged with itself is a run folder that predicts exactly as the shipped one', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'soup-in-'));
    cpSync(SEGMENTER, copy, { recursive: true });
    const out = join(mkdtempSync(join(tmpdir(), 'soup-out-')), 'run');
    const card = await averageRuns([SEGMENTER, copy], out, 'npm run average-weights -- (test)');
    expect(card.training!.averageOf!.map((a) => a.source)).toEqual([SEGMENTER, copy]);
    expect(card.training!.epochs).toBe(0);
    expect(card.data).toEqual(shippedCard().data);
    expect(JSON.parse(readFileSync(join(out, 'card.json'), 'utf8')).training.averageOf).toHaveLength(2);

    const image = labeledSlices(loadSlices(indexDataset(FIXTURES).filter((r) => r.key === 'TCGA_HT_8113_19930809_12')))[0].image;
    const [shipped, averaged] = await Promise.all([loadModelFromDir(SEGMENTER), loadModelFromDir(join(out, 'best'))]);
    const [a] = await segment(shipped, [image]);
    const [b] = await segment(averaged, [image]);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    expect(worst).toBeLessThan(1e-5);
    expect(a.reduce((n, p) => n + (p >= 0.5 ? 1 : 0), 0)).toBeGreaterThan(100); // the small tumor is outlined
    shipped.dispose();
    averaged.dispose();
    writeFileSync(join(copy, 'card.json'), '{}'); // an unreadable card is refused, not averaged
    await expect(averageRuns([SEGMENTER, copy], out + '2', 'x')).rejects.toThrow(/no card.json of a trained model/);
  }, 120_000);

  it('--out: a folder that holds anything is refused unless force, which replaces the whole folder (no checkpoint of a run stays)', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'soup-in-'));
    cpSync(SEGMENTER, copy, { recursive: true });
    const out = mkdtempSync(join(tmpdir(), 'soup-run-'));
    mkdirSync(join(out, 'checkpoint'));
    writeFileSync(join(out, 'checkpoint', 'state.json'), '{"epoch":3}');
    writeFileSync(join(out, 'run.json'), '{}');
    await expect(averageRuns([SEGMENTER, copy], out, 'x')).rejects.toThrow(`--out ${out} is not empty; choose another --out, or add --force to replace the whole folder`);
    expect(readdirSync(out).sort()).toEqual(['checkpoint', 'run.json']);
    await expect(averageRuns([SEGMENTER, copy], join(out, 'run.json'), 'x', true)).rejects.toThrow(/is a file, not a folder/);
    await averageRuns([SEGMENTER, copy], out, 'x', true);
    expect(readdirSync(out).sort()).toEqual(['best', 'card.json']);
  }, 120_000);
});
