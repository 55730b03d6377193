/**
 * npm run export-models -- --untrained | --run RUN_DIR --model NAME | --from-model MODEL_DIR [flags]
 * `npm run export-models -- --help` lists the flags (their help sits beside their definitions below).
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelName } from '../../../src/core/card';
import { baseCard } from '../export/card';
import { exportModel } from '../export/export-model';
import { exportRun, RUN_WEIGHTS } from '../export/export-run';
import { describeStorage, MIXED_UINT8_MIN_ELEMENTS, WEIGHT_DTYPES } from '../export/quantize';
import { restoreModel } from '../export/restore-model';
import { seedMathRandom } from '../backend/seeded-random';
import { buildModel } from '../models';
import { defineCommand, nonNegativeInt, oneOf, orExit, parseCommand, plainFolderName, positiveInt } from './flags';
import { REPO_ROOT, userPath } from './paths';

const EXPORT = defineCommand({
  script: 'export-models',
  usage: [
    '--untrained [--model NAME] [--out DIR] [--dtype DTYPE] [--force]',
    '--run RUN_DIR --model classifier|segmenter [--weights best|last] [--as FOLDER] [--out DIR] [--dtype DTYPE] [--force]',
    '--from-model MODEL_DIR --dtype DTYPE [--uint8-min-elements N] [--as FOLDER] [--out DIR] [--force]',
  ],
  about: 'Writes models for the app (model.json, weight shards, card.json): an untrained architecture, the weights of a finished\n' +
    'training run (npm run train, average-weights, import-torch), or an exported model stored again in another form, card kept.',
  flags: {
    untrained: { type: 'boolean', default: false, help: 'architecture-only exports with seeded random weights (card: trained false)' },
    run: { type: 'string', value: 'RUN_DIR', help: 'a finished training run folder (its card.json and best/) to export' },
    'from-model': { type: 'string', value: 'MODEL_DIR', help: 'an exported model folder to store again in another --dtype' },
    model: { type: 'string', value: 'classifier|segmenter', defaultHelp: 'both, with --untrained', help: 'which model (needed with --run)' },
    out: { type: 'string', value: 'DIR', default: 'public/models', help: 'the models folder; each model goes into <out>/<model>/' },
    as: { type: 'string', value: 'FOLDER', defaultHelp: 'the model name', help: 'write into <out>/FOLDER/ instead: a plain folder name, e.g. segmenter-2 (the app\'s second segmenter)' },
    dtype: { type: 'string', value: WEIGHT_DTYPES.join('|'), default: 'float32', help: 'weight storage: float16 halves the bytes, uint8 stores tensors of 1,024 values or more as 8-bit steps, mixed is uint8 for large tensors and float16 for the rest' },
    'uint8-min-elements': { type: 'string', value: 'N', defaultHelp: MIXED_UINT8_MIN_ELEMENTS.toLocaleString('en-US'), help: 'with --dtype mixed: tensors of at least N values are stored as uint8' },
    weights: { type: 'string', value: RUN_WEIGHTS.join('|'), default: 'best', help: "with --run: the best-validation-loss epoch's weights or the final checkpoint's" },
    force: { type: 'boolean', default: false, help: 'replace an existing trained export' },
    seed: { type: 'string', value: 'N', default: '1', help: 'with --untrained: the random initialisation' },
  },
});

const values = orExit(EXPORT.script, () => parseCommand(EXPORT));

const out = values.out === 'public/models' ? join(REPO_ROOT, 'public/models') : userPath(values.out!);
if (existsSync(out) && !statSync(out).isDirectory()) {
  console.error(`${EXPORT.script}: --out ${out} is a file, not a folder`);
  process.exit(2);
}
const MODEL_NAMES: readonly ModelName[] = ['classifier', 'segmenter'];
// A mistyped name (`Classifier`) would otherwise export a segmenter into a folder of that name.
const names: ModelName[] = values.model !== undefined ? [orExit(EXPORT.script, () => oneOf(values.model, '--model', MODEL_NAMES))] : [...MODEL_NAMES];
const dtype = orExit(EXPORT.script, () => oneOf(values.dtype, '--dtype', WEIGHT_DTYPES));
const uint8MinElements = values['uint8-min-elements'] === undefined ? undefined : orExit(EXPORT.script, () => positiveInt(values['uint8-min-elements'], '--uint8-min-elements'));
if (uint8MinElements !== undefined && dtype !== 'mixed') {
  console.error(`${EXPORT.script}: --uint8-min-elements goes with --dtype mixed, not --dtype ${dtype}`);
  process.exit(2);
}
const weights = orExit(EXPORT.script, () => oneOf(values.weights, '--weights', RUN_WEIGHTS));
// `--as ../x` would write beside --out, not into it.
const folder = values.as === undefined ? undefined : orExit(EXPORT.script, () => plainFolderName(values.as, '--as'));
const seed = orExit(EXPORT.script, () => nonNegativeInt(values.seed, '--seed'));

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
    const { dir, card } = await restoreModel({ from: userPath(values['from-model']), root: out, folder, dtype, uint8MinElements, force: values.force });
    console.log(`${card.name}: stored again as ${describeStorage(card.weights)} (${card.weights.bytes} bytes, from ${card.weights.restoredFrom ?? 'float32'}) -> ${dir}`);
  } else if (values.run) {
    if (names.length !== 1) {
      console.error(`${EXPORT.script}: --run needs --model classifier|segmenter`);
      process.exit(2);
    }
    const { dir, card } = await exportRun({ runDir: userPath(values.run), root: out, model: names[0], dtype, uint8MinElements, force: values.force, weights, folder: values.as });
    const epoch = card.training?.exportedEpoch;
    console.log(`${card.name}: trained export (${card.weights.bytes} bytes, ${dtype}${epoch ? `, last epoch ${epoch}` : ''}) -> ${dir}`);
  } else {
    console.error(`${EXPORT.script}: give --untrained, --run RUN_DIR or --from-model MODEL_DIR (npm run ${EXPORT.script} -- --help lists the flags)`);
    process.exit(2);
  }
}

// Bad input (data, flags, an export that must not be overwritten) ends with its message, not a stack trace.
main().catch((e: unknown) => {
  console.error(`${EXPORT.script}: ${e instanceof Error ? e.message : String(e)}`);
  if (process.env.LGG_DEBUG) console.error(e);
  process.exit(1);
});
