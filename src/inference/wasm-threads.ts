/**
 * Multithreaded wasm: XNNPACK on a pthread pool, which needs SharedArrayBuffer, so the page must be
 * cross-origin isolated (COOP same-origin + COEP require-corp; `vite preview` sends both, see
 * scripts/vite/pwa-and-csp.ts). Without isolation the app keeps the single-threaded SIMD build.
 *
 * tfjs 4.22 has a bug that hangs it in any bundled app: its pthread workers import
 * `'var WasmBackendModuleThreadedSimd = ' + factory.toString()`, and the bundled, minified factory refers to a
 * name outside its own text (its wrapper's `_scriptDir`), so every worker throws "e is not defined" and
 * setBackend('wasm') never resolves. `withThreadedWasm` hands the workers the library's own unbundled glue file
 * instead, the text that `toString()` was meant to reproduce. No fork: tfjs is used as published.
 *
 * A second limit: tfjs caps its thread pool at navigator.hardwareConcurrency / 2 (it assumes two hyperthreads
 * per core), which is one thread on a 2-vCPU machine such as ours, where both vCPUs do useful work (oneDNN
 * and PyTorch scale to 2 threads here). While the module starts, hardwareConcurrency reads as twice the count
 * we want, so the cap becomes that count; tfjs reads it only then.
 */
import threadedGlue from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';
import { glueThreadPoolSize, poolWorkerConstructor } from './pthread-pool';

/** What tfjs puts in the Blob it gives the pthread workers as their main script. */
export const THREADED_MAIN_SCRIPT_PREFIX = 'var WasmBackendModuleThreadedSimd = ';

export function wasmThreadsAvailable(): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

/** Threads to ask for: every core (2 here); tfjs' default is half of them, which is one thread on this machine. */
export function wasmThreadCount(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
  return Math.max(1, Math.min(8, cores));
}

/** The parts of a Blob, with tfjs' broken main-script text replaced by the glue file. */
export function correctedBlobParts(parts: BlobPart[] | undefined, glue = threadedGlue): BlobPart[] | undefined {
  const isMainScript = parts?.length === 1 && typeof parts[0] === 'string' && parts[0].startsWith(THREADED_MAIN_SCRIPT_PREFIX);
  return isMainScript ? [glue] : parts;
}

/**
 * Runs `init` (tfjs' wasm backend start) with Blob swapped for one that corrects the workers' main script, with
 * hardwareConcurrency reading 2 x `threads`, and with Worker swapped for one that starts only `threads` of the
 * glue's pool for real (pthread-pool.ts); all are put back afterwards.
 */
export async function withThreadedWasm<T>(threads: number, init: () => Promise<T>): Promise<T> {
  const NativeBlob = globalThis.Blob;
  const NativeWorker = globalThis.Worker;
  const poolSize = glueThreadPoolSize(threadedGlue);
  if (NativeWorker && poolSize !== null) globalThis.Worker = poolWorkerConstructor(NativeWorker, poolSize, threads) as typeof Worker;
  globalThis.Blob = class extends NativeBlob {
    constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
      super(correctedBlobParts(parts), options);
    }
  };
  const nav = globalThis.navigator as Navigator | undefined;
  if (nav) Object.defineProperty(nav, 'hardwareConcurrency', { value: 2 * threads, configurable: true });
  try {
    return await init();
  } finally {
    globalThis.Blob = NativeBlob;
    if (NativeWorker) globalThis.Worker = NativeWorker;
    if (nav) delete (nav as unknown as Record<string, unknown>).hardwareConcurrency; // the prototype's getter again
  }
}
