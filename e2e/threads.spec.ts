/**
 * Multithreaded wasm (src/inference/wasm-threads.ts). The app's server sends COOP + COEP, so the page is
 * cross-origin isolated and tfjs runs XNNPACK on a thread pool; without the fix there, tfjs 4.22 hangs in a
 * bundled app (its threads throw "e is not defined") and caps the pool at one thread on 2 cores. A host that
 * sends no isolation headers gets the single-threaded build. Both must give the same result.
 */
import { expect, test, type Page } from '@playwright/test';
import path from 'node:path';
import { startDistServer } from '../bench/stock-server';
import { REPO, SMALL_TUMOR, dropFiles, fixture, waitForEngine, waitForResult } from './helpers';

const DIST = path.join(REPO, process.env.E2E_DIST || 'dist');

// The cached app would answer for the other origin's page; each page here loads from its server.
test.use({ serviceWorkers: 'block' });

/** The small tumor: the shipped segmenters outline it, so the masks compared are not two empty ones. */
async function analyzeTumor(page: Page): Promise<{ isolated: boolean; reason: string; probability: number; maskPixels: number }> {
  await waitForEngine(page, 120_000);
  await dropFiles(page, [fixture(`${SMALL_TUMOR}.tif`)]);
  const { probability } = await waitForResult(page, `${SMALL_TUMOR}.tif`);
  return page.evaluate((p) => {
    const s = (window as any).__lgg.state();
    const mask = s.current.analysis.segmentation?.data as Uint8Array | undefined;
    return { isolated: crossOriginIsolated, reason: s.engine.backend.reason, probability: p, maskPixels: mask ? mask.reduce((n: number, v: number) => n + (v ? 1 : 0), 0) : -1 };
  }, probability);
}

test('isolated: wasm on every core, same probability and mask as the single-threaded build', async ({ page, browser }) => {
  test.setTimeout(300_000);
  await page.goto('/?backend=wasm');
  const threaded = await analyzeTumor(page);
  expect(threaded.isolated).toBe(true);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  expect(threaded.reason).toContain(`on ${Math.min(8, cores)} threads`);

  // The same build from a server without COOP/COEP: no SharedArrayBuffer, one thread.
  const server = await startDistServer(DIST, 'no-cache');
  const other = await browser.newPage();
  try {
    await other.goto(`${server.origin}/?backend=wasm`);
    const single = await analyzeTumor(other);
    expect(single.isolated).toBe(false);
    expect(single.reason).toContain('single thread');
    // XNNPACK splits the work differently across threads; float sums may differ in the last bits only.
    expect(Math.abs(threaded.probability - single.probability)).toBeLessThan(1e-4);
    expect(single.maskPixels).toBeGreaterThan(100);
    expect(Math.abs(threaded.maskPixels - single.maskPixels)).toBeLessThanOrEqual(2);
  } finally {
    await other.close();
    await server.close();
  }
});
