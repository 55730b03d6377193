/** The one place the app gets a TumorAnalyzer: a module worker running the models from public/models. */
import { COMBINED_FILE, MODEL_FOLDERS } from '../core/model-files';
import { wasmPaths } from './wasm-paths';
import { createWorkerAnalyzer, type WorkerEvents } from './worker-client';
import { BACKEND_NAMES, type BackendName, type ModelUrls, type TumorAnalyzer } from './types';

/** Where the models are served: `<base>models/`, or VITE_MODEL_BASE at build time (a folder URL ending in /). */
export function modelUrls(pageUrl: string): ModelUrls {
  const base = new URL(import.meta.env.VITE_MODEL_BASE || `${import.meta.env.BASE_URL}models/`, pageUrl);
  return {
    classifier: new URL(`${MODEL_FOLDERS.classifier}/model.json`, base).href,
    segmenter: new URL(`${MODEL_FOLDERS.segmenter}/model.json`, base).href,
    segmenter2: new URL(`${MODEL_FOLDERS.segmenter2}/model.json`, base).href,
    combined: new URL(COMBINED_FILE, base).href,
  };
}

export function parseBackend(value: string | null | undefined): BackendName | null {
  return BACKEND_NAMES.includes(value as BackendName) ? (value as BackendName) : null;
}

/**
 * `warmUp: false` (`?warmup=0`) skips the warm-up run: a diagnostics switch for software backends such as
 * WebGPU on SwiftShader, where one run of both models takes minutes.
 */
export function createTumorAnalyzer(backend: BackendName | null, events: WorkerEvents = {}, warmUp = true): TumorAnalyzer {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'inference' });
  return createWorkerAnalyzer(worker, { models: modelUrls(location.href), backend, wasmPaths: wasmPaths(location.href), warmUp }, events);
}
