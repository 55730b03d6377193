/**
 * npm run train -- --model classifier|segmenter --data DIR [flags]: `npm run train -- --help` lists the flags
 * (their help sits beside their definitions below); training/README.md explains the run folder and --resume.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelName } from '../../../src/core/card';
import { IMAGE_SIZE } from '../../../src/core/constants';
import { InputError } from '../../../src/io/errors';
import { chooseBackend, defaultBatchSize } from '../backend/ladder';
import { prepareData, SLICE_SELECTIONS } from '../data/dataset';
import { writeFileAtomic } from '../export/atomic';
import { exportModel, readCard } from '../export/export-model';
import { loadModelFromDir } from '../export/model-files';
import { ProgressBar } from '../train/progress';
import { runCard } from '../train/run-card';
import { checkpointDir, readCheckpointState } from '../train/checkpoint';
import { checkRunFolder, startRun } from '../train/run-start';
import { train } from '../train/trainer';
import { CONSTANT_EPOCHS } from '../train/schedule';
import { WEIGHT_DTYPES } from '../export/quantize';
import { defineCommand, LADDER_BACKEND_FLAG, nonNegativeInt, nonNegativeNumber, oneOf, orExit, parseCommand, positiveInt, positiveNumber } from './flags';
import { REPO_ROOT, shippedWithApp, userPath } from './paths';
import { UsageError } from './run-cli';

const DEFAULT_EPOCHS: Record<ModelName, number> = { classifier: 40, segmenter: 30 };

const TRAIN = defineCommand({
  script: 'train',
  about: 'Trains the classifier or the segmenter (ResUNet) on a kaggle_3m-layout folder, split by patient: a checkpoint each epoch,\n' +
    'the best-validation-loss weights in <out>/best/, a card.json when it finishes; --export then writes them for the app.',
  flags: {
    model: { type: 'string', value: 'classifier|segmenter', required: true, help: 'which model' },
    data: { type: 'string', value: 'DIR', required: true, help: 'kaggle_3m-layout folder (<patient>/<patient>_<n>.tif + _mask.tif), its parent, or a flat folder of slices' },
    out: { type: 'string', value: 'DIR', defaultHelp: 'training/runs/<model>', help: 'run folder: checkpoint/, best/, history.json, curves-*.svg, run.json, card.json' },
    epochs: { type: 'string', value: 'N', defaultHelp: `${DEFAULT_EPOCHS.classifier} classifier, ${DEFAULT_EPOCHS.segmenter} segmenter`, help: 'total epochs (a resumed run continues up to N)' },
    'batch-size': { type: 'string', value: 'N', defaultHelp: '16 on tfjs-node/webgpu/native, 4 on wasm, 8 on cpu', help: 'images per training step' },
    backend: LADDER_BACKEND_FLAG,
    seed: { type: 'string', value: 'N', default: '42', help: 'split, balancing, init, dropout, shuffling, flips' },
    'split-seed': { type: 'string', value: 'N', defaultHelp: '--seed', help: 'the patient split alone (same patients, another order: ingredients for average-weights)' },
    'input-size': { type: 'string', value: 'N', default: String(IMAGE_SIZE), help: 'image side; smaller for smoke runs (segmenter: a multiple of 16)' },
    'limit-patients': { type: 'string', value: 'N', defaultHelp: 'all', help: 'a seeded choice of N patients, for smoke runs' },
    slices: { type: 'string', value: SLICE_SELECTIONS.join('|'), default: 'notebook', help: "training slices: the notebook's (classifier balanced, segmenter tumor only), both balanced, or every slice" },
    augment: { type: 'boolean', default: false, help: 'seeded left-right flips (image and mask together)' },
    'augment-intensity': { type: 'boolean', default: false, help: 'a seeded gamma and gain per channel on half the training images' },
    'bce-weight': { type: 'string', value: 'W', defaultHelp: '0', help: 'segmenter: adds W x pixel-wise cross-entropy to focal Tversky' },
    'pos-weight': { type: 'string', value: 'W', defaultHelp: '1', help: "classifier: tumor slices' terms of the cross-entropy weighted W" },
    lr: { type: 'string', value: 'X', defaultHelp: "the notebook's: 1e-3 classifier, 0.01 segmenter", help: 'base learning rate' },
    'decay-from': { type: 'string', value: 'N', defaultHelp: String(CONSTANT_EPOCHS), help: 'epochs at the base rate before the x e^-0.1/epoch decay' },
    resume: { type: 'boolean', default: false, help: 'continue the run in --out from its checkpoint (after a kill: same result as an uninterrupted run)' },
    restart: { type: 'boolean', default: false, help: 'start a new run in an --out that holds one (its checkpoint, best weights, history, pictures and card are removed first)' },
    'init-from': { type: 'string', value: 'DIR', help: 'start from exported weights (e.g. public/models/segmenter) instead of random init' },
    'no-pictures': { type: 'boolean', default: false, help: 'draw no validation slices after each epoch (val-pictures.md)' },
    export: { type: 'boolean', default: false, help: 'after training, export the best weights and card.json to <export-dir>/<model>/' },
    'export-dir': { type: 'string', value: 'DIR', defaultHelp: 'public/models', help: 'where --export writes' },
    dtype: { type: 'string', value: WEIGHT_DTYPES.join('|'), default: 'float32', help: "--export's weight storage" },
    force: { type: 'boolean', default: false, help: 'with --export, replace an existing trained export (never touches the run folder)' },
  },
  notes: ['See training/README.md for the run folder, --resume and what a new run refuses.'],
});

// Every flag is checked here, before the backend loads: a wrong one ends with one line and exit code 2.
const a = orExit('train', () => parseCommand(TRAIN));

function fail(message: string): never {
  console.error(`train: ${message}`);
  process.exit(2);
}

if (a.model !== 'classifier' && a.model !== 'segmenter') fail('--model classifier|segmenter is required');
if (!a.data) fail('--data DIR (a kaggle_3m-layout folder) is required');
const name = a.model as ModelName;
const dataDir = userPath(a.data);
const runDir = userPath(a.out ?? join(REPO_ROOT, 'training/runs', name));
const exportRoot = a['export-dir'] ? userPath(a['export-dir']) : join(REPO_ROOT, 'public/models');
const int = (v: string | undefined, flag: string) => orExit('train', () => positiveInt(v, flag));
const epochs = a.epochs !== undefined ? int(a.epochs, '--epochs') : DEFAULT_EPOCHS[name];
const seed = orExit('train', () => nonNegativeInt(a.seed, '--seed'));
// The patient split follows --seed unless --split-seed pins it: a second run with another --seed and the same split
// differs only in data order and initialisation, which is what weight averaging needs of its ingredients.
const splitSeed = a['split-seed'] !== undefined ? orExit('train', () => nonNegativeInt(a['split-seed'], '--split-seed')) : seed;
const dtype = orExit('train', () => oneOf(a.dtype, '--dtype', WEIGHT_DTYPES));
const constantEpochs = a['decay-from'] !== undefined ? int(a['decay-from'], '--decay-from') : CONSTANT_EPOCHS;
const inputSize = int(a['input-size'], '--input-size');
if (name === 'segmenter' && inputSize % 16 !== 0) fail(`--input-size for the segmenter needs a multiple of 16 (its four poolings), got ${inputSize}`);
const slices = orExit('train', () => oneOf(a.slices, '--slices', SLICE_SELECTIONS));
const learningRate = a.lr === undefined ? undefined : orExit('train', () => positiveNumber(a.lr, '--lr'));
const batchSizeFlag = a['batch-size'] === undefined ? undefined : int(a['batch-size'], '--batch-size');
const limitPatients = a['limit-patients'] === undefined ? undefined : int(a['limit-patients'], '--limit-patients');
const bceWeight = a['bce-weight'] === undefined ? 0 : orExit('train', () => nonNegativeNumber(a['bce-weight'], '--bce-weight'));
if (bceWeight > 0 && name !== 'segmenter') fail('--bce-weight is for the segmenter (the classifier already trains on cross-entropy)');
const posWeight = a['pos-weight'] === undefined ? 1 : orExit('train', () => positiveNumber(a['pos-weight'], '--pos-weight'));
if (posWeight !== 1 && name !== 'classifier') fail('--pos-weight is for the classifier (tumor slices\' weight in its cross-entropy)');
if (a.export && !a.force && readCard(join(exportRoot, name))?.trained)
  fail(`${join(exportRoot, name)} already holds a trained ${name}; pass --force to replace it after training`);
const initFrom = a['init-from'] ? userPath(a['init-from']) : undefined;
if (initFrom && !existsSync(join(initFrom, 'model.json'))) fail(`--init-from ${initFrom}: no model.json there (an exported model folder, e.g. public/models/segmenter)`);
if (a.resume && a.restart) fail('--resume continues the run in --out and --restart removes it: give one of them');
// The run folder is checked before the data is read: a refusal leaves it exactly as it was.
orExit('train', () => checkRunFolder({ runDir, resume: a.resume, restart: a.restart, config: { model: name, inputSize, lr: learningRate ?? null } }));

async function main(): Promise<void> {
  const backend = await chooseBackend(a.backend);
  const batchSize = batchSizeFlag ?? defaultBatchSize(backend.name);
  const data = prepareData({
    dataDir: dataDir,
    model: name,
    seed,
    splitSeed,
    inputSize,
    limitPatients,
    slices,
    log: console.log,
  });
  const runConfig = { model: name, data: dataDir, seed, ...(splitSeed !== seed && { splitSeed }), inputSize, epochs, batchSize, augment: a.augment, lr: learningRate ?? null, constantEpochs, limitPatients: a['limit-patients'] ?? null, ...(slices !== 'notebook' && { slices }), ...(a['augment-intensity'] && { augmentIntensity: true }), ...(bceWeight && { bceWeight }), ...(posWeight !== 1 && { posWeight }) };
  for (const w of startRun({ runDir, resume: a.resume, restart: a.restart, config: { ...runConfig, backend: backend.name }, split: data.split })) console.log(w);
  stopOnSignals();
  console.log(`train: ${name}, ${epochs} epochs, batch ${batchSize}, input ${inputSize}, seed ${seed}${splitSeed !== seed ? ` (patient split: seed ${splitSeed})` : ''}, run folder ${runDir}`);

  // Pictures of slices are patient data: never into public/, which the app ships.
  const drawPictures = !a['no-pictures'] && !shippedWithApp(runDir);
  if (!a['no-pictures'] && !drawPictures) console.log(`train: no validation pictures in ${runDir}: public/ ships with the app, and slice pictures are patient data`);
  const result = await train({
    model: name,
    train: data.train,
    val: data.val,
    runDir,
    epochs,
    batchSize,
    seed,
    inputSize,
    augment: a.augment,
    augmentIntensity: a['augment-intensity'],
    bceWeight,
    posWeight,
    resume: a.resume,
    split: data.split,
    initFrom,
    pictures: drawPictures,
    learningRate,
    constantEpochs,
    progress: new ProgressBar(),
  });
  result.model.dispose();
  if (!result.finished) process.exit(0);

  const best = await loadModelFromDir(join(runDir, 'best'));
  const card = runCard({
    name,
    dataDir: dataDir,
    data,
    result,
    bestModel: best,
    batchSize,
    backend: `${backend.name} (${backend.reason})`,
    command: `npm run train -- ${process.argv.slice(2).join(' ')}`,
  });
  writeFileAtomic(join(runDir, 'card.json'), JSON.stringify(card, null, 2) + '\n');
  const s = result.state;
  console.log(`train: done, best epoch ${s.bestEpoch} (val_loss ${s.bestValLoss.toFixed(4)}), ${card.training!.imagesPerSecond} img/s, ${Math.round(s.wallSeconds)} s; best weights in ${join(runDir, 'best')}`);
  if (a.export) {
    const { weights: _w, ...rest } = card;
    void _w;
    const out = await exportModel({ root: exportRoot, name, model: best, card: rest, dtype, force: a.force });
    console.log(`train: exported to ${out.dir} (${out.card.weights.bytes} bytes)`);
  }
  best.dispose();
  void tf;
}

/**
 * Ctrl-C (130) or a kill (143) stops at once: checkpoints are swapped in by renames, so the last complete one is on
 * disk and only the epoch under way is lost. One line says which, read from the checkpoint itself.
 */
function stopOnSignals(): void {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const)
    process.on(signal, () => {
      const ckpt = checkpointDir(runDir);
      const done = ckpt ? readCheckpointState(ckpt).epoch : 0;
      if (process.stdout.isTTY) process.stdout.write('\n'); // ends a progress bar drawn in place
      console.error(`train: interrupted in epoch ${done + 1}; ${ckpt ? `the last checkpoint is epoch ${done}` : 'no checkpoint yet'}: rerun with --resume to continue`);
      process.exit(code);
    });
}

// Bad input (data, flags, an export that must not be overwritten) ends with its message, not a stack trace; wrong
// flags and bad data exit 2, as in the other commands (runCli), a failure while training 1.
main().catch((e: unknown) => {
  console.error(`train: ${e instanceof Error ? e.message : String(e)}`);
  if (process.env.LGG_DEBUG) console.error(e);
  process.exit(e instanceof UsageError || e instanceof InputError ? 2 : 1);
});
