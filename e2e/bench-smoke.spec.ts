/**
 * Keeps `npm run bench` working in CI: the app's measurement path (per-model timings through the worker,
 * tf.memory(), a real drop) on wasm with 2 warm runs. The full suite (all backends, stock baseline) is not
 * part of npm test; run `npm run bench`.
 */
import { expect, test } from '@playwright/test';
import { measureApp, measureReopen } from '../bench/measure';
import path from 'node:path';
import { markdownTable } from '../bench/report';
import { modelWireBytes, wireTable } from '../bench/wire';
import { folderTable, measureFolder } from '../bench/folder';
import { parseSliceName } from '../src/core/slices';
import fs from 'node:fs';
import os from 'node:os';
import { FIXTURES, HAS_SEGMENTER2, REPO, openApp } from './helpers';

test('bench smoke: the app is measured on wasm and the table has its row', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const m = await measureApp(page, baseURL!, 'wasm', { runs: 2, limitMs: 60_000 });
  expect(m.backend).toBe('wasm');
  for (const model of [m.classifier, m.segmenter]) {
    expect(model.runs).toBe(2);
    expect(model.first).toBeGreaterThan(0);
    expect(model.median!).toBeGreaterThan(0);
    expect(model.p90!).toBeGreaterThanOrEqual(model.median!);
  }
  expect(m.loadMs).toBeGreaterThan(0);
  expect(m.numTensors).toBeGreaterThan(0); // the models' weights are held
  expect(m.dropToResultMs!).toBeGreaterThan(0);
  // The app's segmenter timings cover both ResUNets when the second ships, and the row says so.
  expect(m.segmenters).toBe(HAS_SEGMENTER2 ? 2 : 1);
  const table = markdownTable([{ backend: 'wasm', app: m }]);
  expect(table).toContain(HAS_SEGMENTER2 ? '| wasm | app (2 ResUNets) |' : '| wasm | app |');
  console.log(table);
});

test('bench smoke: the app reopened offline from the PWA cache gives its first result, timed from navigation', async ({ context, baseURL }) => {
  test.setTimeout(240_000);
  const r = await measureReopen(context, baseURL!);
  expect(r.installMs).toBeGreaterThan(0);
  expect(r.reopenLoadMs).toBeGreaterThan(0);
  // The result came after the models loaded on the reopened page, all within the measured span.
  expect(r.reopenToResultMs).toBeGreaterThan(r.reopenLoadMs);
  // The probability came first (the tumor fixture is segmented after it), after the classifier was built.
  expect(r.reopenToProbabilityMs).toBeGreaterThan(r.reopenBackendMs);
  expect(r.reopenToProbabilityMs).toBeLessThan(r.reopenToResultMs);
  console.log(`reopen offline (${r.backend}): probability ${r.reopenToProbabilityMs} ms, whole result ${r.reopenToResultMs} ms, models ${Math.round(r.reopenLoadMs)} ms`);
});

test('bench smoke: the models\' download is measured as the server sends it, each file decoding to the shipped one', async ({ baseURL }) => {
  // modelWireBytes throws if any file sent does not decode to the file in the build.
  const wire = await modelWireBytes(baseURL!, path.join(REPO, process.env.E2E_DIST || 'dist'));
  expect(Object.keys(wire)).toEqual(['classifier', 'segmenter', ...(HAS_SEGMENTER2 ? ['segmenter-2'] : [])]);
  for (const m of Object.values(wire)) {
    expect(m.encodings).toContain('gzip');
    expect(m.wireBytes).toBeLessThan(m.bytes);
  }
  console.log(wireTable(wire));
});

test('bench smoke: a folder of two patients picked with "Open folder…" is timed, and the first patient is analyzed', async ({ page }) => {
  test.setTimeout(120_000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-folder-'));
  for (const f of fs.readdirSync(FIXTURES)) {
    const { patient } = parseSliceName(f);
    fs.mkdirSync(path.join(root, patient), { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, f), path.join(root, patient, f));
  }
  await openApp(page);
  const r = await measureFolder(page, root, 100_000);
  expect(r.files).toBe(6);
  expect(r.patients).toBe(2);
  expect(r.slicesShown).toBe(2); // TCGA_FG_6688's two slices; TCGA_HT_8113 is offered, not opened
  expect(r.viewMs).toBeGreaterThanOrEqual(0);
  expect(r.firstProbabilityMs).toBeGreaterThanOrEqual(r.viewMs);
  expect(r.allResultsMs).toBeGreaterThanOrEqual(r.firstProbabilityMs);
  console.log(folderTable([{ dist: 'smoke', ...r }]));
  fs.rmSync(root, { recursive: true, force: true });
});
