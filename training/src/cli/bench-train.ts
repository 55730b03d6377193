/**
 * Training-speed benchmark: images/s of real training steps (the trainer's loss + Adam, training-mode BN and
 * dropout) per model per backend at 256x256, with batch size, peak memory and PyTorch's ratio on this machine.
 *
 *   npm run bench:train -- [--model classifier|segmenter|all] [--backend wasm|native|cpu|all] [--steps 3]
 *                          [--batch N] [--size 256] [--threads N] [--profile] [--no-torch] [--out FILE.json] [--smoke]
 *
 * Defaults: both models, wasm (+ native when training/src/native loads), 3 timed steps after 1 warm-up, torch
 * peer when python3-torch is installed, JSON to training/bench/results/<date>-<time>-<host>.json (never overwritten). --smoke: size 64,
 * batch 2, 1 step, no torch, no JSON unless --out (what CI runs). cpu only on request: it is far too slow at 256.
 * --minimal-kernels: only the kernels stock wasm needs to train at all (the baseline of the speed work).
 * --threads: wasm threads (default: all cores, the threaded build; 1: tfjs' stock single-threaded build).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { registerCpuKernelFixes, registerWasmCorrectnessKernelsOnly, registerWasmTrainingKernels } from '../kernels';
import { formatProfile, profileKernels, type KernelStat } from '../kernels/profile';
import { activeWasmThreads, useThreadedWasm, wantedWasmThreads } from '../kernels/wasm-threads';
import { buildModel } from '../models';
import { OBJECTIVES } from '../train/losses';
import { minimizeFrugally } from '../train/frugal-gradients';
import { makeAdam } from '../train/schedule';
import { resultFile } from '../../../bench/result-file';
import { defineCommand, oneOf, orExit, parseCommand, positiveInt } from './flags';
import { REPO_ROOT, userPath } from './paths';
import { UsageError } from './run-cli';
import { runTorchPeer } from './torch-peer';

type ModelName = 'classifier' | 'segmenter';
type Bench = 'wasm' | 'native' | 'cpu';

/**
 * Default batch per backend (--batch overrides). native: the notebook's 16, its fastest per image, inside the
 * 4 GiB wasm heap with the frugal backward pass (segmenter heap ~3.2-3.4 GiB); wasm: 8, as measured before.
 */
const DEFAULT_BATCH: Record<Bench, number> = { native: 16, wasm: 8, cpu: 4 };

const argv = process.argv.slice(2);
const BENCH_TRAIN = defineCommand({
  script: 'bench:train',
  usage: ['[--model classifier|segmenter|all] [--backend wasm|native|cpu|all] [--steps N] [--batch N] [--size N] [--smoke] [flags]'],
  about: "Training speed: images/s of real training steps (loss, Adam, training-mode BN and dropout) per model and backend, with\n" +
    "peak memory and PyTorch's figure on this machine; JSON to training/bench/results/ (never overwritten).",
  flags: {
    model: { type: 'string', value: 'classifier|segmenter|all', defaultHelp: 'all', help: 'which model(s)' },
    backend: { type: 'string', value: 'wasm|native|cpu|all', defaultHelp: 'all: wasm, and native when it loads', help: 'which backend(s); cpu only on request (far too slow at 256)' },
    steps: { type: 'string', value: 'N', defaultHelp: '3, 1 with --smoke', help: 'timed steps after one warm-up' },
    batch: { type: 'string', value: 'N', defaultHelp: `native ${DEFAULT_BATCH.native}, wasm ${DEFAULT_BATCH.wasm}, cpu ${DEFAULT_BATCH.cpu}; 2 with --smoke`, help: 'images per step' },
    size: { type: 'string', value: 'N', defaultHelp: '256, 64 with --smoke', help: 'image side, a multiple of 16 that is at least 64' },
    threads: { type: 'string', value: 'N', defaultHelp: 'all cores', help: "wasm threads (1: tfjs' stock single-threaded build)" },
    smoke: { type: 'boolean', help: 'size 64, batch 2, 1 step, no torch, no JSON unless --out (what CI runs)' },
    profile: { type: 'boolean', help: 'time each kernel and print the table' },
    'minimal-kernels': { type: 'boolean', help: 'only the kernels stock wasm needs to train at all (the baseline of the speed work)' },
    'stock-backprop': { type: 'boolean', help: "tfjs' optimizer.minimize instead of the frugal backward pass" },
    'no-torch': { type: 'boolean', help: 'skip the PyTorch peer (python3-torch)' },
    out: { type: 'string', value: 'FILE.json', defaultHelp: 'training/bench/results/<date>-<time>-<host>.json', help: 'where the JSON goes' },
  },
});
// Strict, so a mistyped --smoke fails at once instead of starting the full 256x256 benchmark.
const parsed: Record<string, string | boolean | undefined> = orExit(BENCH_TRAIN.script, () => parseCommand(BENCH_TRAIN));
const flag = (name: string) => parsed[name] === true;
const option = (name: string, fallback: string) => (typeof parsed[name] === 'string' ? (parsed[name] as string) : fallback);

