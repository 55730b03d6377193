/**
 * Picking the tfjs backend. WebGPU only on a hardware adapter: a software fallback (SwiftShader) was
 * measured ~100x slower than wasm here. A failed setBackend can leave tfjs naming a backend whose ops
 * throw, so every attempt is checked with a tiny op and the next candidate is set explicitly.
 */
import * as tf from './tf';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendInfo, BackendName } from './types';
import { wasmThreadCount, wasmThreadsAvailable, withThreadedWasm } from './wasm-threads';

const SET_BACKEND_TIMEOUT_MS = 60_000;

/** The few WebGPU fields we read (kept local so the app does not depend on @webgpu/types). */
interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string };
}
interface GpuLike {
  requestAdapter(): Promise<AdapterLike | null>;
}

/** Whether WebGPU has a real GPU behind it; the reason in words either way. */
export async function probeWebGpu(): Promise<{ hardware: boolean; reason: string }> {
  const gpu = typeof navigator === 'undefined' ? undefined : (navigator as unknown as { gpu?: GpuLike }).gpu;
  if (!gpu) return { hardware: false, reason: 'WebGPU is not available in this browser' };
  let adapter: AdapterLike | null = null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (e) {
    return { hardware: false, reason: `WebGPU adapter request failed (${(e as Error).message})` };
  }
  if (!adapter) return { hardware: false, reason: 'no WebGPU adapter (no usable GPU)' };
  const info = adapter.info;
  if (adapter.isFallbackAdapter === true || info?.architecture === 'swiftshader')
    return { hardware: false, reason: `WebGPU adapter is a software fallback (${info?.architecture || 'fallback'}), far slower than wasm` };
  return { hardware: true, reason: `hardware GPU adapter (${[info?.vendor, info?.architecture].filter(Boolean).join(' ') || 'unknown'})` };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
    p.then((v) => (clearTimeout(timer), resolve(v)), (e) => (clearTimeout(timer), reject(e)));
  });
}

async function registerBackend(name: BackendName, wasmPaths: Record<string, string>): Promise<void> {
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  if (name === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
  if (name === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
  if (name === 'wasm') {
    // Threads only where SharedArrayBuffer exists (cross-origin isolated); tfjs' own probe does not check that.
    const threads = wasmThreadsAvailable();
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads);
    if (threads) setThreadsCount(wasmThreadCount());
    setWasmPaths(wasmPaths);
  }
}

/** tfjs' setBackend, with the threaded-wasm fixes (wasm-threads.ts) where threads are used. */
function startBackend(name: BackendName): Promise<boolean> {
  return name === 'wasm' && wasmThreadsAvailable() ? withThreadedWasm(wasmThreadCount(), () => tf.setBackend(name)) : tf.setBackend(name);
}

/** Why wasm, in words, once it started: threaded or not, and why not. */
export function wasmReason(): string {
  if (!wasmThreadsAvailable()) return 'WebAssembly with SIMD, single thread (the page is not cross-origin isolated, so no shared memory for threads)';
  try {
    return `WebAssembly with SIMD on ${getThreadsCount()} threads`;
  } catch {
    return 'WebAssembly with SIMD, threads requested'; // getThreadsCount throws before the backend started
  }
}

/** Sets `name` and proves it works; returns null on success or the reason it failed. */
async function trySet(name: BackendName, wasmPaths: Record<string, string>): Promise<string | null> {
  try {
    await registerBackend(name, wasmPaths);
    const ok = await withTimeout(startBackend(name), SET_BACKEND_TIMEOUT_MS, `setBackend('${name}')`);
    if (!ok || tf.getBackend() !== name) return `${name} failed to initialise`;
    const probe = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)));
    const value = (await probe.data())[0];
    probe.dispose();
    if (value !== 3) return `${name} computed 1 + 2 = ${value}`;
    return null;
  } catch (e) {
    return `${name} failed (${(e as Error).message})`;
  }
}

/**
 * Order: the requested backend first, then WebGPU (hardware only), wasm, WebGL, cpu.
 * Always ends on a working backend or throws.
 */
export async function chooseBackend(requested: BackendName | null, wasmPaths: Record<string, string>): Promise<BackendInfo> {
  const skipped: string[] = [];
  const candidates: { name: BackendName; reason: string }[] = [];
  if (requested) candidates.push({ name: requested, reason: 'requested (?backend= in the address or the Backend setting)' });
  if (requested !== 'webgpu') {
    const gpu = await probeWebGpu();
    if (gpu.hardware) candidates.push({ name: 'webgpu', reason: `WebGPU on a ${gpu.reason}` });
    else skipped.push(`webgpu: ${gpu.reason}`);
  }
  const fallbackReason = (n: BackendName) =>
    n === 'wasm' ? 'the fastest choice without a hardware GPU' : 'the faster backends were not available';
  for (const n of ['wasm', 'webgl', 'cpu'] as const) candidates.push({ name: n, reason: fallbackReason(n) });

  const tried = new Set<BackendName>();
  for (const c of candidates) {
    if (tried.has(c.name)) continue;
    tried.add(c.name);
    const failure = await trySet(c.name, wasmPaths);
    // wasm's reason is known only once it started (the thread count).
    if (failure === null) {
      const reason = c.name !== 'wasm' ? c.reason : c.name === requested ? `${c.reason}; ${wasmReason()}` : `${wasmReason()}, ${c.reason}`;
      return { name: c.name, reason, skipped };
    }
    skipped.push(failure);
  }
  throw new Error(`no tfjs backend works here: ${skipped.join('; ')}`);
}

/** After a WebGPU device loss: wasm, checked like any other choice; throws with the reason when it fails. */
export async function fallBackToWasm(wasmPaths: Record<string, string>): Promise<BackendInfo> {
  const failure = await trySet('wasm', wasmPaths);
  if (failure) throw new Error(failure);
  return { name: 'wasm', reason: `${wasmReason()}, after the GPU was lost`, skipped: [] };
}
