/**
 * Replacing a whole folder (a model's shards + model.json + card.json, a checkpoint) so that a kill at any instant
 * leaves one complete version readable, never a mix of two: the new content is written into a sibling
 * `<dir>.tmp-<pid>-<n>`, then swapped in by renames, the old folder parked as `<dir>.old` in between.
 * Readers go through `completeFolder`, which falls back to `<dir>.old` (a kill between the two renames).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { oldName, removeDeadTemps, tempName } from './atomic';

/** Temp folders this process is filling now (not to be mistaken for a dead writer's). */
const filling = new Set<string>();
let folders = 0;

/** `dir` when it holds `marker`, else `<dir>.old` when that does, else null. */
export function completeFolder(dir: string, marker: string): string | null {
  for (const d of [dir, oldName(dir)]) if (existsSync(join(d, marker))) return d;
  return null;
}

export interface ReplaceOptions {
  /** The file whose presence makes a folder complete (checked to find the current one to carry from). */
  marker: string;
  /** Entries of the current folder to copy into the new one (files the writer does not own, e.g. reports). */
  carry?: (entry: string) => boolean;
}

export async function replaceFolder<T>(dir: string, o: ReplaceOptions, fill: (tmp: string) => Promise<T>): Promise<T> {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  removeDeadTemps(parent, basename(dir), filling);
  const tmp = tempName(dir, ++folders);
  filling.add(tmp);
  try {
    mkdirSync(tmp);
    const current = completeFolder(dir, o.marker);
    if (current && o.carry) for (const e of readdirSync(current)) if (o.carry(e)) cpSync(join(current, e), join(tmp, e), { recursive: true });
    const result = await fill(tmp);
    swapIn(tmp, dir, o.marker);
    return result;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    filling.delete(tmp);
  }
}

function swapIn(tmp: string, dir: string, marker: string): void {
  const old = oldName(dir);
  // With `dir` gone or incomplete (a kill between the renames before), `.old` is the only complete copy: kept until tmp is in.
  const complete = (d: string) => existsSync(join(d, marker));
  if (existsSync(dir) && !complete(dir) && complete(old)) rmSync(dir, { recursive: true, force: true });
  else if (existsSync(dir)) {
    rmSync(old, { recursive: true, force: true });
    renameSync(dir, old);
  }
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}
