/**
 * npm run bench: builds the app into bench/dist/ if missing (--build to rebuild), serves it with `vite preview`, serves the stock-tfjs page,
 * and measures both per backend in Debian's Chromium. Writes bench/results/<date>-<machine>.json and prints a table.
 *   --backends wasm,webgl,webgpu   --runs 20   --webgpu-runs 3   --limit-s 180 (warm runs per backend and impl)
 *   --smoke (wasm, 2 runs, no file written)   --build (rebuild bench/dist/ first)
 */
import { chromium } from '@playwright/test';
import { execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { BACKENDS, measureApp, measureReopen, measureStock, type Backend, type Plan, type Reopen } from './measure';
import { markdownTable, resultFile, type BackendResult } from './report';
import { REPO, startStockServer } from './stock-server';
import { arg, flag } from './args';
import { BENCH_DIST, modelWireBytes, wireTable, type WireBytes } from './wire';
import { MODEL_FOLDERS } from '../src/core/model-files';

// Its own build folder (git-ignored, BENCH_DIST), so rebuilding never disturbs an e2e run on dist/.
const DIST = BENCH_DIST;
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--enable-unsafe-webgpu'];

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** `vite preview` of a build folder on a free port; stop() ends vite itself, not only the npx wrapper. */
export async function startPreview(dist = DIST): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const child = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', dist], { cwd: REPO, stdio: 'ignore', detached: true });
  const stop = () => {
    try {
      process.kill(-child.pid!); // the whole process group: npx and the vite it started
    } catch {
      child.kill();
    }
  };
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(url)).ok) return { url, stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  stop();
  throw new Error('vite preview did not start within 60 s');
}

export interface BenchOptions {
  backends: Backend[];
  plan: (b: Backend) => Plan;
}

export async function runBench(opts: BenchOptions, log = console.log): Promise<{ results: BackendResult[]; reopen: Reopen | { error: string }; download: Record<string, WireBytes> }> {
  const preview = await startPreview();
  let download: Record<string, WireBytes> = {};
  const stock = await startStockServer();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const results: BackendResult[] = [];
  let reopen: Reopen | { error: string } = { error: 'not measured' };
  try {
    download = await modelWireBytes(preview.url);
    for (const backend of opts.backends) {
      const r: BackendResult = { backend };
      results.push(r);
      // A fresh context per measurement: no shared caches between the app and the baseline.
      const second = fs.existsSync(path.join(REPO, DIST, 'models', MODEL_FOLDERS.segmenter2));
      for (const impl of ['app', ...(second ? (['appFirstSegmenter'] as const) : []), 'stock'] as const) {
        // The like-for-like app row withholds the second segmenter (the app then draws with the first alone).
        const context = await browser.newContext(impl === 'appFirstSegmenter' ? { serviceWorkers: 'block' } : {});
        if (impl === 'appFirstSegmenter') await context.route(`**/models/${MODEL_FOLDERS.segmenter2}/**`, (route) => route.fulfill({ status: 404, body: 'withheld by the benchmark' }));
        const page = await context.newPage();
        try {
          log(`${backend} / ${impl} ...`);
          r[impl] = impl === 'stock' ? await measureStock(page, stock.url, backend, opts.plan(backend)) : await measureApp(page, preview.url, backend, opts.plan(backend));
        } catch (e) {
          r.error = `${r.error ? `${r.error}; ` : ''}${impl}: ${(e as Error).message.split('\n')[0]}`;
          log(`  failed: ${r.error}`);
        } finally {
          await context.close();
        }
      }
    }
    log('reopen from the PWA cache, offline ...');
    const context = await browser.newContext();
    try {
      reopen = await measureReopen(context, preview.url);
    } catch (e) {
      reopen = { error: (e as Error).message.split('\n')[0] };
      log(`  failed: ${reopen.error}`);
    } finally {
      await context.close();
    }
  } finally {
    await browser.close();
    await stock.close();
    preview.stop();
  }
  return { results, reopen, download };
}

function reopenLine(r: Reopen | { error: string }): string {
  if ('error' in r) return `reopen from the PWA cache: failed (${r.error})`;
  return `reopen from the PWA cache (offline, ${r.backend}): probability ${r.reopenToProbabilityMs} ms and whole result (with the mask) ${r.reopenToResultMs} ms after navigation (backend ${Math.round(r.reopenBackendMs)} ms, then models built ${Math.round(r.reopenLoadMs)} ms later, warm-up ${r.reopenWarmUp}); first online visit to "ready offline": ${r.installMs} ms`;
}

async function main() {
  const smoke = flag('smoke');
  if (flag('build') || !fs.existsSync(path.join(REPO, DIST, 'index.html'))) execSync(`npx vite build --outDir ${DIST}`, { cwd: REPO, stdio: 'inherit' });
  const backends = (smoke ? 'wasm' : arg('backends', BACKENDS.join(','))).split(',') as Backend[];
  const runs = smoke ? 2 : Number(arg('runs', '20'));
  const webgpuRuns = smoke ? 2 : Number(arg('webgpu-runs', '3'));
  const limitMs = Number(arg('limit-s', '180')) * 1000;
  const load = os.loadavg();
  const started = new Date();
  const { results, reopen, download } = await runBench({ backends, plan: (b) => ({ runs: b === 'webgpu' ? webgpuRuns : runs, limitMs }) });
  const table = markdownTable(results);
  console.log(`\n${table}\n\n${reopenLine(reopen)}\n\nmodel download (first visit, as sent):\n${wireTable(download)}\n\nload average before: ${load.map((x) => x.toFixed(1)).join(' ')}, after: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} (${os.cpus().length} cores)`);
  if (smoke) return;
  const machine = `${os.hostname()}-${os.cpus().length}cpu`;
  const file = resultFile(path.join(REPO, 'bench/results'), started, machine);
  const chromiumVersion = execSync('/usr/bin/chromium --version 2>/dev/null || true').toString().trim();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ started: started.toISOString(), machine, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, loadAvgBefore: load, loadAvgAfter: os.loadavg(), chromium: chromiumVersion, runs, webgpuRuns, limitMs, results, reopen, downloadBytes: download, table }, null, 2));
  console.log(`wrote ${path.relative(REPO, file)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename ?? '')) main().catch((e) => {
  console.error(e);
  process.exit(1);
});
