/**
 * Multithreaded tfjs wasm in Node. tfjs 4.22 turns threads off in Node (tfjs#3830) and its bundled pthread
 * worker cannot start there; this registers the 'wasm' backend built from the package's own threaded SIMD
 * binary (wasm-out/) with a worker that Node can run (wasm-threads-worker.cjs). XNNPACK then splits convs and
 * matmuls over a pthreadpool. Call before tf.setBackend('wasm'). LGG_WASM_THREADS=1 keeps the stock
 * single-threaded backend.
 */
import * as tf from '@tensorflow/tfjs';
import * as wasmBackend from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const wasmOut = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
const factoryScript = join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js');
const workerScript = join(dirname(fileURLToPath(import.meta.url)), 'wasm-threads-worker.cjs');

type EmscriptenModule = { cwrap: (...args: unknown[]) => unknown; tfjs?: unknown };

async function instantiate(): Promise<EmscriptenModule> {
  const factory = require(factoryScript) as (config: object) => Promise<EmscriptenModule>;
  // tfjs' C++ caps its pool at logical cores / 2 (it assumes hyperthreads); these VMs report real cores.
  // Emscripten reads os.cpus() once, while the module starts: report each core twice for that moment only.
  const realCpus = os.cpus;
  os.cpus = () => [...realCpus(), ...realCpus()];
  // The pthread workers are unref'd: keep the event loop alive until they have loaded.
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    const module = await factory({
      locateFile: (file: string) => (file.endsWith('.worker.js') ? workerScript : join(wasmOut, file)),
      mainScriptUrlOrBlob: factoryScript,
    });
    module.tfjs = {
      init: module.cwrap('init', null, []),
      initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
      getThreadsCount: module.cwrap('get_threads_count', 'number', []),
      registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
      disposeData: module.cwrap('dispose_data', null, ['number']),
      dispose: module.cwrap('dispose', null, []),
    };
    return module;
  } finally {
    clearInterval(keepAlive);
    os.cpus = realCpus;
  }
}

/** Threads wanted: LGG_WASM_THREADS, else every core. */
export function wantedWasmThreads(): number {
  const fromEnv = Number(process.env.LGG_WASM_THREADS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : os.cpus().length;
}

/**
 * Makes the next tf.setBackend('wasm') start the threaded build with `threads` threads (1: leave stock).
 * Returns false when the backend was already started (too late to switch).
 */
export function useThreadedWasm(threads = wantedWasmThreads()): boolean {
  if (threads <= 1) return true;
  if (tf.engine().registry.wasm) return false;
  wasmBackend.setThreadsCount(threads);
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', async () => new wasmBackend.BackendWasm(await instantiate() as never), 2);
  return true;
}

/** Threads XNNPACK really uses on the active wasm backend (1 for the stock build). */
export function activeWasmThreads(): number {
  return wasmBackend.getThreadsCount();
}
