/**
 * npm run bench:reopen: where the time goes when the app is reopened from the PWA cache with the network off and
 * a slice is dropped at once (issue 7's "first result within 3 s"). One online visit installs the service worker,
 * then each round opens a new page offline, drops the tumor fixture as soon as the drop target shows, and prints the
 * engine's phases with their times since navigation, plus the engine's own backend/load/warm-up figures.
 *   --dist bench/dist (a build folder; several, comma-separated, alternate round by round for an A/B)   --rounds 3
 * Prints only; the figures that go into the README come from `npm run bench`.
 */
import { chromium, type BrowserContext } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { dispatchTumorDrop, installThenGoOffline, waitForDropResult } from './measure';
import { CHROMIUM_ARGS, startPreview } from './run';
import { arg } from './args';

// Runs in the page from its first script on: records each change of the engine's phase/status and of the slice.
const RECORDER = `
  window.__timeline = [];
  let last = '';
  setInterval(() => {
    const s = window.__lgg && window.__lgg.state();
    const slice = s && s.current ? (!s.current.analysis ? ' | slice waiting' : s.current.analyzing ? ' | probability shown' : ' | result shown') : '';
    const now = s ? s.engine.phase + ': ' + s.engine.status + slice : 'page loading';
    if (now !== last) { window.__timeline.push([Math.round(performance.now()), now]); last = now; }
  }, 5);
`;

async function reopenOnce(context: BrowserContext, url: string): Promise<string[]> {
  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(url);
  await page.getByTestId('drop-target').waitFor();
  const result = await waitForDropResult(page, await dispatchTumorDrop(page));
  if (result.error) throw new Error(`the dropped fixture failed: ${result.error}`);
  const probabilityAt = Math.round(result.droppedAt + result.probabilityMs); // the page's clock starts at navigation
  const total = Date.now() - t0;
  const timeline: [number, string][] = await page.evaluate(() => (window as any).__timeline);
  const e = await page.evaluate(() => (window as any).__lgg.state().engine);
  await page.close();
  const ms = (v: number | null) => (v == null ? '?' : `${Math.round(v)} ms`);
  return [
    `probability ${probabilityAt} ms, whole result ${total} ms after navigation; engine: backend ${ms(e.backendMs)}, models built ${ms(e.loadMs)} later, warm-up ${e.warmUp ?? '?'}`,
    ...timeline.map(([t, what]) => `  ${String(t).padStart(6)} ms  ${what}`),
  ];
}

const dists = arg('dist', 'bench/dist').split(',');
const rounds = Number(arg('rounds', '3'));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
const sites = [];
try {
  for (const dist of dists) {
    if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error(`${dist}: not a build folder (run vite build --outDir ${dist})`);
    const preview = await startPreview(dist);
    const context = await browser.newContext();
    sites.push({ dist, preview, context });
    await context.addInitScript({ content: RECORDER });
    await installThenGoOffline(context, preview.url);
  }
  for (let round = 1; round <= rounds; round++)
    for (const site of sites) {
      const lines = await reopenOnce(site.context, site.preview.url);
      console.log(`${site.dist}, round ${round}: ${lines.join('\n')}`);
    }
} finally {
  for (const s of sites) s.preview.stop();
  await browser.close();
}
