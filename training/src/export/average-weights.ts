/**
 * A "model soup": the element-wise mean of the weights of models fine-tuned from one ancestor (Wortsman et al. 2022).
 * Fine-tunes that each land in the same basin often average to weights better than either; BatchNorm's moving
 * statistics are averaged like any other weight. Only models of one architecture and one patient split may be
 * mixed: an ingredient trained on another split would have seen this split's validation or test patients.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelCard } from '../../../src/core/card';
import { UsageError } from '../cli/run-cli';
import { machineDescription } from '../train/run-card';
import { writeFileAtomic } from './atomic';
import { readCard } from './export-model';
import { loadModelFromDir, saveModelToDir } from './model-files';
import { replaceFolder } from './replace-folder';

/** Models that cannot be averaged (too few, untrained, another kind or split): a wrong --models, not a bug. */
export class IngredientError extends Error {}

/** A training run folder (card.json + best/) or an exported model folder (card.json + model.json). */
export function ingredientWeightsDir(dir: string): string {
  return existsSync(join(dir, 'best', 'model.json')) ? join(dir, 'best') : dir;
}

/** Throws unless every card is a trained model of the first one's kind, size and patient split. */
export function checkIngredients(dirs: string[], cards: (ModelCard | null)[]): ModelCard[] {
  if (dirs.length < 2) throw new IngredientError('needs at least two models (--models DIR_A,DIR_B)');
  const ok = cards.map((c, i) => {
    if (!c?.trained || !c.data) throw new IngredientError(`${dirs[i]}: no card.json of a trained model (with its data split)`);
    return c;
  });
  const [first] = ok;
  ok.forEach((c, i) => {
    if (c.name !== first.name || c.params !== first.params) throw new IngredientError(`${dirs[i]}: a ${c.name} of ${c.params} params cannot be averaged with a ${first.name} of ${first.params}`);
    if (JSON.stringify(c.data!.patients) !== JSON.stringify(first.data!.patients))
      throw new IngredientError(`${dirs[i]}: trained on another patient split than ${dirs[0]}; averaging would mix in patients held out from the other`);
  });
  return ok;
}

/** The mean of each weight over the models (all of one architecture). */
export function meanWeights(models: tf.LayersModel[]): tf.Tensor[] {
  const lists = models.map((m) => m.getWeights());
  return lists[0].map((_, i) => tf.tidy(() => tf.addN(lists.map((l) => l[i])).div(models.length)));
}

/** An --out that holds anything (a training run, an earlier average) is replaced only with --force: a mix of two would be exported or resumed. */
function checkOutFolder(outDir: string, force: boolean): void {
  if (!existsSync(outDir)) return;
  if (!statSync(outDir).isDirectory()) throw new UsageError(`--out ${outDir} is a file, not a folder`);
  if (!force && readdirSync(outDir).length) throw new UsageError(`--out ${outDir} is not empty; choose another --out, or add --force to replace the whole folder`);
}

/**
 * Writes `<outDir>/best` (float32) and `<outDir>/card.json`, a run folder that `npm run export-models -- --run` takes.
 * The folder is written beside and swapped in whole (replace-folder.ts): nothing of what `--force` replaces stays in it.
 */
export async function averageRuns(dirs: string[], outDir: string, command: string, force = false): Promise<ModelCard> {
  checkOutFolder(outDir, force);
  const cards = checkIngredients(dirs, dirs.map((d) => readCard(d)));
  const started = Date.now();
  const models = await Promise.all(dirs.map((d) => loadModelFromDir(ingredientWeightsDir(d))));
  try {
    const mean = meanWeights(models);
    models[0].setWeights(mean);
    tf.dispose(mean);
    const { weights: _w, metrics: _m, ...base } = cards[0];
    void _w, void _m;
    const card: ModelCard = {
      ...base,
      weights: { dtype: 'float32', bytes: 0 },
      date: new Date().toISOString(),
      training: {
        command,
        epochs: 0,
        bestEpoch: 0,
        batchSize: cards[0].training?.batchSize ?? 0,
        backend: 'weight average (no training)',
        wallSeconds: Math.round((Date.now() - started) / 1000),
        imagesPerSecond: 0,
        machine: machineDescription(),
        averageOf: cards.map((c, i) => ({ source: dirs[i], command: c.training?.command ?? 'unknown', epochs: c.training?.epochs ?? 0, bestEpoch: c.training?.bestEpoch ?? 0 })),
      },
    };
    await replaceFolder(outDir, { marker: 'card.json' }, async (tmp) => {
      await saveModelToDir(models[0], join(tmp, 'best'));
      writeFileAtomic(join(tmp, 'card.json'), JSON.stringify(card, null, 2) + '\n');
    });
    return card;
  } finally {
    models.forEach((m) => m.dispose());
  }
}
