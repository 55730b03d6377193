/**
 * npm run bench:folder -- --data DIR [--dist bench/dist[,other-build]] [--rounds 3]: a data folder picked with
 * "Open folder…" in Debian's Chromium, timed. DIR is any folder of LGG slices (the unpacked kaggle_3m: 64 patients,
 * 4,513 files). Each round opens a fresh page, picks DIR, and records when the first patient's view appears, when
 * its first probability and its last result come, and the page's JS heap. Several builds alternate round by round
 * (an A/B). Prints a table; writes bench/results/<date>-<machine>-folder.json.
 */
import { chromium, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { arg } from './args';
import { resultFile } from './result-file';
import { REPO } from './stock-server';

export interface FolderRound {
  dist: string;
  files: number;
  patients: number | null;
  slicesShown: number;
  /** From the end of the pick (Playwright's setInputFiles) to the patient view's first slice on screen. */
  viewMs: number;
  firstProbabilityMs: number;
  allResultsMs: number;
  heapMB: number | null;
}

const countFiles = (dir: string): number =>
  fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1), 0);

/** Picks `dir` on an opened app page and times the patient view (the engine must be ready). */
export async function measureFolder(page: Page, dir: string, timeoutMs = 600_000): Promise<Omit<FolderRound, 'dist'>> {
  await page.getByTestId('folder-input').setInputFiles(dir);
  const t0 = Date.now();
  await page.waitForFunction(() => (window as any).__lgg.patient().slices.length > 0, undefined, { timeout: timeoutMs, polling: 20 });
  const viewMs = Date.now() - t0;
  await page.waitForFunction(() => (window as any).__lgg.patient().slices[0]?.analysis, undefined, { timeout: timeoutMs, polling: 20 });
  const firstProbabilityMs = Date.now() - t0;
  await page.waitForFunction(() => !(window as any).__lgg.patient().running, undefined, { timeout: timeoutMs, polling: 50 });
  const allResultsMs = Date.now() - t0;
  const seen = await page.evaluate(() => {
    const p = (window as any).__lgg.patient();
    const heap = (performance as any).memory?.usedJSHeapSize;
    return { slices: p.slices.length as number, patients: (p.folder?.patients.length ?? null) as number | null, heapMB: heap ? heap / 2 ** 20 : null };
  });
  return { files: countFiles(dir), patients: seen.patients, slicesShown: seen.slices, viewMs, firstProbabilityMs, allResultsMs, heapMB: seen.heapMB };
}

export function folderTable(rounds: FolderRound[]): string {
  const f = (v: number | null, d = 0) => (v === null ? '–' : v.toFixed(d));
  return [
    '| build | files | patients | slices shown | view after pick (ms) | first probability (ms) | all results (ms) | JS heap (MB) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rounds.map((r) => `| ${r.dist} | ${r.files} | ${f(r.patients)} | ${r.slicesShown} | ${r.viewMs} | ${r.firstProbabilityMs} | ${r.allResultsMs} | ${f(r.heapMB)} |`),
  ].join('\n');
}

async function main() {
  const data = arg('data', '');
  if (!data || !fs.statSync(data, { throwIfNoEntry: false })?.isDirectory()) throw new Error('usage: npm run bench:folder -- --data DIR [--dist bench/dist[,other]] [--rounds 3]');
  const dists = arg('dist', 'bench/dist').split(',');
  const rounds = Number(arg('rounds', '3'));
  const { CHROMIUM_ARGS, startPreview } = await import('./run');
  const started = new Date();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const previews: { dist: string; url: string; stop: () => void }[] = [];
  const results: FolderRound[] = [];
  try {
    for (const dist of dists) {
      if (!fs.existsSync(path.join(REPO, dist, 'index.html'))) throw new Error(`${dist}: not a build folder (npx vite build --outDir ${dist})`);
      previews.push({ dist, ...(await startPreview(dist)) });
    }
    for (let round = 1; round <= rounds; round++)
      for (const p of previews) {
        const page = await browser.newPage();
        await page.goto(p.url);
        await page.waitForFunction(() => (window as any).__lgg?.state().engine.phase === 'ready', undefined, { timeout: 120_000 });
        const r = { dist: p.dist, ...(await measureFolder(page, path.resolve(data))) };
        results.push(r);
        console.log(`round ${round} ${p.dist}: view ${r.viewMs} ms, first probability ${r.firstProbabilityMs} ms, all ${r.allResultsMs} ms (${r.slicesShown} slices)`);
        await page.close();
      }
  } finally {
    await browser.close();
    for (const p of previews) p.stop();
  }
  const table = folderTable(results);
  console.log(table);
  const machine = `${os.hostname()}-${os.cpus().length}cpu`;
  const file = resultFile(path.join(REPO, 'bench/results'), started, machine, '-folder');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ started: started.toISOString(), machine, data: path.resolve(data), rounds: results, table }, null, 2) + '\n');
  console.log(`wrote ${path.relative(REPO, file)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename ?? '')) main().catch((e) => {
  console.error(e);
  process.exit(1);
});