const smoke = flag('smoke');
// Every number is checked before anything starts: `--steps abc` used to run a benchmark that reported NaN images/s.
const size = orExit('bench:train', () => sizeOf(option('size', smoke ? '64' : '256')));
const steps = orExit('bench:train', () => positiveInt(option('steps', smoke ? '1' : '3'), '--steps'));
const threads = orExit('bench:train', () => positiveInt(option('threads', String(wantedWasmThreads())), '--threads'));
const batchFlag = orExit('bench:train', () => (parsed.batch === undefined ? null : positiveInt(option('batch', ''), '--batch')));
const models: ModelName[] = option('model', 'all') === 'all' ? ['classifier', 'segmenter'] : [option('model', '') as ModelName];
const backends: Bench[] = option('backend', 'all') === 'all' ? ['wasm', 'native'] : [option('backend', '') as Bench];
// 'all' is listed for the message; it was expanded above.
for (const m of models) orExit('bench:train', () => oneOf(m, '--model', ['classifier', 'segmenter', 'all']));
for (const b of backends) orExit('bench:train', () => oneOf(b, '--backend', ['wasm', 'native', 'cpu', 'all']));

/** The segmenter pools four times and concatenates with its skips, so the side must divide by 16; 64 is the smoke's. */
function sizeOf(v: string): number {
  const n = positiveInt(v, '--size');
  if (n % 16 !== 0 || n < 64) throw new UsageError(`--size needs a multiple of 16 that is at least 64, got '${v}'`);
  return n;
}

type Result = {
  model: ModelName; backend: Bench; threads: number; size: number; batch: number; steps: number;
  warmupMs: number; stepMs: number[]; imagesPerSecond: number;
  /** Process CPU time (all threads) per timed step: wall time on this shared machine swings with its load, this much less. */
  cpuMsPerStep: number;
  peakRssMiB: number; wasmHeapMiB: number | null; losses: number[]; profile?: KernelStat[];
};

