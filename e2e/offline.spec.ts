/**
 * Offline PWA: after one online visit the service worker holds the app, the wasm binaries and both models;
 * a second visit downloads nothing, and with the network off the app reloads and gives the same probability.
 */
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { HAS_SEGMENTER2, NO_TUMOR, REPO, TUMOR, dropFiles, fixture, openApp, screenshot, waitForResult } from './helpers';

/** Waits until a service worker is active and controls this page (clientsClaim on first install). */
async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
  });
}

test('after one online visit the app works offline and gives the same probability', async ({ page, context }) => {
  await openApp(page);
  await waitForServiceWorker(page);
  await expect(page.getByTestId('update-prompt')).toContainText('Ready to work offline');
  // News once: it leaves by itself (10 s) instead of covering the side panel's foot until dismissed.
  await expect(page.getByTestId('update-prompt')).toBeHidden({ timeout: 20_000 });
  await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
  const online = await waitForResult(page, `${TUMOR}.tif`);

  // Second visit, still online: every app file and model file comes from the service worker's cache.
  const fromNetwork: string[] = [];
  const record = (r: import('@playwright/test').Response) => {
    const url = new URL(r.url());
    if (url.protocol.startsWith('http') && !r.fromServiceWorker()) fromNetwork.push(url.pathname);
  };
  page.on('response', record);
  await openApp(page);
  expect(fromNetwork.filter((p) => p.startsWith('/models/') || p.startsWith('/assets/'))).toEqual([]);

  // Offline: reload, models load from the cache, the same slice gives the same probability.
  const failed: string[] = [];
  // ERR_ABORTED is the reload cancelling the previous document's requests, not the network.
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') failed.push(`${r.url()} ${r.failure()?.errorText}`);
  });
  await context.setOffline(true);
  await page.reload();
  await openApp(page);
  await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
  const offline = await waitForResult(page, `${TUMOR}.tif`);
  expect(offline.probability).toBe(online.probability);
  await expect(page.getByTestId('probability')).toHaveText(`${(online.probability * 100).toFixed(1)}%`);
  expect(failed).toEqual([]);
  page.off('response', record);
  await context.setOffline(false);
});

test('the service worker precaches what the app runs, not the models\' evaluation files', () => {
  const sw = fs.readFileSync(path.join(REPO, process.env.E2E_DIST || 'dist', 'sw.js'), 'utf8');
  // Shards are listed under their content-versioned URLs (`…bin?v=<hash>`, scripts/vite/versioned-shards.ts).
  const urls = [...sw.matchAll(/url:"([^"]+)"/g)].map((m) => m[1].split('?')[0]);
  const shipped = (dir: string) => fs.readdirSync(path.join(REPO, 'public/models', dir)).map((f) => `models/${dir}/${f}`);
  const folders = ['classifier', 'segmenter', ...(HAS_SEGMENTER2 ? ['segmenter-2'] : [])];
  const runtime = folders.flatMap(shipped).filter((f) => /(model|card)\.json$|\.bin$/.test(f));
  expect(runtime.length).toBeGreaterThanOrEqual(3 * folders.length);
  expect(urls).toEqual(expect.arrayContaining([...runtime, 'models/combined.json']));
  expect(urls.filter((u) => /eval-test\.json|\/report\/|curves-/.test(u))).toEqual([]);
});

