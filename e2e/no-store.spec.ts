/**
 * A server that sends `Cache-Control: no-store` (common on hospital proxies) must not stop the models from
 * loading. Stock tfjs 4.22 deadlocks there in Chromium: it awaits all 9 classifier shard responses before it
 * reads any body, and only 6 connections per host exist. The app loads through fetchWhole
 * (src/inference/fetch-whole.ts); the first test shows the stock bug, the second that the app is immune.
 */
import { expect, test } from '@playwright/test';
import path from 'node:path';
import { startStaticServer, startStockServer } from '../bench/stock-server';
import { REPO, waitForEngine } from './helpers';

const DIST = path.join(REPO, process.env.E2E_DIST || 'dist');
/** The production build, every response `no-store`. */
const serveDistNoStore = () =>
  startStaticServer((urlPath) => {
    const rel = decodeURIComponent(urlPath.split('?')[0]);
    const file = path.resolve(DIST, `.${rel === '/' ? '/index.html' : rel}`);
    return file.startsWith(DIST + path.sep) ? file : null; // no ../ escapes
  }, 'no-store');

// Service workers off: a worker that has precached the models would hide the network path under test.
test.use({ serviceWorkers: 'block' });

test('stock tfjs never finishes loading the 9-shard classifier from a no-store server (the bug)', async ({ page }) => {
  const stock = await startStockServer('no-store');
  try {
    await page.goto(stock.url);
    const outcome = await page.evaluate(async () => {
      const tf = (window as any).tf;
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      tf.wasm.setWasmPaths('/vendor/');
      await tf.setBackend('wasm');
      const load = tf.loadLayersModel('/models/classifier/model.json').then(() => 'loaded');
      return Promise.race([load, new Promise((r) => setTimeout(() => r('still loading after 20 s'), 20_000))]);
    });
    expect(outcome).toBe('still loading after 20 s');
  } finally {
    await page.close();
    await stock.close();
  }
});

test('the app loads both models from a no-store server', async ({ page }) => {
  const server = await serveDistNoStore();
  try {
    await page.goto(`${server.origin}/`);
    await waitForEngine(page, 90_000);
    expect(await page.evaluate(() => (window as any).__lgg.state().engine.phase)).toBe('ready');
  } finally {
    await page.close();
    await server.close();
  }
});
