/**
 * What `train` may do with a run folder, and what it does to one before the first epoch.
 * `checkRunFolder` refuses, before any data is read or anything written, a folder that is not this run's to take:
 * a finished or killed run without `--resume` (or `--restart`), other files, a resume with another model, input size or
 * learning rate. `startRun` then refuses a resume onto other patients (that needs the data), and only after every
 * check writes: the old card.json goes (it describes weights that this run will replace, and `export --run` would ship
 * the new ones under it), and `--restart` removes the old run's checkpoint, best weights, history and pictures first.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../cli/run-cli';
import { samePatients, type PatientSplit } from '../data/split';
import { isLeftoverName, writeFileAtomic } from '../export/atomic';
import { checkpointDir, readCheckpointState } from './checkpoint';

/** A run folder that is not this command's to take, or a resume that would not continue the run it finds: exit 2. */
export class ResumeConflict extends UsageError {}

export interface RunStart {
  runDir: string;
  resume: boolean;
  /** Start over in a folder that holds a run: its files are removed (never on --resume). */
  restart?: boolean;
  /** run.json's fields (model, data, seed, lr, ...) without the split. */
  config: Record<string, unknown>;
  split: PatientSplit;
}

/** Differences that only make the result differ from an uninterrupted run: warned about, not refused. */
const WARN_KEYS = ['seed', 'splitSeed', 'batchSize', 'augment', 'constantEpochs', 'limitPatients', 'slices', 'augmentIntensity', 'bceWeight', 'posWeight'];

/** Differences a resume refuses: another model or input size cannot load the checkpoint, another --lr is another run. */
const REFUSE_KEYS: Record<string, string> = { model: '--model', inputSize: '--input-size', lr: '--lr' };

/** Everything `train` (or import-torch, average-weights) writes into a run folder, leftovers of a kill included. */
const RUN_ENTRY = /^(checkpoint|best)(\.old|\.tmp.*)?$|^(run|card|history|gpu-runs)\.json(\.tmp-.*)?$|^run\.resume-\d+\.json$|^curves-[\w-]+\.svg(\.tmp-.*)?$|^val-pictures(\.md|\.json)?(\.tmp-.*)?$/;
/**
 * What epoch 1 writes before its checkpoint (the best weights, then its pictures, val-pictures.ts): a run killed
 * between holds these beside run.json, and --resume starts it again.
 */
const BEFORE_FIRST_CHECKPOINT = /^best(\.old|\.tmp.*)?$|^val-pictures(\.md|\.json)?(\.tmp-.*)?$/;
/** Entries that make a folder a training run's (the rest may be leftovers a user would not recognise as a run). */
const RUN_MARKERS = ['checkpoint', 'checkpoint.old', 'best', 'run.json', 'card.json'];

function readJson(path: string): Record<string, unknown> | null {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : null;
}

/** The refusals that need no data; throws ResumeConflict. `config` holds at least the REFUSE_KEYS' values. */
export function checkRunFolder(o: Omit<RunStart, 'split'>): void {
  if (existsSync(o.runDir) && !statSync(o.runDir).isDirectory()) throw new ResumeConflict(`--out ${o.runDir} is a file, not a folder`);
  const entries = existsSync(o.runDir) ? readdirSync(o.runDir) : [];
  if (o.resume && checkpointDir(o.runDir)) {
    const before = readJson(join(o.runDir, 'run.json'));
    const shown = (x: unknown) => (x === undefined || x === null ? '(default)' : String(x));
    for (const [key, flag] of Object.entries(REFUSE_KEYS))
      if (before && shown(before[key]) !== shown(o.config[key]))
        throw new ResumeConflict(`--resume: ${flag} ${shown(o.config[key])}, but the run was trained with ${shown(before[key])}; resume with the same ${flag}, or start a new run in another --out`);
    return;
  }
  if (o.restart || entries.length === 0) return;
  // A run killed before its first checkpoint holds only run.json, what epoch 1 wrote before it, and temp files.
  if (o.resume && entries.every((e) => /^run(\.resume-\d+)?\.json$/.test(e) || BEFORE_FIRST_CHECKPOINT.test(e) || isLeftoverName(e))) return;
  if (o.resume) throw new ResumeConflict(`--resume: ${o.runDir} holds no checkpoint to continue; choose another --out, or add --restart to start a new run there`);
  if (entries.some((e) => RUN_MARKERS.includes(e)))
    throw new ResumeConflict(`${o.runDir} already holds a training run; add --resume to continue it, or choose another --out (--restart starts over, removing it)`);
  throw new ResumeConflict(`${o.runDir} is not empty and not a training run; choose another --out (--restart writes into it anyway)`);
}

/** Prepares the run folder; returns the warnings to print. Throws ResumeConflict instead of resuming another run. */
export function startRun(o: RunStart): string[] {
  checkRunFolder(o);
  const warnings: string[] = [];
  const ckpt = o.resume ? checkpointDir(o.runDir) : null;
  const before = ckpt ? readJson(join(o.runDir, 'run.json')) : null;
  if (ckpt) {
    const recorded = readCheckpointState(ckpt).split ?? (before?.split as PatientSplit | undefined);
    if (recorded && !samePatients(recorded, o.split))
      throw new ResumeConflict(
        `--resume: these flags give another patient split than the run was trained on (run: test ${recorded.test.join(', ')}; now: test ${o.split.test.join(', ')}); ` +
          `resume with the run's own --data, --seed, --split-seed and --limit-patients${before ? ` (${describeSplitFlags(before)})` : ''}, or start a new run in another --out`,
      );
    for (const k of WARN_KEYS)
      if (before && JSON.stringify(before[k]) !== JSON.stringify(o.config[k]))
        warnings.push(`warning: --resume with ${k} ${JSON.stringify(o.config[k])}, the run started with ${JSON.stringify(before[k])}: the result will differ from an uninterrupted run`);
  }
  // Every check has passed: from here on the folder changes.
  if (o.restart && !ckpt) {
    // Nothing of the old run may be resumed later, nor shipped under this run's name.
    const old = existsSync(o.runDir) ? readdirSync(o.runDir).filter((e) => RUN_ENTRY.test(e)) : [];
    for (const e of old) rmSync(join(o.runDir, e), { recursive: true, force: true });
  }
  // best/ and checkpoint change now: a card of earlier weights must not stay beside them.
  rmSync(join(o.runDir, 'card.json'), { force: true });
  const record = { ...o.config, split: o.split };
  if (before) {
    // run.json keeps the configuration the run started with; each resume records its own beside it.
    const n = readdirSync(o.runDir).filter((f) => /^run\.resume-\d+\.json$/.test(f)).length + 1;
    writeFileAtomic(join(o.runDir, `run.resume-${n}.json`), JSON.stringify(record, null, 1));
  } else writeFileAtomic(join(o.runDir, 'run.json'), JSON.stringify(record, null, 1));
  return warnings;
}

/** `--data D --seed N ...` as run.json recorded them, for a resume refused on another split. */
function describeSplitFlags(run: Record<string, unknown>): string {
  const flags = [`--data ${String(run.data)}`, `--seed ${String(run.seed)}`];
  if (run.splitSeed !== undefined) flags.push(`--split-seed ${String(run.splitSeed)}`);
  if (run.limitPatients !== null && run.limitPatients !== undefined) flags.push(`--limit-patients ${String(run.limitPatients)}`);
  return flags.join(' ');
}
