/**
 * npm run export -- --untrained [--out public/models]          architecture-only exports (random weights, trained: false)
 * npm run export -- --run DIR --model NAME [--out public/models] [--dtype float16|uint8|mixed] [--weights best|last] [--as FOLDER] [--force]
 *   --as segmenter-2: the app's second segmenter (averaged with the first for the outline drawn)
 *                                                               the best (or last) weights of a finished training run
 * npm run export -- --from-model DIR --dtype mixed [--uint8-min-elements N] [--out public/models] [--as FOLDER] [--force]
 *                                                               an exported model stored again in another form, card kept
 *   --dtype mixed: uint8 for tensors of at least N elements (default 100,000), float16 for the rest
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelName } from '../../../src/core/card';
import { baseCard } from '../export/card';
import { exportModel } from '../export/export-model';
import { exportRun, RUN_WEIGHTS } from '../export/export-run';
import { describeStorage, WEIGHT_DTYPES } from '../export/quantize';
import { restoreModel } from '../export/restore-model';
import { seedMathRandom } from '../backend/seeded-random';
import { buildModel } from '../models';
import { nonNegativeInt, oneOf, orExit, parseFlags, positiveInt } from './flags';
import { REPO_ROOT, userPath } from './paths';

const values = orExit('export', () =>
  parseFlags({
    untrained: { type: 'boolean', default: false },
    run: { type: 'string' },
    'from-model': { type: 'string' },
    'uint8-min-elements': { type: 'string' },
    model: { type: 'string' },
    out: { type: 'string', default: 'public/models' },
    dtype: { type: 'string', default: 'float32' },
    force: { type: 'boolean', default: false },
    weights: { type: 'string', default: 'best' },
    as: { type: 'string' },
    seed: { type: 'string', default: '1' },
  }),
);

const out = values.out === 'public/models' ? join(REPO_ROOT, 'public/models') : userPath(values.out!);
if (existsSync(out) && !statSync(out).isDirectory()) {
  console.error(`export: --out ${out} is a file, not a folder`);
  process.exit(2);
}
const MODEL_NAMES: readonly ModelName[] = ['classifier', 'segmenter'];
// A mistyped name (`Classifier`) would otherwise export a segmenter into a folder of that name.
const names: ModelName[] = values.model !== undefined ? [orExit('export', () => oneOf(values.model, '--model', MODEL_NAMES))] : [...MODEL_NAMES];
const dtype = orExit('export', () => oneOf(values.dtype, '--dtype', WEIGHT_DTYPES));
const uint8MinElements = values['uint8-min-elements'] === undefined ? undefined : orExit('export', () => positiveInt(values['uint8-min-elements'], '--uint8-min-elements'));
if (uint8MinElements !== undefined && dtype !== 'mixed') {
  console.error(`export: --uint8-min-elements goes with --dtype mixed, not --dtype ${dtype}`);
  process.exit(2);
}
const weights = orExit('export', () => oneOf(values.weights, '--weights', RUN_WEIGHTS));
const seed = orExit('export', () => nonNegativeInt(values.seed, '--seed'));

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  if (values.untrained) {
    seedMathRandom(seed);
    for (const name of names) {
      const model = buildModel(name);
      const card = baseCard(name, model, { dtype, bytes: 0 });
      const { dir, card: written } = await exportModel({ root: out, name, model, card, dtype, force: values.force });
      console.log(`${name}: untrained architecture (${written.params.toLocaleString('en-US')} params, ${written.weights.bytes} bytes) -> ${dir}`);
    }
  } else if (values['from-model']) {
    const { dir, card } = await restoreModel({ from: userPath(values['from-model']), root: out, folder: values.as, dtype, uint8MinElements, force: values.force });
    console.log(`${card.name}: stored again as ${describeStorage(card.weights)} (${card.weights.bytes} bytes, from ${card.weights.restoredFrom ?? 'float32'}) -> ${dir}`);
  } else if (values.run) {
    if (names.length !== 1) {
      console.error('export: --run needs --model classifier|segmenter');
      process.exit(2);
    }
    const { dir, card } = await exportRun({ runDir: userPath(values.run), root: out, model: names[0], dtype, uint8MinElements, force: values.force, weights, folder: values.as });
    const epoch = card.training?.exportedEpoch;
    console.log(`${card.name}: trained export (${card.weights.bytes} bytes, ${dtype}${epoch ? `, last epoch ${epoch}` : ''}) -> ${dir}`);
  } else {
    console.error('usage: export --untrained | --run DIR --model NAME | --from-model DIR  [--out DIR] [--dtype float32|float16|uint8|mixed] [--uint8-min-elements N] [--weights best|last] [--as FOLDER] [--force]');
    process.exit(2);
  }
}

// Bad input (data, flags, an export that must not be overwritten) ends with its message, not a stack trace.
main().catch((e: unknown) => {
  console.error(`export: ${e instanceof Error ? e.message : String(e)}`);
  if (process.env.LGG_DEBUG) console.error(e);
  process.exit(1);
});
