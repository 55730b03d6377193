/**
 * The measurements, per backend, of the app (its inference worker, through window.__lgg) and of the stock-tfjs
 * page (bench/stock/), on one Playwright page each. Times are milliseconds from performance.now() in the page.
 */
import type { BrowserContext, Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { decodeTiff } from '../src/io/tiff';
import { REPO } from './stock-server';

export const BACKENDS = ['wasm', 'webgl', 'webgpu'] as const;
export type Backend = (typeof BACKENDS)[number];
export const TUMOR_FIXTURE = path.resolve(REPO, '../shared/data/lgg/fixtures/TCGA_FG_6688_20020215_20.tif');

export interface Latency {
  first: number;
  runs: number;
  median: number | null;
  p90: number | null;
}
export interface Measurement {
  backend: string;
  /** What the page reports about WebGPU's adapter (fallback = software). */
  adapter: string | null;
  /** Download + load of both models (fetched in parallel, so one figure). */
  loadMs: number;
  classifier: Latency;
  segmenter: Latency;
  /** Both models, per slice, warm: sum of the per-run times. */
  bothMedian: number | null;
  numTensors: number;
  numBytes: number;
  /** App only: a real drop of the tumor fixture to its result on screen (warm). */
  dropToResultMs?: number;
  /** App only: how many ResUNets the `segmenter` timings cover (2 when the second segmenter draws with the first). */
  segmenters?: number;
  stoppedEarly: boolean;
}
export interface Plan {
  runs: number;
  /** Wall-clock limit of the warm runs; fewer runs when it is reached (SwiftShader WebGPU). */
  limitMs: number;
}

export function quantile(xs: number[], q: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}

export function tumorSlice(file = TUMOR_FIXTURE): { width: number; height: number; bytes: number[] } {
  const { raster } = decodeTiff(fs.readFileSync(file), path.basename(file));
  if (raster.channels !== 3) throw new Error(`expected an RGB fixture, got ${raster.channels} channels`);
  return { width: raster.width, height: raster.height, bytes: Array.from(raster.data) };
}

const latency = (times: number[]): Latency => ({ first: times[0], runs: times.length - 1, median: quantile(times.slice(1), 0.5), p90: quantile(times.slice(1), 0.9) });

function summarize(backend: string, adapter: string | null, loadMs: number, c: number[], s: number[], mem: { numTensors: number; numBytes: number }, stoppedEarly: boolean): Measurement {
  const both = c.slice(1).map((t, i) => t + s[i + 1]);
  return { backend, adapter, loadMs, classifier: latency(c), segmenter: latency(s), bothMedian: quantile(both, 0.5), numTensors: mem.numTensors, numBytes: mem.numBytes, stoppedEarly };
}

async function adapterInfo(page: Page): Promise<string | null> {
  return page.evaluate(async () => {
    const gpu = (navigator as any).gpu;
    const a = gpu ? await gpu.requestAdapter() : null;
    return a ? `${a.info?.vendor || '?'} ${a.info?.architecture || '?'}${a.isFallbackAdapter ? ' (fallback adapter, software)' : ''}` : null;
  });
}

/** The app: `?backend=` with no warm-up, so the first forced analysis is each model's first inference. */
export async function measureApp(page: Page, baseUrl: string, backend: Backend, plan: Plan): Promise<Measurement> {
  await page.goto(`${baseUrl}/?backend=${backend}&warmup=0`);
  await page.waitForFunction(() => ['ready', 'failed'].includes((window as any).__lgg?.state().engine.phase), undefined, { timeout: 300_000 });
  const engine = await page.evaluate(() => (window as any).__lgg.state().engine);
  if (engine.error) throw new Error(`app engine failed on ${backend}: ${engine.error}`);
  const slice = tumorSlice();
  const r = await page.evaluate(
    async ({ slice, plan }) => {
      const analyzer = (window as any).__lgg.analyzer();
      const image = { width: slice.width, height: slice.height, data: Uint8Array.from(slice.bytes) };
      const c: number[] = [];
      const s: number[] = [];
      const start = performance.now();
      let stoppedEarly = false;
      let segmenters = 0;
      for (let i = 0; i <= plan.runs; i++) {
        const a = await analyzer.analyze(image, { forceSegment: true });
        c.push(a.timings.classifyMs);
        s.push(a.timings.segmentMs);
        segmenters = a.segmenters;
        if (i > 0 && i < plan.runs && performance.now() - start > plan.limitMs) {
          stoppedEarly = true;
          break;
        }
      }
      return { c, s, stoppedEarly, segmenters, mem: await analyzer.stats() };
    },
    { slice, plan },
  );
  const m = summarize(engine.backend.name, await adapterInfo(page), engine.loadMs, r.c, r.s, r.mem, r.stoppedEarly);
  m.segmenters = r.segmenters;
  m.dropToResultMs = await dropTumor(page);
  return m;
}

/** Dispatches a real drop of the tumor fixture on the drop target. */
export async function dispatchTumorDrop(page: Page): Promise<string> {
  const b64 = fs.readFileSync(TUMOR_FIXTURE).toString('base64');
  const file = path.basename(TUMOR_FIXTURE);
  await page.evaluate(({ b64, file }) => {
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], file));
    document.querySelector('[data-testid="drop-target"]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { b64, file });
  return file;
}

/**
 * Waits for the whole result (probability and mask) of the slice dropped as `file`. `ms`: drop to whole result;
 * `probabilityMs`: drop to the probability on screen (it comes first); `droppedAt`: the drop on the page's clock.
 */
export async function waitForDropResult(page: Page, file: string): Promise<{ error: string | null; ms: number; probabilityMs: number; droppedAt: number }> {
  await page.waitForFunction((f) => {
    const c = (window as any).__lgg.state().current;
    return c && c.name.file === f && !c.analyzing && (c.analysis || c.error);
  }, file, { timeout: 300_000 });
  return page.evaluate(() => {
    const c = (window as any).__lgg.state().current;
    return { error: c.error, ms: c.dropToResultMs, probabilityMs: c.dropToProbabilityMs, droppedAt: c.droppedAt };
  });
}

/** A real drag-and-drop of the TIFF file: decode, classify (and segment if above the preset), draw. */
async function dropTumor(page: Page): Promise<number> {
  const cur = await waitForDropResult(page, await dispatchTumorDrop(page));
  if (cur.error) throw new Error(`drop failed: ${cur.error}`);
  return cur.ms;
}

export interface Reopen {
  /** First, online visit: navigation to "Ready to work offline" (service worker and its caches filled). */
  installMs: number;
  /** Offline, a new page: navigation start to the tumor fixture's result, dropped as soon as the page shows its drop target. */
  reopenToResultMs: number;
  /** The same, to the probability on screen (ahead of the mask), on the page's clock from its navigation start. */
  reopenToProbabilityMs: number;
  /** The same reopened page, as the engine reports it: backend start, then the rest of the model load after it, and the warm-up. */
  reopenBackendMs: number;
  reopenLoadMs: number;
  reopenWarmUp: string;
  backend: string;
}

/**
 * Issue 7's "first result within 3 s of opening the page from the PWA cache": the app as a user opens it (no query),
 * installed by one online visit, then reopened in a new page with the network off.
 */
/** One online visit until the service worker says the app works offline, then the network off; returns the visit's ms. */
export async function installThenGoOffline(context: BrowserContext, baseUrl: string): Promise<number> {
  const first = await context.newPage();
  const t0 = Date.now();
  await first.goto(baseUrl);
  await first.getByTestId('update-prompt').filter({ hasText: 'Ready to work offline' }).waitFor({ timeout: 300_000 });
  const installMs = Date.now() - t0;
  await first.close();
  await context.setOffline(true);
  return installMs;
}

export async function measureReopen(context: BrowserContext, baseUrl: string): Promise<Reopen> {
  const installMs = await installThenGoOffline(context, baseUrl);
  try {
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(baseUrl);
    await page.getByTestId('drop-target').waitFor({ timeout: 60_000 });
    const cur = await waitForDropResult(page, await dispatchTumorDrop(page));
    const reopenToResultMs = Date.now() - t0;
    if (cur.error) throw new Error(`drop after reopening failed: ${cur.error}`);
    const engine = await page.evaluate(() => (window as any).__lgg.state().engine);
    await page.close();
    const reopenToProbabilityMs = Math.round(cur.droppedAt + cur.probabilityMs);
    return { installMs, reopenToResultMs, reopenToProbabilityMs, reopenBackendMs: engine.backendMs, reopenLoadMs: engine.loadMs, reopenWarmUp: engine.warmUp, backend: engine.backend?.name ?? '?' };
  } finally {
    await context.setOffline(false);
  }
}

/** Stock tfjs on the same model files, same slice, same number of runs. */
export async function measureStock(page: Page, stockUrl: string, backend: Backend, plan: Plan): Promise<Measurement> {
  await page.goto(stockUrl);
  const slice = tumorSlice();
  const r = await page.evaluate(
    async ({ backend, slice, plan }) => {
      const b = (window as any).stockBench;
      const { backend: name, loadMs } = await b.load(backend);
      const c: number[] = [];
      const s: number[] = [];
      const start = performance.now();
      let stoppedEarly = false;
      for (let i = 0; i <= plan.runs; i++) {
        c.push(await b.run('classifier', slice.width, slice.height, slice.bytes));
        s.push(await b.run('segmenter', slice.width, slice.height, slice.bytes));
        if (i > 0 && i < plan.runs && performance.now() - start > plan.limitMs) {
          stoppedEarly = true;
          break;
        }
      }
      return { name, loadMs, c, s, stoppedEarly, mem: b.memory() };
    },
    { backend, slice, plan },
  );
  return summarize(r.name, await adapterInfo(page), r.loadMs, r.c, r.s, r.mem, r.stoppedEarly);
}
