// Profiles real training steps (the trainer's loss + Adam) on wasm with the native kernels: per-kernel time
// and images/s. Usage (from training/):
//   npx tsx src/native/profile.ts [--model classifier|segmenter|both] [--size 256] [--batch 4] [--steps 3]
//                                 [--no-native] [--json FILE]
// --no-native profiles the portable wasm path (training/src/kernels) for comparison.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { writeFileSync } from 'node:fs';
import { buildModel } from '../models/index';
import { OBJECTIVES } from '../train/losses';
import { makeAdam } from '../train/schedule';
import { KernelTimer } from './kernel-timer';
import { loadNativeKernels } from './index';
import { registerWasmTrainingKernels } from '../kernels/index';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

type ModelName = 'classifier' | 'segmenter';

async function profileModel(name: ModelName, size: number, batch: number, steps: number) {
  const model = buildModel(name, size);
  const optimizer = makeAdam(name);
  const objective = OBJECTIVES[name];
  const x = tf.randomUniform([batch, size, size, 3], 0, 1, 'float32', 1);
  const y = name === 'classifier'
    ? tf.cast(tf.greater(tf.randomUniform([batch, 1], 0, 1, 'float32', 2), 0.5), 'float32')
    : tf.cast(tf.greater(tf.randomUniform([batch, size, size, 1], 0, 1, 'float32', 3), 0.9), 'float32');
  const step = async () => {
    const loss = optimizer.minimize(() => objective.loss(y, model.apply(x, { training: true }) as tf.Tensor), true) as tf.Scalar;
    const value = (await loss.data())[0];
    loss.dispose();
    return value;
  };
  const timer = new KernelTimer('wasm');
  const t0 = performance.now();
  await step(); // warm-up: primitive creation, weight allocation
  const warmMs = performance.now() - t0;
  timer.start();
  const losses: number[] = [];
  const t1 = performance.now();
  for (let s = 0; s < steps; s++) losses.push(await step());
  const stepMs = (performance.now() - t1) / steps;
  timer.stop();
  for (const t of Object.values(timer.times)) t.ms /= steps, t.calls /= steps;
  const memory = process.memoryUsage();
  const result = {
    model: name, size, batch, steps, warmupMs: warmMs, stepMs, imagesPerSecond: (batch * 1000) / stepMs, losses,
    rssMiB: memory.rss / 2 ** 20, kernels: timer.times,
  };
  console.log(`\n${name} ${size}x${size} batch ${batch}: ${stepMs.toFixed(0)} ms/step, ` +
    `${result.imagesPerSecond.toFixed(2)} images/s (warm-up ${warmMs.toFixed(0)} ms, rss ${result.rssMiB.toFixed(0)} MiB)`);
  console.log(timer.table(stepMs));
  tf.dispose([x, y]);
  model.dispose();
  optimizer.dispose();
  return result;
}

async function main() {
  const which = arg('model', 'both');
  const size = Number(arg('size', '256'));
  const batch = Number(arg('batch', '4'));
  const steps = Number(arg('steps', '3'));
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not start');
  let native = { ok: false, reason: 'disabled by --no-native: portable wasm kernels' } as Awaited<ReturnType<typeof loadNativeKernels>>;
  if (process.argv.includes('--no-native')) registerWasmTrainingKernels();
  else native = await loadNativeKernels();
  console.log(native.ok ? `native kernels: ${native.kernels.join(', ')}` : `native kernels off: ${native.reason}`);
  const models: ModelName[] = which === 'both' ? ['classifier', 'segmenter'] : [which as ModelName];
  const results = [];
  for (const m of models) results.push(await profileModel(m, size, batch, steps));
  const out = arg('json', '');
  if (out) writeFileSync(out, JSON.stringify({ native: native.ok, results }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
