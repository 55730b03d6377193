/**
 * On slow Wi-Fi the first visit's download is shown in bytes and time, not in files: tfjs' own progress moved once
 * per shard (0, 33, 66, 100 % for the classifier), which looks stuck. A server here sends the weight shards in
 * pieces, slowly, and the panel must follow them in megabytes up to the real total of the shipped models.
 */
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { startDistServer } from '../bench/stock-server';
import { MODEL_FOLDERS } from '../src/core/model-files';
import { REPO, screenshot, waitForEngine } from './helpers';

const DIST = path.join(REPO, process.env.E2E_DIST || 'dist');
/** 64 KiB every 50 ms: about 1.3 MB/s a connection, so the 4.2 MB shards take 3 s or so. */
const PIECE = 64 * 1024;
const PAUSE_MS = 50;

/**
 * The production build; weight shards go out piece by piece, everything else at once. `stallMs`: after the first
 * piece of any shard, every shard holds back that long, as a connection that drops out for a while.
 */
async function startSlowShardServer(stallMs = 0): Promise<{ origin: string; close: () => Promise<void>; requests: (end: string) => number }> {
  let stallUntil: number | null = null;
  const served: string[] = [];
  const server = await startDistServer(DIST, 'no-cache', undefined, async (file, res) => {
    served.push(file);
    const bytes = fs.readFileSync(file);
    if (!file.endsWith('.bin')) return void res.end(bytes);
    for (let at = 0; at < bytes.length && !res.destroyed; at += PIECE) {
      res.write(bytes.subarray(at, at + PIECE));
      if (stallMs > 0) stallUntil ??= Date.now() + stallMs;
      await new Promise((r) => setTimeout(r, Math.max(PAUSE_MS, (stallUntil ?? 0) - Date.now())));
    }
    res.end();
  });
  return { ...server, requests: (end: string) => served.filter((f) => f.endsWith(end)).length };
}

/** What the page downloads for a model, as files in the build: its model.json and the shards that lists. */
function modelFilesBytes(folder: string): number {
  const dir = path.join(DIST, 'models', folder);
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const shards: string[] = json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths.map((p) => p.split('?')[0])); // ?v=<hash>: a version, not the name
  return ['model.json', ...shards].reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0);
}
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Service workers off: this is the first visit's download, from the network (offline.spec.ts covers the cached copy).
test.use({ serviceWorkers: 'block' });

test('a slow download is shown in megabytes of the real total, with the time left, and reaches that total', async ({ page }) => {
  const models = { Classifier: modelFilesBytes(MODEL_FOLDERS.classifier), Segmenter: modelFilesBytes(MODEL_FOLDERS.segmenter), 'Second segmenter': modelFilesBytes(MODEL_FOLDERS.segmenter2) };
  const total = Object.values(models).reduce((a, b) => a + b, 0);
  // Every text the download line and the bars' bytes show, so none is missed between two looks.
  await page.addInitScript(() => {
    const said: string[] = ((window as any).__said = []);
    const look = () => {
      const loading = document.querySelector('[data-testid="loading"]');
      if (!loading) return;
      const text = [...loading.querySelectorAll('[data-testid="download"], label')].map((e) => e.textContent).join(' | ');
      if (said.at(-1) !== text) said.push(text);
    };
    new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const server = await startSlowShardServer();
  try {
    await page.goto(`${server.origin}/`);
    const line = page.getByTestId('download');
    // Midway: some of the real total, and a bar per model with its own total.
    await expect(line).toHaveText(new RegExp(`^Downloading \\d+\\.\\d of ${escape(mb(total))} MB`), { timeout: 20_000 });
    await expect(page.getByRole('progressbar', { name: 'Classifier download' })).toHaveAttribute('aria-valuetext', new RegExp(` of ${escape(mb(models.Classifier))} MB$`));
    await screenshot(page, 'download-progress');
    await waitForEngine(page, 90_000);

    const said: string[] = await page.evaluate(() => (window as any).__said);
    const lines = said.map((s) => s.split(' | ')[0]);
    // It moved within the shards, not once per file: more distinct byte counts than the models have files.
    const counts = new Set(lines.map((l) => /^Downloading ([\d.]+) of /.exec(l)?.[1]).filter(Boolean));
    expect(counts.size).toBeGreaterThan(8);
    expect(lines.some((l) => /, (a few seconds|about \d+ (s|min)) left$/.test(l))).toBe(true);
    // A slow but moving download is never called stalled.
    expect(lines.filter((l) => /stalled|waiting/.test(l))).toEqual([]);
    // And it reached the whole total, each model its own.
    expect(lines).toContain(`Downloaded all ${mb(total)} MB`);
    for (const [label, bytes] of Object.entries(models)) expect(said.some((s) => s.includes(`${label}${mb(bytes)} of ${mb(bytes)} MB`))).toBe(true);
  } finally {
    await page.close();
    await server.close();
  }
});

test('a download that stops moving says it has stalled and offers to start it again, which asks for the files anew', async ({ page }) => {
  test.setTimeout(120_000);
  // From the first shard's first piece on, nothing arrives for 15 s.
  const server = await startSlowShardServer(15_000);
  try {
    await page.goto(`${server.origin}/`);
    const line = page.getByTestId('download');
    // Before: the last time left stayed on screen, as if all were well.
    await expect(line).toHaveText(/^Downloading \d+\.\d of \d+\.\d MB, stalled for \d+ s$/, { timeout: 30_000 });
    await expect(page.getByRole('status').filter({ hasText: 'The model download has stopped moving' })).toHaveCount(1);
    await screenshot(page, 'download-stalled');
    // Something to do about it: a new worker asks for the files again (model.json a second time).
    const asked = server.requests('classifier/model.json');
    await page.getByRole('button', { name: 'Start the download again' }).click();
    await expect.poll(() => server.requests('classifier/model.json')).toBe(asked + 1);
    await expect(page.getByRole('button', { name: 'Start the download again' })).toHaveCount(0);
    await expect(line).toHaveText(/^Downloaded all \d+\.\d MB$|^Downloading .*(left|\d MB)$/, { timeout: 60_000 });
    await waitForEngine(page, 90_000);
  } finally {
    await page.close();
    await server.close();
  }
});
