/**
 * What `train` does to a run folder before the first epoch: the old card.json goes (it describes weights that this
 * run will replace, and `export --run` would ship the new ones under it), and a `--resume` must continue the very
 * run it finds: same patients (the split is recorded in run.json and in each checkpoint) and same learning rate.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { samePatients, type PatientSplit } from '../data/split';
import { writeFileAtomic } from '../export/atomic';
import { checkpointDir, readCheckpointState } from './checkpoint';

/** A resume that would not continue the run it finds; the command exits 2 with this message. */
export class ResumeConflict extends Error {}

export interface RunStart {
  runDir: string;
  resume: boolean;
  /** run.json's fields (model, data, seed, lr, ...) without the split. */
  config: Record<string, unknown>;
  split: PatientSplit;
}

/** Differences that only make the result differ from an uninterrupted run: warned about, not refused. */
const WARN_KEYS = ['model', 'seed', 'splitSeed', 'inputSize', 'batchSize', 'augment', 'constantEpochs', 'limitPatients', 'slices', 'augmentIntensity', 'bceWeight', 'posWeight'];

function readJson(path: string): Record<string, unknown> | null {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : null;
}

/** Prepares the run folder; returns the warnings to print. Throws ResumeConflict instead of resuming another run. */
export function startRun(o: RunStart): string[] {
  const warnings: string[] = [];
  const ckpt = o.resume ? checkpointDir(o.runDir) : null;
  const before = ckpt ? readJson(join(o.runDir, 'run.json')) : null;
  if (ckpt) {
    const recorded = readCheckpointState(ckpt).split ?? (before?.split as PatientSplit | undefined);
    if (recorded && !samePatients(recorded, o.split))
      throw new ResumeConflict(
        `--resume: this --data gives another patient split than the run was trained on (run: test ${recorded.test.join(', ')}; now: test ${o.split.test.join(', ')}); ` +
          `resume with the run's own data folder${before?.data ? ` (${String(before.data)})` : ''}, or start a new run in another --out`,
      );
    const lr = (x: unknown) => (x === undefined ? null : x);
    if (before && lr(before.lr) !== lr(o.config.lr))
      throw new ResumeConflict(`--resume: --lr ${lr(o.config.lr) ?? '(default)'}, but the run was trained with ${lr(before.lr) ?? '(default)'}; resume with the same --lr, or start a new run in another --out`);
    for (const k of WARN_KEYS)
      if (before && JSON.stringify(before[k]) !== JSON.stringify(o.config[k]))
        warnings.push(`warning: --resume with ${k} ${JSON.stringify(o.config[k])}, the run started with ${JSON.stringify(before[k])}: the result will differ from an uninterrupted run`);
  }
  // From here on the folder's best/ and checkpoint change: a card of earlier weights must not stay beside them.
  rmSync(join(o.runDir, 'card.json'), { force: true });
  const record = { ...o.config, split: o.split };
  if (before) {
    // run.json keeps the configuration the run started with; each resume records its own beside it.
    const n = readdirSync(o.runDir).filter((f) => /^run\.resume-\d+\.json$/.test(f)).length + 1;
    writeFileAtomic(join(o.runDir, `run.resume-${n}.json`), JSON.stringify(record, null, 1));
  } else writeFileAtomic(join(o.runDir, 'run.json'), JSON.stringify(record, null, 1));
  return warnings;
}
