/**
 * A server that sends `Cache-Control: no-store` (common on hospital proxies) must not stop the models from
 * loading. Stock tfjs 4.22 deadlocks there in Chromium: it awaits all shard responses of a model before it
 * reads any body, and only 6 connections per host exist, so a model of 7+ shards never loads. The shipped
 * classifier (uint8) has 3 shards; both tests serve the same weights as float32 in 9 shards of 4 MiB (the float32
 * export's form), the first to show the stock bug, the second that the app (src/inference/fetch-whole.ts) is immune.
 */
import { expect, test } from '@playwright/test';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { startDistServer, startStockServer } from '../bench/stock-server';
import { REPO, waitForEngine } from './helpers';

const DIST = path.join(REPO, process.env.E2E_DIST || 'dist');
const SHARD_BYTES = 4 * 1024 * 1024;

/**
 * A copy of public/models whose classifier is stored as the float32 export was: 4 MiB shards, 9 of them. The
 * shipped uint8 form (3 shards) loads even in stock tfjs; the hang needs more than 6 responses whose bodies
 * do not fit the socket buffers.
 */
async function modelsAsFloat32Shards(): Promise<string> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lgg-shards-'));
  fs.cpSync(path.join(REPO, 'public/models'), root, { recursive: true });
  const dir = path.join(root, 'classifier');
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const group = json.weightsManifest[0];
  const bytes = Buffer.concat(group.paths.map((p: string) => fs.readFileSync(path.join(dir, p))));
  for (const p of group.paths) fs.rmSync(path.join(dir, p));
  const tensors = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), group.weights);
  const { data, specs } = await tf.io.encodeWeights(tensors);
  const f32 = new Uint8Array(data as ArrayBuffer);
  const count = Math.ceil(f32.length / SHARD_BYTES);
  group.paths = Array.from({ length: count }, (_, i) => `group1-shard${i + 1}of${count}.bin`);
  group.weights = specs;
  group.paths.forEach((p: string, i: number) => fs.writeFileSync(path.join(dir, p), f32.subarray(i * SHARD_BYTES, (i + 1) * SHARD_BYTES)));
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
  // As an export in this form would: the card names its storage and digest (the app refuses weights that do not
  // match their card), and combined.json names the same weights by their new digest (the values are unchanged).
  const sha256 = createHash('sha256').update(f32).digest('hex');
  const card = JSON.parse(fs.readFileSync(path.join(dir, 'card.json'), 'utf8'));
  card.weights = { dtype: 'float32', bytes: f32.length, sha256 };
  fs.writeFileSync(path.join(dir, 'card.json'), JSON.stringify(card));
  const combined = JSON.parse(fs.readFileSync(path.join(root, 'combined.json'), 'utf8'));
  combined.models.classifier = sha256;
  fs.writeFileSync(path.join(root, 'combined.json'), JSON.stringify(combined));
  return root;
}
let MODELS = '';
test.beforeAll(async () => {
  MODELS = await modelsAsFloat32Shards();
  const shards = JSON.parse(fs.readFileSync(path.join(MODELS, 'classifier/model.json'), 'utf8')).weightsManifest[0].paths.length;
  expect(shards).toBeGreaterThan(6);
});

test.afterAll(() => fs.rmSync(MODELS, { recursive: true, force: true }));

/** The production build with the 9-shard models, every response `no-store`. */
const serveDistNoStore = () => startDistServer(DIST, 'no-store', MODELS);

// Service workers off: a worker that has precached the models would hide the network path under test.
test.use({ serviceWorkers: 'block' });

test('stock tfjs never finishes loading a 9-shard classifier from a no-store server (the bug)', async ({ page }) => {
  const stock = await startStockServer('no-store', MODELS);
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

test('the app loads both models, the classifier in 9 shards, from a no-store server', async ({ page }) => {
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