test.describe('first visit without the service worker', () => {
  test.use({ serviceWorkers: 'block' });

  test('the model shards and the wasm arrive gzip-compressed (the build\'s .gz files) and the app runs on them', async ({ page }) => {
    const dist = path.join(REPO, process.env.E2E_DIST || 'dist');
    const sent: { path: string; encoding: string | undefined; bodyBytes: Promise<number> }[] = [];
    page.on('response', (r) => {
      const url = new URL(r.url());
      if (/\.(bin|wasm)$/.test(url.pathname)) sent.push({ path: url.pathname, encoding: r.headers()['content-encoding'], bodyBytes: r.request().sizes().then((s) => s.responseBodySize) });
    });
    await openApp(page);
    await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
    await waitForResult(page, `${TUMOR}.tif`);
    const shards = sent.filter((s) => s.path.startsWith('/models/'));
    const folders = ['classifier', 'segmenter', ...(HAS_SEGMENTER2 ? ['segmenter-2'] : [])];
    const expected = folders.flatMap((f) => fs.readdirSync(path.join(dist, 'models', f)).filter((n) => n.endsWith('.bin')).map((n) => `/models/${f}/${n}`));
    expect(shards.map((s) => s.path).sort()).toEqual(expected.sort());
    expect(sent.some((s) => s.path.endsWith('.wasm'))).toBe(true);
    for (const s of sent) {
      const file = path.join(dist, s.path);
      expect(s.encoding, s.path).toBe('gzip');
      // What crossed the wire is the build's .gz, not the stored file (which the app decoded and ran on).
      expect(await s.bodyBytes, s.path).toBe(fs.statSync(`${file}.gz`).size);
      expect(fs.statSync(`${file}.gz`).size, s.path).toBeLessThan(fs.statSync(file).size);
    }
  });
});

test('the web app manifest is installable: name, icons (any and maskable), theme', async ({ page, request }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = await (await request.get(href!)).json();
  expect(manifest).toMatchObject({ name: expect.any(String), short_name: expect.any(String), display: 'standalone', theme_color: expect.stringMatching(/^#/) });
  const purposes = new Set<string>();
  for (const icon of manifest.icons as { src: string; sizes: string; purpose: string; type: string }[]) {
    const res = await request.get(icon.src);
    expect(res.ok(), icon.src).toBe(true);
    const png = await res.body();
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    expect(`${w}x${h}`).toBe(icon.sizes);
    purposes.add(`${icon.purpose} ${icon.sizes}`);
  }
  expect([...purposes]).toEqual(expect.arrayContaining(['any 192x192', 'any 512x512', 'maskable 512x512']));
});

test('a new deployment shows "update available"; Reload switches to it', async ({ page }) => {
  await openApp(page);
  await waitForServiceWorker(page);
  const firstScript = await page.evaluate(() => navigator.serviceWorker.controller!.scriptURL);
  // Deploy a "new version": the same service worker with one more byte, as a rebuild would change it.
  const swFile = path.join(REPO, process.env.E2E_DIST || 'dist', 'sw.js');
  const original = fs.readFileSync(swFile);
  try {
    fs.writeFileSync(swFile, Buffer.concat([original, Buffer.from(`\n// redeployed ${Date.now()}\n`)]));
    // The next visit: the browser checks sw.js on navigation, installs the new one, which then waits.
    await openApp(page);
    const prompt = page.getByTestId('update-prompt');
    await expect(prompt).toContainText('A new version of the app is available');
    // Until the user accepts, the running version keeps working.
    await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
    await waitForResult(page, `${TUMOR}.tif`);
    const waiting = await page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())!.waiting);
    expect(waiting).toBe(true);
    const reloaded = page.waitForEvent('framenavigated');
    await prompt.getByRole('button', { name: 'Reload' }).click();
    await reloaded;
    await openApp(page);
    const state = await page.evaluate(async () => {
      const reg = (await navigator.serviceWorker.getRegistration())!;
      return { waiting: !!reg.waiting, controlled: !!navigator.serviceWorker.controller };
    });
    expect(state).toEqual({ waiting: false, controlled: true });
    expect(firstScript).toContain('/sw.js');
  } finally {
    fs.writeFileSync(swFile, original);
  }
});

test('a tab left open hears of a new deployment within the hour, without being reloaded', async ({ page }) => {
  // Fake timers that still flow with real time: the hourly check is reached by jumping the clock, not by waiting.
  await page.clock.install();
  await openApp(page);
  await waitForServiceWorker(page);
  const swFile = path.join(REPO, process.env.E2E_DIST || 'dist', 'sw.js');
  const original = fs.readFileSync(swFile);
  try {
    fs.writeFileSync(swFile, Buffer.concat([original, Buffer.from(`\n// redeployed ${Date.now()}\n`)]));
    const prompt = page.getByTestId('update-prompt');
    // A patient open with results: the offer says a reload closes it.
    await dropFiles(page, [TUMOR, NO_TUMOR].map((n) => fixture(`${n}.tif`)));
    await page.waitForFunction(() => (window as any).__lgg.patient().slices.some((s: any) => s.analysis));
    await page.clock.fastForward('01:00:05');
    await expect(prompt).toContainText('A new version of the app is available');
    await expect(prompt).toContainText('Reloading closes the patient view');
    expect(await page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())!.waiting)).toBe(true);
  } finally {
    fs.writeFileSync(swFile, original);
  }
});

