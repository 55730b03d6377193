/**
 * Picks the fastest training backend that works here, best first, and says why each rung was taken or skipped:
 *   tfjs-node-gpu > tfjs-node > webgpu (Dawn, hardware adapter only) > native (wasm + oneDNN kernels)
 *   > wasm (+ our training kernels) > cpu (tiny tests).
 * `--backend NAME` tries only that rung (and fails loudly if it cannot run).
 */
import { UsageError } from '../cli/run-cli';
import * as tf from '@tensorflow/tfjs';

export const BACKENDS = ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'native', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendChoice {
  name: BackendName;
  /** tfjs' own backend name (tensorflow, webgpu, wasm, cpu). */
  tfBackend: string;
  reason: string;
  /** Every rung tried, with why it was skipped. */
  skipped: { name: BackendName; reason: string }[];
}

type Attempt = { ok: true; tfBackend: string; reason: string } | { ok: false; reason: string };

const message = (e: unknown) => (e instanceof Error ? e.message.split('\n')[0] : String(e));

/** Dynamic import by a computed specifier, so a module that is absent (optional dependency, unfinished sibling) is a skip, not a type error. */
async function optionalImport(specifier: string): Promise<Record<string, unknown>> {
  return (await import(/* @vite-ignore */ specifier)) as Record<string, unknown>;
}

