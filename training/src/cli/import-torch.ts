/**
 * npm run import-torch -- --from DIR --data DATA_DIR --model classifier|segmenter [--out RUN_DIR] [--backend NAME] [--seed 42]
 * Turns what training/gpu/train_torch.py wrote (DIR: <model>.json, <model>.weights.bin.*, summary.json) into a
 * finished run folder, like `npm run train` leaves one (best/, card.json, history.json, curves), after checking
 * that tfjs reproduces PyTorch's predictions. Then `npm run export-models -- --run RUN_DIR` and `npm run evaluate`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelCard, ModelName } from '../../../src/core/card';
import { chooseBackend } from '../backend/ladder';
import { indexDataset, patientsOf } from '../data/index';
import { loadSlices } from '../data/load';
import { splitPatients } from '../data/split';
import { writeFileAtomic } from '../export/atomic';
import { baseCard } from '../export/card';
import { saveModelToDir } from '../export/model-files';
import { buildClassifier, buildSegmenter } from '../models';
import { curvesSvg } from '../train/history';
import { OBJECTIVES } from '../train/losses';
import { applyNamedWeights, parityError, readTorchExport } from '../train/torch-import';
import { defineCommand, nonNegativeInt, orExit, parseCommand } from './flags';
import { REPO_ROOT, userPath } from './paths';

/** Float32 on both sides, different kernels and summation orders: differences are ~1e-5; 2e-3 catches any layout error. */
const PARITY_TOLERANCE = 2e-3;

const IMPORT_TORCH = defineCommand({
  script: 'import-torch',
  about: "Turns what training/gpu/train_torch.py wrote into a finished run folder (best/, card.json, history.json, curves), after\n" +
    "checking that tfjs reproduces PyTorch's predictions; then npm run export-models -- --run RUN_DIR --model NAME.",
  flags: {
    from: { type: 'string', value: 'DIR', required: true, help: "the GPU run's files: <model>.json, <model>.weights.bin.*, summary.json" },
    data: { type: 'string', value: 'DATA_DIR', required: true, help: 'the kaggle_3m-layout folder the pack was cut from (its split must match the GPU run\'s)' },
    model: { type: 'string', value: 'classifier|segmenter', required: true, help: 'which model to import' },
    out: { type: 'string', value: 'RUN_DIR', defaultHelp: 'training/runs/<model>-gpu', help: 'the run folder to write' },
    backend: { type: 'string', value: 'NAME', defaultHelp: 'best available', help: 'tfjs backend of the parity check' },
    seed: { type: 'string', value: 'N', default: '42', help: 'the patient split seed (as npm run pack used)' },
  },
});

const a = orExit(IMPORT_TORCH.script, () => parseCommand(IMPORT_TORCH));
function fail(message: string): never {
  console.error(`import-torch: ${message}`);
  process.exit(2);
}
if (!a.from || !a.data || (a.model !== 'classifier' && a.model !== 'segmenter')) fail(`usage: npm run import-torch -- --from DIR --data DATA_DIR --model classifier|segmenter [--out RUN_DIR] (--help lists the flags)`);
const name = a.model as ModelName;
const from = userPath(a.from);
const runDir = userPath(a.out ?? join(REPO_ROOT, 'training/runs', `${name}-gpu`));
if (!existsSync(join(from, `${name}.json`))) fail(`${join(from, `${name}.json`)} not found: copy the GPU run's files there first`);

const backend = await chooseBackend(a.backend);
const { meta, values } = readTorchExport(from, name);
const model = name === 'classifier' ? buildClassifier() : buildSegmenter();
applyNamedWeights(model, meta.weights, values);
console.log(`import-torch: ${meta.weights.length} tensors (${model.countParams().toLocaleString('en')} parameters) from ${meta.gpu}, torch ${meta.torch}`);

// The split must be the one this machine's data gives (the pack was cut from it).
const records = indexDataset(userPath(a.data));
const split = splitPatients(patientsOf(records), orExit('import-torch', () => nonNegativeInt(a.seed, '--seed')));
const summary = JSON.parse(readFileSync(join(from, 'summary.json'), 'utf8')) as { command?: string; pack: { split: typeof split }; runs: Record<string, unknown> };
for (const k of ['train', 'val', 'test'] as const)
  if (JSON.stringify(summary.pack.split[k]) !== JSON.stringify(split[k])) fail(`the GPU run's ${k} patients differ from the split of ${a.data} (seed ${a.seed})`);

const keys = new Map(records.map((r) => [r.key, r]));
const paritySlices = loadSlices(meta.parity.slices.map((k) => keys.get(k) ?? fail(`parity slice ${k} is not in ${a.data}`)));
const err = await parityError(model, name, paritySlices, meta.parity.outputs);
if (!(err <= PARITY_TOLERANCE)) fail(`tfjs does not reproduce PyTorch on ${meta.parity.slices.length} slices (max difference ${err.toExponential(2)} > ${PARITY_TOLERANCE}): refusing these weights`);
console.log(`import-torch: parity ok on ${meta.parity.slices.length} slices (max difference ${err.toExponential(2)}, ${backend.name})`);

const run = meta.chosen;
const of = (names: string[]) => records.filter((r) => names.includes(r.patient)).length;
const card: ModelCard = {
  ...baseCard(name, model, { dtype: 'float32', bytes: 0 }),
  trained: true,
  data: {
    source: userPath(a.data),
    splitSeed: split.seed,
    patients: { train: split.train, val: split.val, test: split.test },
    slices: { train: of(split.train), val: of(split.val), test: of(split.test) },
  },
  training: {
    command: `${summary.command ?? 'python3 training/gpu/train_torch.py'} (chosen: seed ${run.seed}, ${run.augment}); npm run import-torch -- ${process.argv.slice(2).join(' ')}`,
    epochs: meta.epochs,
    bestEpoch: run.bestEpoch,
    batchSize: meta.batchSize,
    backend: `PyTorch ${meta.torch} (CUDA), imported into tfjs with parity ${err.toExponential(1)}`,
    wallSeconds: Math.round(run.wallSeconds),
    imagesPerSecond: Number(run.imagesPerSecond.toFixed(1)),
    machine: meta.gpu,
  },
};
await saveModelToDir(model, join(runDir, 'best'));
const curves = curvesSvg(run.history, OBJECTIVES[name].metricName, name);
writeFileAtomic(join(runDir, 'curves-loss.svg'), curves.loss);
writeFileAtomic(join(runDir, `curves-${OBJECTIVES[name].metricName}.svg`), curves.metric);
writeFileAtomic(join(runDir, 'history.json'), JSON.stringify(run.history, null, 1));
writeFileAtomic(join(runDir, 'gpu-runs.json'), JSON.stringify(summary.runs[name], null, 1));
writeFileAtomic(join(runDir, 'card.json'), JSON.stringify(card, null, 2) + '\n');
console.log(`import-torch: ${name} run folder ${runDir}: best epoch ${run.bestEpoch}/${meta.epochs} (val_loss ${run.bestValLoss.toFixed(4)}, seed ${run.seed}, ${run.augment})`);
model.dispose();
