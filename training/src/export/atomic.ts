/** Files that are either the old version or the new one, never half-written: write a temp file beside, then rename. */
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** `<name>.tmp-<pid>-<n>`: the temp name of a file or folder being written, with its writer's pid. */
export function tempName(path: string, tag: string | number): string {
  return `${path}.tmp-${process.pid}-${tag}`;
}

/** `<dir>.old`: a folder's previous version, parked there while its new one is swapped in (replace-folder.ts). */
export function oldName(path: string): string {
  return `${path}.old`;
}

/** An entry named by `tempName` or `oldName`: what a writer killed mid-write can leave (the app's build refuses them). */
export function isLeftoverName(name: string): boolean {
  return /\.old$|\.tmp-\d+-/.test(name);
}

function writerIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Deletes `<name>.tmp-<pid>-*` entries of `parent` left by a killed writer: its process is gone, or it is this
 * process and the entry is not in `ownLive` (a pid reused in a container, or an earlier write of ours that failed).
 */
export function removeDeadTemps(parent: string, name: string, ownLive: ReadonlySet<string> = new Set()): void {
  const pattern = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.tmp-(\\d+)-`);
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = Number(pattern.exec(entry)?.[1]);
    if (!pid) continue;
    const path = join(parent, entry);
    if (pid === process.pid ? !ownLive.has(path) : writerIsGone(pid)) rmSync(path, { recursive: true, force: true });
  }
}

let writes = 0;

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempName(path, `${Date.now()}-${++writes}`);
  writeFileSync(tmp, data);
  renameSync(tmp, path);
  // Synchronous, so no other write of ours to this path is under way: any temp of it left now is a dead writer's.
  removeDeadTemps(dirname(path), basename(path));
}
