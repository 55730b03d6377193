/**
 * npm run bench:trace: a Chrome trace of one reopen from the PWA cache (network off, the tumor fixture dropped at
 * once), summed up: busy time per thread of the page's renderer (the page, the inference worker, tfjs' pthread
 * workers, the service worker) and when each of the app's own files was requested and finished. This is how the
 * 8-worker pthread pool (src/inference/pthread-pool.ts) showed up.
 *   --dist bench/dist   --out test-results/reopen-trace.json (the raw trace, for chrome://tracing or Perfetto)
 */
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { arg } from './args';
import { dispatchTumorDrop, installThenGoOffline, waitForDropResult } from './measure';
import { CHROMIUM_ARGS, startPreview } from './run';

interface TraceEvent {
  name: string;
  ph?: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string; requestId?: string } };
}

const dist = arg('dist', 'bench/dist');
const out = arg('out', 'test-results/reopen-trace.json');
if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error(`${dist}: not a build folder (run vite build --outDir ${dist})`);
fs.mkdirSync(path.dirname(out), { recursive: true });

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
const preview = await startPreview(dist);
let probabilityAt = 0;
try {
  const context = await browser.newContext();
  await installThenGoOffline(context, preview.url);
  const page = await context.newPage();
  await browser.startTracing(page, { path: out, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink.user_timing', 'loading'] });
  await page.goto(preview.url);
  await page.getByTestId('drop-target').waitFor();
  const result = await waitForDropResult(page, await dispatchTumorDrop(page));
  if (result.error) throw new Error(`the dropped fixture failed: ${result.error}`);
  probabilityAt = Math.round(result.droppedAt + result.probabilityMs);
  await browser.stopTracing();
} finally {
  preview.stop();
  await browser.close();
}

const raw = JSON.parse(fs.readFileSync(out, 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
const events = Array.isArray(raw) ? raw : raw.traceEvents;
const start = Math.min(...events.filter((e) => e.name === 'navigationStart').map((e) => e.ts));
const ms = (ts: number) => Math.round((ts - start) / 1000);
const threadNames = new Map(events.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args?.name ?? '?']));

// Busy time: top-level tasks (RunTask) per thread of the app's renderer process (the one with the inference worker).
const appPid = events.find((e) => threadNames.get(`${e.pid}:${e.tid}`) === 'DedicatedWorker thread')?.pid;
const busy = new Map<string, { first: number; last: number; ms: number }>();
for (const e of events) {
  if (e.pid !== appPid || e.ph !== 'X' || e.name !== 'RunTask' || !e.dur) continue;
  const key = `${threadNames.get(`${e.pid}:${e.tid}`) ?? '?'} ${e.tid}`;
  const b = busy.get(key) ?? { first: e.ts, last: e.ts, ms: 0 };
  b.first = Math.min(b.first, e.ts);
  b.last = Math.max(b.last, e.ts + e.dur);
  b.ms += e.dur / 1000;
  busy.set(key, b);
}
console.log(`probability on screen ${probabilityAt} ms after navigation (traced, so slower than bench:reopen)\n`);
console.log('| thread (app renderer) | active from - to (ms) | busy (ms) |\n|---|---|---|');
for (const [key, b] of [...busy].filter(([, b]) => b.ms >= 5).sort((a, b) => a[1].first - b[1].first))
  console.log(`| ${key} | ${ms(b.first)} - ${ms(b.last)} | ${Math.round(b.ms)} |`);

// The app's own requests: when each was sent and finished.
const origin = new URL(preview.url).host;
const requests = new Map<string, { file: string; sent: number; done?: number }>();
for (const e of events) {
  const d = e.args?.data;
  if (!d?.requestId) continue;
  if (e.name === 'ResourceSendRequest' && d.url?.includes(origin)) requests.set(d.requestId, { file: new URL(d.url).pathname, sent: e.ts });
  const r = requests.get(d.requestId);
  if (r && e.name === 'ResourceFinish') r.done = e.ts;
}
console.log('\n| file | sent (ms) | finished (ms) |\n|---|---|---|');
for (const r of [...requests.values()].sort((a, b) => a.sent - b.sent)) console.log(`| ${r.file} | ${ms(r.sent)} | ${r.done ? ms(r.done) : '?'} |`);
console.log(`\nwrote ${out}`);