async function activate(name: string): Promise<boolean> {
  try {
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

async function tryNode(pkg: string): Promise<Attempt> {
  try {
    await optionalImport(pkg);
  } catch (e) {
    return { ok: false, reason: `${pkg} not installed or not loadable (${message(e)})` };
  }
  if (!(await activate('tensorflow'))) return { ok: false, reason: `${pkg} loaded but the 'tensorflow' backend did not start` };
  return { ok: true, tfBackend: 'tensorflow', reason: `${pkg} (libtensorflow${pkg.endsWith('gpu') ? ' with CUDA' : ''})` };
}

async function tryWebGpu(): Promise<Attempt> {
  let gpu: { requestAdapter(o?: object): Promise<any> };
  try {
    const dawn = (await optionalImport('webgpu')) as { create(flags: string[]): any; globals?: object };
    if (dawn.globals) Object.assign(globalThis, dawn.globals);
    // LGG_DAWN_FLAGS (e.g. "backend=opengl") picks Dawn's backend; tests of the path on a CPU machine use it.
    gpu = dawn.create((process.env.LGG_DAWN_FLAGS ?? '').split(',').filter(Boolean));
  } catch (e) {
    return { ok: false, reason: `npm 'webgpu' (Dawn) not installed or not loadable (${message(e)})` };
  }
  const compat = /opengl/.test(process.env.LGG_DAWN_FLAGS ?? '');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance', ...(compat ? { featureLevel: 'compatibility' } : {}) }).catch(() => null);
  if (!adapter) return { ok: false, reason: 'Dawn found no GPU adapter' };
  const info = adapter.info ?? {};
  const software = adapter.isFallbackAdapter || /swiftshader|llvmpipe|lavapipe|software/i.test(`${info.architecture} ${info.description} ${info.device}`);
  if (software && process.env.LGG_WEBGPU_ALLOW_SOFTWARE !== '1') return { ok: false, reason: `only a software adapter (${info.description || info.architecture || 'fallback'}): slower than wasm` };
  if (compat) {
    // tfjs asks for an adapter itself, without the compatibility level OpenGL needs.
    const request = gpu.requestAdapter.bind(gpu);
    gpu.requestAdapter = (o?: object) => request({ ...o, featureLevel: 'compatibility' });
  }
  Object.defineProperty(globalThis, 'navigator', { value: { ...((globalThis as { navigator?: object }).navigator ?? {}), gpu }, configurable: true });
  try {
    // The backend registers itself on import only when navigator.gpu exists, so import it now. A bundled build
    // (cli/train-gpu.ts) hands us its own bundled copy, so that tfjs and the backend are one instance.
    const bundled = (globalThis as { __lggImportWebGpuBackend?: () => Promise<unknown> }).__lggImportWebGpuBackend;
    if (!tf.findBackendFactory('webgpu')) await (bundled ? bundled() : optionalImport('@tensorflow/tfjs-backend-webgpu'));
  } catch (e) {
    return { ok: false, reason: `@tensorflow/tfjs-backend-webgpu not loadable (${message(e)})` };
  }
  if (!(await activate('webgpu'))) return { ok: false, reason: 'tfjs webgpu backend did not start on the Dawn adapter' };
  return { ok: true, tfBackend: 'webgpu', reason: `WebGPU via Dawn on ${info.vendor ?? ''} ${info.description || info.architecture || 'hardware adapter'}`.trim() };
}

async function tryWasm(withKernels: 'native' | 'portable'): Promise<Attempt> {
  try {
    await optionalImport('@tensorflow/tfjs-backend-wasm');
  } catch (e) {
    return { ok: false, reason: `@tensorflow/tfjs-backend-wasm not loadable (${message(e)})` };
  }
  let detail: string;
  try {
    if (withKernels === 'native') {
      const native = await optionalImport(new URL('../native/index.ts', import.meta.url).href);
      const loaded = await (native.loadNativeKernels as () => Promise<{ ok: true } | { ok: false; reason: string }>)();
      if (!loaded.ok) return { ok: false, reason: `native kernels unavailable: ${loaded.reason}` };
      detail = 'wasm with native oneDNN training kernels';
    } else {
      const kernels = await optionalImport(new URL('../kernels/index.ts', import.meta.url).href);
      await (kernels.registerWasmTrainingKernels as () => unknown)();
      detail = 'wasm with portable training kernels';
    }
  } catch (e) {
    const what = withKernels === 'native' ? 'native kernels (training/src/native)' : 'wasm training kernels (training/src/kernels)';
    return { ok: false, reason: `${what} not available (${message(e)}); stock wasm cannot train convnets (no Conv2DBackpropFilter)` };
  }
  if (!(await activate('wasm'))) return { ok: false, reason: 'tfjs wasm backend did not start' };
  return { ok: true, tfBackend: 'wasm', reason: detail };
}

async function tryCpu(): Promise<Attempt> {
  if (!(await activate('cpu'))) return { ok: false, reason: 'cpu backend did not start' };
  let fixes = 'with the kernel fixes of training/src/kernels';
  try {
    const kernels = await optionalImport(new URL('../kernels/index.ts', import.meta.url).href);
    (kernels.registerCpuKernelFixes as () => void)();
  } catch (e) {
    // Stock cpu has a wrong UpSampling gradient for batch > 1 and a ~100x slow Conv2DBackpropFilter.
    fixes = `WITHOUT kernel fixes (${message(e)}): gradients of UpSampling2D are wrong for batch > 1`;
  }
  return { ok: true, tfBackend: 'cpu', reason: `plain JavaScript ${fixes} (slow: tiny tests and smoke runs only)` };
}

const RUNGS: Record<BackendName, () => Promise<Attempt>> = {
  'tfjs-node-gpu': () => tryNode('@tensorflow/tfjs-node-gpu'),
  'tfjs-node': () => tryNode('@tensorflow/tfjs-node'),
  webgpu: tryWebGpu,
  native: () => tryWasm('native'),
  wasm: () => tryWasm('portable'),
  cpu: tryCpu,
};

export async function chooseBackend(requested?: string, log: (line: string) => void = console.log): Promise<BackendChoice> {
  if (requested && !BACKENDS.includes(requested as BackendName)) throw new UsageError(`unknown backend '${requested}': choose one of ${BACKENDS.join(', ')}`);
  const rungs = requested ? [requested as BackendName] : [...BACKENDS];
  const skipped: BackendChoice['skipped'] = [];
  for (const name of rungs) {
    const a = await RUNGS[name]();
    if (a.ok) {
      // LGG_TF_FLAGS='{"WEBGPU_CPU_FORWARD":false}' sets tfjs flags for experiments without code changes.
      if (process.env.LGG_TF_FLAGS) tf.env().setFlags(JSON.parse(process.env.LGG_TF_FLAGS));
      log(`backend: ${name} - ${a.reason}${requested ? ' (--backend)' : ''}`);
      return { name, tfBackend: a.tfBackend, reason: a.reason, skipped };
    }
    skipped.push({ name, reason: a.reason });
    log(`backend: skip ${name} - ${a.reason}`);
  }
  throw new Error(`no training backend available${requested ? ` (--backend ${requested})` : ''}: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

/** A batch size each backend holds in memory at 256x256 (wasm's heap caps at 4 GiB: batch 8+ aborted there). */
export function defaultBatchSize(name: BackendName): number {
  // native: the notebook's 16 fits the 4 GiB wasm heap since the frugal backward pass, and is its fastest per image.
  return name === 'wasm' ? 4 : name === 'cpu' ? 8 : 16;
}