function wasmHeapBytes(): number | null {
  if (tf.getBackend() !== 'wasm') return null;
  return (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;
}

async function benchModel(model: ModelName, backend: Bench, batch: number): Promise<Result> {
  const net = buildModel(model, size);
  const optimizer = makeAdam(model);
  const objective = OBJECTIVES[model];
  const x = model === 'classifier' ? tf.randomUniform([batch, size, size, 3], 0, 1, 'float32', 1) : tf.randomNormal([batch, size, size, 3], 0, 1, 'float32', 1);
  const y = model === 'classifier'
    ? tf.cast(tf.greater(tf.randomUniform([batch, 1], 0, 1, 'float32', 2), 0.5), 'float32')
    : tf.cast(tf.greater(tf.randomUniform([batch, size, size, 1], 0, 1, 'float32', 3), 0.9), 'float32');
  const variables = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const forward = () => objective.loss(y, net.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
  const step = async () => {
    const loss = flag('stock-backprop') ? (optimizer.minimize(forward, true, variables) as tf.Scalar) : minimizeFrugally(optimizer, forward, variables);
    const value = (await loss.data())[0];
    loss.dispose();
    return value;
  };
  let t = performance.now();
  const losses = [await step()];
  const warmupMs = performance.now() - t;
  const profiler = flag('profile') ? profileKernels(tf.getBackend()) : null;
  const stepMs: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let s = 0; s < steps; s++) {
    t = performance.now();
    losses.push(await step());
    stepMs.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpuStart);
  const profile = profiler?.stats();
  profiler?.stop();
  tf.dispose([x, y]);
  net.dispose();
  optimizer.dispose();
  const mean = stepMs.reduce((a, b) => a + b, 0) / steps;
  const heap = wasmHeapBytes();
  return {
    model, backend, threads: backend === 'cpu' ? 1 : activeWasmThreads(), size, batch, steps, warmupMs, stepMs, imagesPerSecond: (1000 * batch) / mean,
    cpuMsPerStep: (cpu.user + cpu.system) / 1000 / steps,
    peakRssMiB: process.resourceUsage().maxRSS / 1024, wasmHeapMiB: heap === null ? null : heap / 2 ** 20, losses, profile,
  };
}

/** Switches to a backend; says why not when it cannot. */
async function activate(backend: Bench): Promise<string | null> {
  if (backend === 'cpu') {
    await tf.setBackend('cpu');
    registerCpuKernelFixes();
    return null;
  }
  if (flag('minimal-kernels')) registerWasmCorrectnessKernelsOnly();
  else registerWasmTrainingKernels();
  useThreadedWasm(threads);
  if (!(await tf.setBackend('wasm'))) return 'tfjs wasm backend did not start';
  if (backend === 'native') {
    try {
      const native = (await import(/* @vite-ignore */ new URL('../native/index.ts', import.meta.url).href)) as {
        loadNativeKernels(): Promise<{ ok: true } | { ok: false; reason: string }>;
      };
      const loaded = await native.loadNativeKernels();
      if (!loaded.ok) return loaded.reason;
    } catch (e) {
      return `training/src/native not loadable (${e instanceof Error ? e.message : e})`;
    }
  }
  return null;
}

async function main() {
  const results: Result[] = [];
  const skipped: { backend: Bench; reason: string }[] = [];
  for (const backend of backends) {
    const why = await activate(backend);
    if (why) {
      skipped.push({ backend, reason: why });
      console.log(`skip ${backend}: ${why}`);
      continue;
    }
    for (const model of models) {
      const batch = batchFlag ?? (smoke ? 2 : DEFAULT_BATCH[backend]);
      console.log(`${model} on ${backend}: ${size}x${size}, batch ${batch}, 1 warm-up + ${steps} steps ...`);
      const r = await benchModel(model, backend, batch);
      results.push(r);
      console.log(`  ${r.imagesPerSecond.toFixed(2)} images/s (steps ${r.stepMs.map((s) => s.toFixed(0)).join(', ')} ms; warm-up ${r.warmupMs.toFixed(0)} ms), ` +
        `peak RSS ${r.peakRssMiB.toFixed(0)} MiB${r.wasmHeapMiB !== null ? `, wasm heap ${r.wasmHeapMiB.toFixed(0)} MiB` : ''}`);
      if (r.profile) console.log(formatProfile(r.profile, steps));
    }
  }
  const torch = flag('no-torch') || smoke ? { rows: [], skipped: 'not run (--no-torch / --smoke)' } : runTorchPeer();
  if (torch.skipped) console.log(`torch peer: ${torch.skipped}`);

  const lines = ['| model | backend | threads | size | batch | images/s | PyTorch images/s | ratio | step ms | CPU s/image | peak RSS MiB | wasm heap MiB |', '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const r of results) {
    const peer = torch.rows.find((t) => t.model === r.model);
    const mean = r.stepMs.reduce((a, b) => a + b, 0) / r.steps;
    lines.push(`| ${r.model} | ${r.backend} | ${r.threads} | ${r.size} | ${r.batch} | ${r.imagesPerSecond.toFixed(2)} | ${peer ? peer.trainImagesPerSecond.toFixed(2) : '-'} | ` +
      `${peer ? (r.imagesPerSecond / peer.trainImagesPerSecond).toFixed(2) : '-'} | ${mean.toFixed(0)} | ${(r.cpuMsPerStep / r.batch / 1000).toFixed(2)} | ${r.peakRssMiB.toFixed(0)} | ${r.wasmHeapMiB?.toFixed(0) ?? '-'} |`);
  }
  console.log(`\n${lines.join('\n')}`);

  const outArg = option('out', '');
  if (smoke && !outArg) return;
  // Never replaces an earlier result (a second run of the day used to overwrite the first).
  const out = outArg ? userPath(outArg) : resultFile(resolve(REPO_ROOT, 'training/bench/results'), new Date(), hostname());
  mkdirSync(dirname(out), { recursive: true });
  const cpus = (await import('node:os')).cpus();
  writeFileSync(out, `${JSON.stringify({
    date: new Date().toISOString(), host: hostname(), args: argv, cpu: cpus[0]?.model, cores: cpus.length, node: process.version,
    tfjs: tf.version_core, loadAverage: (await import('node:os')).loadavg(), results, skipped, torch,
  }, null, 2)}\n`);
  console.log(`wrote ${out}`);
}

// Exit explicitly: the threaded backend's pthread workers would keep the process alive.
main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