test('when another tab accepts an update, this tab is not reloaded under the user: it is told, and reloads when asked', async ({ page, context }) => {
  test.setTimeout(300_000);
  await openApp(page);
  await waitForServiceWorker(page);
  // Tab B: a patient open with results, the work a reload would throw away.
  const other = await context.newPage();
  await openApp(other);
  await dropFiles(other, [TUMOR, NO_TUMOR].map((n) => fixture(`${n}.tif`)));
  await other.waitForFunction(() => (window as any).__lgg.patient().slices.every((s: any) => s.analysis));
  let otherNavigations = 0;
  other.on('framenavigated', (frame) => {
    if (frame === other.mainFrame()) otherNavigations += 1;
  });
  const swFile = path.join(REPO, process.env.E2E_DIST || 'dist', 'sw.js');
  const original = fs.readFileSync(swFile);
  try {
    fs.writeFileSync(swFile, Buffer.concat([original, Buffer.from(`\n// redeployed ${Date.now()}\n`)]));
    await openApp(page);
    await expect(page.getByTestId('update-prompt')).toContainText('A new version of the app is available');
    // Tab A accepts: the new version takes over every tab of the app.
    const reloaded = page.waitForEvent('framenavigated');
    await page.getByTestId('update-prompt').getByRole('button', { name: 'Reload' }).click();
    await reloaded;
    await openApp(page);
    // Tab B: told, not reloaded (before, it reloaded by itself and its patient was gone).
    const prompt = other.getByTestId('update-prompt');
    await expect(prompt).toContainText('The app was updated in another tab', { timeout: 20_000 });
    await expect(prompt).toContainText('Reloading closes the patient view');
    await screenshot(other, 'update-in-another-tab');
    expect(otherNavigations).toBe(0);
    expect(await other.evaluate(() => (window as any).__lgg.patient().slices.filter((s: any) => s.analysis).length)).toBe(2);
    // Within the side panel's width at 1366 px: it covers what the space reserved under that panel leaves, not the plot.
    const [box, side] = [await prompt.boundingBox(), await other.locator('aside.side').boundingBox()];
    expect(box!.x).toBeGreaterThanOrEqual(side!.x);
    // Escape from anywhere on the page closes it for good (before: "Later" uncovered the void "A new version…" offer,
    // whose Reload did nothing).
    await other.locator('body').press('Escape');
    await expect(prompt).toHaveCount(0);
    const otherReloaded = other.waitForEvent('framenavigated');
    await other.reload();
    await otherReloaded;
    await openApp(other);
    expect(await other.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.waiting)).toBeNull();
  } finally {
    fs.writeFileSync(swFile, original);
    await other.close();
  }
});

test('storage too small for the offline copy: the user is told once, and the app still works online', async ({ page, context, baseURL }) => {
  // Chromium's quota for this origin set below the models' size (CDP), as on a nearly full disk.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin, quotaSize: 6 * 1024 * 1024 });
  await openApp(page);
  // Before: the install failed without a word, and "Ready to work offline" never came nor anything else.
  const message = page.getByTestId('messages').locator('li.error').filter({ hasText: 'could not be stored on this device for offline use' });
  await expect(message).toHaveCount(1, { timeout: 120_000 });
  // (navigator.storage.estimate() ignores the CDP override, so the message cannot tell the quota here; it says the usual cause.)
  await expect(message).toContainText('it works while this page can reach its server');
  await expect(page.getByTestId('update-prompt')).toHaveCount(0);
  await dropFiles(page, [fixture(`${TUMOR}.tif`)]);
  await waitForResult(page, `${TUMOR}.tif`);
});
