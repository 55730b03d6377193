/** Shared steps for the app's end-to-end tests: open the page, drop files, read results and worker counters. */
import { expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelCard } from '../src/core/card';
import { MODEL_FOLDERS } from '../src/core/model-files';
import { decodeTiff } from '../src/io/tiff';
import { encodeTiff } from '../scripts/tiff-writer';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = path.resolve(REPO, '../shared/data/lgg/fixtures');
export const TUMOR = 'TCGA_FG_6688_20020215_20';
export const NO_TUMOR = 'TCGA_FG_6688_20020215_12';
export const SMALL_TUMOR = 'TCGA_HT_8113_19930809_12';
export const SCREENSHOTS = path.join(REPO, 'test-results/screenshots');

export const fixture = (name: string) => path.join(FIXTURES, name);

export function shippedCard(model: 'classifier' | 'segmenter'): ModelCard {
  return JSON.parse(fs.readFileSync(path.join(REPO, 'public/models', model, 'card.json'), 'utf8')) as ModelCard;
}
export const TRAINED = shippedCard('classifier').trained && shippedCard('segmenter').trained;
/** The optional second segmenter (public/models/segmenter-2): when it ships, the outline drawn averages both maps. */
export const HAS_SEGMENTER2 = fs.existsSync(path.join(REPO, 'public/models', MODEL_FOLDERS.segmenter2, 'model.json'));
export const UNTRAINED_REASON = 'the shipped model card says trained: false; tumor/no-tumor decisions are only asserted on trained weights';

export interface Stats {
  classifierRuns: number;
  segmenterRuns: number;
  segmenter2Runs: number;
  numTensors: number;
  numBytes: number;
  backend: string;
}

/** Opens the app and waits until the models are loaded and warmed up. */
export async function openApp(page: Page, query = '', timeout = 120_000): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/${query}`);
  await waitForEngine(page, timeout);
  expect(errors).toEqual([]);
}

/** Waits until the engine is ready (or failed) and asserts it did not fail. */
export async function waitForEngine(page: Page, timeout = 120_000): Promise<void> {
  await page.waitForFunction(() => {
    const phase = (window as any).__lgg?.state().engine.phase;
    return phase === 'ready' || phase === 'failed';
  }, undefined, { timeout });
  const engine = await page.evaluate(() => (window as any).__lgg.state().engine);
  expect(engine.error, 'models failed to start').toBeNull();
}

/** Until the patient view holds `slices` slices and its run has ended (done, stopped or failed). */
export async function waitForPatientRun(page: Page, slices: number, timeout = 240_000): Promise<void> {
  await page.waitForFunction((n) => {
    const p = (window as any).__lgg.patient();
    return p.slices.length === n && !p.running;
  }, slices, { timeout });
}

/** A real drag-and-drop: the files' bytes go into a DataTransfer dispatched on the page's drop target. */
export async function dropFiles(page: Page, files: string[]): Promise<void> {
  const payload = files.map((f) => ({ name: path.basename(f), b64: fs.readFileSync(f).toString('base64') }));
  await dropBytes(page, payload);
}

export async function dropBytes(page: Page, payload: { name: string; b64: string }[]): Promise<void> {
  await page.evaluate((items) => {
    const dt = new DataTransfer();
    for (const it of items) {
      const bin = atob(it.b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      dt.items.add(new File([bytes], it.name));
    }
    const target = document.querySelector('[data-testid="drop-target"]')!;
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, payload);
}

/**
 * Waits for the analysis of the slice named `file` and returns its probability (the one shown: combined when the
 * models ship combined.json), the classifier's own, and the drop-to-result time.
 */
export async function waitForResult(page: Page, file: string, timeout = 120_000): Promise<{ probability: number; classifierProbability: number; dropToResultMs: number }> {
  await page.waitForFunction(
    (f) => {
      const c = (window as any).__lgg.state().current;
      return c && c.name.file === f && !c.analyzing && (c.analysis || c.error);
    },
    file,
    { timeout },
  );
  const c = await page.evaluate(() => {
    const cur = (window as any).__lgg.state().current;
    return { error: cur.error, probability: cur.analysis?.probability, classifierProbability: cur.analysis?.classifierProbability, dropToResultMs: cur.dropToResultMs };
  });
  expect(c.error).toBeNull();
  return { probability: c.probability, classifierProbability: c.classifierProbability, dropToResultMs: c.dropToResultMs };
}

export const stats = (page: Page): Promise<Stats> => page.evaluate(() => (window as any).__lgg.stats());

/** Sets the threshold through the slider, as a user would. */
export async function setThreshold(page: Page, t: number): Promise<void> {
  await page.getByTestId('threshold-slider').fill(String(t));
  await expect(page.getByTestId('threshold-value')).toHaveText(t.toFixed(2));
}

/**
 * Counts the canvas pixels drawn in the overlay colours, bright or in the dark shade of the truth edge's gaps (view in
 * gray, opacity 1: then every other pixel is gray, r = g = b, and no overlay pixel is).
 */
export async function overlayCounts(page: Page): Promise<{ green: number; red: number; yellow: number }> {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="slice-canvas"]') as HTMLCanvasElement;
    const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const n = { green: 0, red: 0, yellow: 0 };
    for (let i = 0; i < d.length; i += 4) {
      const [r, g, b] = [d[i], d[i + 1], d[i + 2]];
      if (b !== 0) continue;
      if (r === 0 && g > 0) n.green++;
      else if (g === 0 && r > 0) n.red++;
      else if (r === g && r > 0) n.yellow++;
    }
    return n;
  });
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** The 8-bit slice in `file` saved again with 16-bit samples (its values times 16), as some exports write a slice. */
export function sixteenBitCopy(file: string): Uint8Array {
  const src = decodeTiff(fs.readFileSync(file), path.basename(file)).raster;
  const { width, height } = src;
  const wide = Uint16Array.from({ length: width * height * 3 }, (_, i) => src.data[Math.floor(i / 3) * src.channels + (i % 3)] * 16);
  return encodeTiff([{ width, height, samplesPerPixel: 3, bits: 16, samples: wide }]);
}

/**
 * `patient`'s slices and masks unpacked from ../shared into a fresh temp folder: `dir` holds them, `files` lists them;
 * the test removes `tmp`.
 */
export function unpackPatient(patient: string): { tmp: string; dir: string; files: string[] } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'patient-'));
  execFileSync('bash', [path.resolve(REPO, '../shared/data/lgg/unpack.sh'), tmp, patient]);
  const dir = path.join(tmp, 'kaggle_3m', patient);
  return { tmp, dir, files: fs.readdirSync(dir).map((f) => path.join(dir, f)) };
}

/** Clicks the button `testId` and returns the file the page downloads: its suggested name and bytes. */
export async function downloadFrom(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: dl.suggestedFilename(), bytes: fs.readFileSync(await dl.path()) };
}
