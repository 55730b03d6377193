/** Result file names shared by every bench (browser, Node, training); no DOM or Playwright types here. */
import fs from 'node:fs';

/** `bench/results/<start minute>-<machine><suffix>.json`, with -2, -3, ... when two runs start in the same minute (never overwrite a result). */
export function resultFile(dir: string, started: Date, machine: string, suffix = ''): string {
  const stem = `${started.toISOString().slice(0, 16).replace(/[:T]/g, '-')}-${machine}${suffix}`;
  let file = `${dir}/${stem}.json`;
  for (let n = 2; fs.existsSync(file); n++) file = `${dir}/${stem}-${n}.json`;
  return file;
}
