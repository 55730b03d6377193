/**
 * npm run bench:node: the inference measurements of `npm run bench` without a browser, in Node, on the shipped
 * model files and the tumor fixture, through the app's own classify/segment (src/inference/analyze.ts):
 * load of both models, first inference of each, warm median/p90 over --runs, tensors/bytes held.
 *   --backends wasm,native,webgpu   --runs 20   --models public/models   --no-torch   --out FILE.json
 *   --fixture FILE.tif (default ../shared/data/lgg/fixtures/...)   --limit-s S (stop the warm runs after S seconds)
 * Rows: wasm (tfjs' single-threaded SIMD build, what the app runs in the browser), native (wasm + the training
 * workspace's oneDNN kernels, what `npm run evaluate` runs), webgpu (Dawn, only on a hardware adapter: a GPU machine
 * without a browser). PyTorch's predict on the same machine (../shared/bench/torch_peer.py) is the reference ratio.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { classify, segment } from '../src/inference/analyze';
import { loadForInference } from '../src/inference/fold-batch-norm';
import { modelArtifactsFromDir } from '../training/src/export/model-files';
import { chooseBackend } from '../training/src/backend/ladder';
import { runTorchPeer } from '../training/src/cli/torch-peer';
import { quantile, TUMOR_FIXTURE, tumorSlice } from './measure';
import { resultFile } from './report';
import { REPO } from './stock-server';
import { arg, flag } from './args';

type NodeBackend = 'wasm' | 'native' | 'webgpu';

interface Row {
  backend: NodeBackend;
  detail: string;
  loadMs: number;
  first: { classifier: number; segmenter: number };
  classifier: { median: number | null; p90: number | null };
  segmenter: { median: number | null; p90: number | null };
  bothMedian: number | null;
  runs: number;
  numTensors: number;
  numBytes: number;
}

async function measure(backend: NodeBackend, runs: number, modelsDir: string, fixture: string, limitMs: number): Promise<Row> {
  // 'wasm': tfjs' stock kernels, as the app runs them in the browser. 'native' and 'webgpu': the training ladder's
  // rungs (wasm + oneDNN kernels; Dawn on a hardware adapter only).
  let detail = 'tfjs wasm, stock kernels, single-threaded SIMD (as in the app)';
  if (backend === 'wasm') {
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend did not start');
  } else detail = (await chooseBackend(backend, () => {})).reason;
  const t0 = performance.now();
  const [classifier, segmenter] = await Promise.all(
    ['classifier', 'segmenter'].map(async (m) => (await loadForInference(modelArtifactsFromDir(path.join(modelsDir, m)))).model),
  );
  const loadMs = performance.now() - t0;
  const { width, height, bytes } = tumorSlice(fixture);
  const image = { width, height, data: Uint8Array.from(bytes) };
  const c: number[] = [];
  const s: number[] = [];
  const warmStart = performance.now();
  for (let i = 0; i <= runs; i++) {
    if (i > 1 && performance.now() - warmStart > limitMs) break; // --limit-s: fewer warm runs, counted in `runs`
    let t = performance.now();
    await classify(classifier, [image]);
    c.push(performance.now() - t);
    t = performance.now();
    await segment(segmenter, [image]);
    s.push(performance.now() - t);
  }
  const mem = tf.memory();
  classifier.dispose();
  segmenter.dispose();
  const warm = (xs: number[]) => ({ median: quantile(xs.slice(1), 0.5), p90: quantile(xs.slice(1), 0.9) });
  return {
    backend, detail, loadMs, first: { classifier: c[0], segmenter: s[0] }, classifier: warm(c), segmenter: warm(s),
    bothMedian: quantile(c.slice(1).map((x, i) => x + s[i + 1]), 0.5), runs: c.length - 1, numTensors: mem.numTensors, numBytes: mem.numBytes,
  };
}

/** PyTorch's batch-1 predict in ms, or why it was not measured. */
function torchPredict(): { classifier: number; segmenter: number } | string {
  const torch = runTorchPeer(os.cpus().length);
  const ms = (model: string) => torch.rows.find((r) => r.model === model)?.predictMs;
  const [classifier, segmenter] = [ms('classifier'), ms('segmenter')];
  return torch.skipped ?? (classifier && segmenter ? { classifier, segmenter } : 'torch_peer.py printed no predict times');
}

const f = (x: number | null) => (x == null ? '-' : `${x.toFixed(0)} ms`);

async function main() {
  const backends = arg('backends', 'wasm,native').split(',') as NodeBackend[];
  const runs = Number(arg('runs', '20'));
  const modelsDir = path.resolve(arg('models', path.join(REPO, 'public/models')));
  const fixture = path.resolve(arg('fixture', TUMOR_FIXTURE));
  const limitMs = Number(arg('limit-s', 'Infinity')) * 1000;
  const load = os.loadavg();
  const rows: Row[] = [];
  const skipped: { backend: string; reason: string }[] = [];
  // One process per tfjs backend would be cleaner; in one process the wasm rung must come before native (same heap).
  for (const b of backends) {
    try {
      console.log(`${b} ...`);
      rows.push(await measure(b, runs, modelsDir, fixture, limitMs));
    } catch (e) {
      skipped.push({ backend: b, reason: (e as Error).message.split('\n')[0] });
      console.log(`  skipped: ${skipped.at(-1)!.reason}`);
    }
  }
  const torch = flag('no-torch') ? 'not run (--no-torch)' : torchPredict();
  const lines = [
    '| backend | load (both) | first: classifier / segmenter | warm median / p90: classifier | warm median / p90: segmenter | both warm (median) | PyTorch predict: classifier / segmenter | ratio to PyTorch (both) | tensors / MB held |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const peer = typeof torch === 'string' ? null : torch;
    const ratio = peer && r.bothMedian ? `${((peer.classifier + peer.segmenter) / r.bothMedian).toFixed(2)}x` : '-';
    lines.push(`| ${r.backend} | ${f(r.loadMs)} | ${f(r.first.classifier)} / ${f(r.first.segmenter)} | ${f(r.classifier.median)} / ${f(r.classifier.p90)} | ` +
      `${f(r.segmenter.median)} / ${f(r.segmenter.p90)} | ${f(r.bothMedian)} | ${peer ? `${peer.classifier} / ${peer.segmenter} ms` : '-'} | ${ratio} | ${r.numTensors} / ${(r.numBytes / 2 ** 20).toFixed(1)} |`);
  }
  const table = lines.join('\n');
  console.log(`\n${table}\n${typeof torch === 'string' ? `torch peer: ${torch}\n` : ''}load average before: ${load.map((x) => x.toFixed(1)).join(' ')}, after: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} (${os.cpus().length} cores)`);
  const started = new Date().toISOString();
  const file = arg('out', resultFile(path.join(REPO, 'bench/results'), new Date(started), `${os.hostname()}-${os.cpus().length}cpu`, '-node'));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ started, machine: os.hostname(), cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version,
    tfjs: tf.version_core, gpu: execSync('nvidia-smi -L 2>/dev/null || true').toString().trim() || null, loadAvgBefore: load, loadAvgAfter: os.loadavg(),
    runs, rows, skipped, torch, table }, null, 2));
  console.log(`wrote ${path.relative(REPO, file)}`);
}

// Exit explicitly once the JSON is written: a live Dawn device (webgpu row) may keep the event loop open.
main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
