/// <reference lib="webworker" />
/**
 * The inference worker: backend choice, model loading, and every classify/segment call, off the main
 * thread. Uses the shared path in analyze.ts and the core's mask post-processing, so the page shows
 * exactly what training evaluates.
 */
import * as tf from './tf';
import { combinedProbability, type CombinedCard } from '../core/combined';
import { maskArea, type BinaryMask, type RgbImage } from '../core/image';
import { segmenterMasks } from '../core/mask';
import { SEGMENT_ABOVE_PROBABILITY } from '../core/thresholds';
import { classify, segmentEach, type TumorModels } from './analyze';
import { chooseBackend, fallBackToWasm } from './backend';
import { combinedMismatch } from './model-checks';
import { buildModel, buildOptionalModel, fetchCombined, fetchModel, fetchOptionalModel, loadModels, warmUp } from './models';
import type { Request, Response } from './protocol';
import type { Analysis, AnalyzerInit, InferenceStats, LoadProgress, ReadyInfo } from './types';
import type { LayersModel } from './tf';

declare const self: DedicatedWorkerGlobalScope;

let models: TumorModels | null = null;
/**
 * The models being loaded by init, each on its own: a request that arrives before its model is built waits on it
 * (or shares its error). The segmenter is built after the classifier, so a waiting slice gets its probability first.
 */
let loading: { classifier: Promise<LayersModel>; segmenter: Promise<LayersModel>; segmenter2: Promise<LayersModel | null> } | null = null;
/** combined.json (fetched with the models); null when the classifier alone decides. */
let combined: Promise<CombinedCard | null> = Promise.resolve(null);
/** A slice arrived before the models were built: it will warm them up itself, so init skips its warm-up. */
let sliceWaiting = false;
let backendName = '';
/** Set while the worker moves off a lost GPU; requests wait for it. */
let switching: Promise<void> | null = null;
const runs = { classifier: 0, segmenter: 0, segmenter2: 0 };

function post(message: Response, transfer: Transferable[] = []) {
  self.postMessage(message, transfer);
}

async function init(options: AnalyzerInit): Promise<ReadyInfo> {
  post({ id: -1, status: 'choosing a backend' });
  const t0 = performance.now();
  // The download needs no backend, so it runs while the backend (wasm compile, threads, GPU adapter) starts.
  const onProgress = (progress: LoadProgress) => post({ id: -1, progress });
  const fetching = { classifier: fetchModel('classifier', options.models.classifier, onProgress), segmenter: fetchModel('segmenter', options.models.segmenter, onProgress) };
  for (const f of [fetching.classifier, fetching.segmenter])
    f.then(
      (m) => post({ id: -1, modelInfo: { model: m.name as 'classifier' | 'segmenter', card: m.card } }),
      () => {}, // reported through `loading` below, not as an unhandled rejection
    );
  const secondFetch = fetchOptionalModel('segmenter2', options.models.segmenter2, onProgress);
  secondFetch.then((s) => post({ id: -1, modelInfo: { model: 'segmenter2', card: s.fetched?.card ?? null, note: s.note } }));
  // combined.json only fits the weights it was fitted for (named by digest): with others the classifier alone decides.
  const orNull = <T,>(p: Promise<T>) => p.catch(() => null);
  const combinedFetch = Promise.all([fetchCombined(options.models.combined), orNull(fetching.classifier), orNull(fetching.segmenter)]).then(([c, cl, seg]) => {
    const note = c.card && combinedMismatch(c.card, { classifier: cl?.sha256 ?? null, segmenter: seg?.sha256 ?? null });
    return note ? { card: null, note } : c;
  });
  combinedFetch.then((c) => post({ id: -1, modelInfo: { model: 'combined', ...c } }));
  combined = combinedFetch.then((c) => c.card);
  const choosing = chooseBackend(options.backend, options.wasmPaths);
  let backendMs = 0;
  let loadMs = 0; // the download left after the backend start, and both builds (not a waiting slice's classification)
  const classifier = choosing.then(async (backend) => {
    backendName = backend.name;
    backendMs = performance.now() - t0;
    post({ id: -1, status: `loading models (${backend.name})` });
    const model = await buildModel(await fetching.classifier);
    loadMs = performance.now() - t0 - backendMs;
    return model;
  });
  // In a later task, so that a slice already waiting is classified (its microtasks) before this build starts.
  const segmenter = classifier.then(nextTask).then(async () => {
    const t = performance.now();
    const model = await buildModel(await fetching.segmenter);
    loadMs += performance.now() - t;
    return model;
  });
  const segmenter2 = segmenter.then(async () => {
    const t = performance.now();
    const { fetched } = await secondFetch;
    const built = await buildOptionalModel(fetched);
    if (built.note) post({ id: -1, modelInfo: { model: 'segmenter2', card: fetched?.card ?? null, note: built.note } });
    loadMs += performance.now() - t;
    return built.model;
  });
  loading = { classifier, segmenter, segmenter2 };
  // combined.json too, so that once ready the page knows which probability it shows (it came as a modelInfo event).
  const [backend, classifierModel, segmenterModel, segmenter2Model] = await Promise.all([choosing, classifier, segmenter, segmenter2, combined]);
  const built = { classifier: classifierModel, segmenter: segmenterModel, segmenter2: segmenter2Model };
  models = built;
  const t1 = performance.now();
  let warmed = 0;
  if (options.warmUp) {
    post({ id: -1, status: sliceWaiting ? 'analyzing the first slice (it warms the models up)' : 'warming up' });
    warmed = await warmUp(built, () => sliceWaiting);
  }
  if (backend.name === 'webgpu') watchDevice(options);
  const modelCount = built.segmenter2 ? 3 : 2;
  const warmUpState = !options.warmUp ? 'off' : warmed === modelCount ? 'done' : warmed > 0 ? 'partial' : 'skipped';
  return {
    backend,
    backendMs,
    loadMs,
    warmupMs: warmed > 0 ? performance.now() - t1 : 0,
    warmUp: warmUpState,
  };
}

interface GpuDeviceLike {
  lost: Promise<{ reason?: string; message?: string }>;
  destroy(): void;
}
const gpuDevice = (): GpuDeviceLike | null => (tf.getBackend() === 'webgpu' ? ((tf.backend() as unknown as { device?: GpuDeviceLike }).device ?? null) : null);

/** Counts the moves off a lost GPU: a request that started before one and failed is run again after it. */
let backendGeneration = 0;
/** Resolves when the watched GPU device is lost (null off WebGPU). */
let deviceLost: Promise<true> | null = null;

/** A lost GPU (driver reset, sleep, another tab's crash) ends WebGPU for good: move to wasm and reload the models. */
function watchDevice(options: AnalyzerInit): void {
  const device = gpuDevice();
  if (!device) return;
  device.lost.then((info) => {
    backendGeneration++;
    deviceLost = null; // wasm from here on: later failures are no GPU's
    const reason = [info?.reason, info?.message].filter(Boolean).join(': ') || 'unknown reason';
    switching = switchToWasm(options, reason).finally(() => (switching = null));
  });
  deviceLost = device.lost.then(() => true);
}

/**
 * Whether a request that failed had met a GPU lost under it: its readback fails ("Device was lost before mapping was
 * resolved") before the device's `lost` promise is seen, so a short wait tells. Waits for the move to wasm.
 */
async function movedOffLostGpu(startedOn: number): Promise<boolean> {
  if (backendGeneration === startedOn) {
    if (!deviceLost) return false;
    const lost = await Promise.race([deviceLost, new Promise<false>((resolve) => setTimeout(() => resolve(false), 1000))]);
    if (!lost) return false;
  }
  await switching;
  return models !== null;
}

async function switchToWasm(options: AnalyzerInit, reason: string): Promise<void> {
  try {
    models?.classifier.dispose();
    models?.segmenter.dispose();
    models?.segmenter2?.dispose();
  } catch {
    // the GPU buffers are gone with the device
  }
  models = null;
  loading = null; // its models were on the lost device
  try {
    const backend = await fallBackToWasm(options.wasmPaths);
    backendName = backend.name;
    // Cached by the browser / service worker, so no second download.
    models = (await loadModels(options.models, () => {})).models;
    post({ id: -1, backendLost: { reason, backend, error: null } });
  } catch (e) {
    post({ id: -1, backendLost: { reason, backend: null, error: (e as Error).message || String(e) } });
  }
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function requireModel<K extends keyof TumorModels>(name: K): Promise<TumorModels[K]> {
  if (models) return models[name];
  if (!loading) throw new Error('the models are not loaded yet');
  sliceWaiting = true;
  return loading[name] as Promise<TumorModels[K]>;
}

/**
 * Both segmenters' outline and the first one's mask area (what the combined probability reads), with their
 * inference time (not counting a wait for the models to be built).
 */
async function runSegmenters(image: RgbImage): Promise<{ mask: BinaryMask; decisionArea: number; segmenters: number; ms: number }> {
  const segmenter = await requireModel('segmenter');
  const second = await requireModel('segmenter2');
  const t0 = performance.now();
  const maps = (await segmentEach(second ? [segmenter, second] : [segmenter], [image])).map(([map]) => map);
  runs.segmenter++;
  if (second) runs.segmenter2++;
  const { decisionMask, outline } = segmenterMasks(maps, image.width, image.height);
  return { mask: outline, decisionArea: maskArea(decisionMask), segmenters: maps.length, ms: performance.now() - t0 };
}

/** Ids of analyze requests the page withdrew: skipped before each model run (the page no longer waits for them). */
const cancelled = new Set<number>();
function stopIfCancelled(id: number): void {
  if (cancelled.delete(id)) throw new Error('cancelled: another slice replaced this one');
}

/**
 * Classifies, and segments when needed; the classifier's probability is posted ahead of the mask (`partial`) when
 * one follows. With a combined probability every slice is segmented: the mask's area is half of its evidence.
 */
async function analyze(id: number, image: RgbImage, forceSegment: boolean): Promise<Analysis> {
  stopIfCancelled(id);
  const classifier = await requireModel('classifier');
  stopIfCancelled(id);
  const t0 = performance.now();
  const [probability] = await classify(classifier, [image]);
  runs.classifier++;
  const classifyMs = performance.now() - t0;
  const weights = (await combined)?.weights ?? null;
  if (!weights && !forceSegment && probability < SEGMENT_ABOVE_PROBABILITY) {
    return { probability, classifierProbability: probability, combined: false, segmentation: null, segmenters: 0, timings: { classifyMs, segmentMs: null, totalMs: classifyMs } };
  }
  post({ id, partial: { probability, classifyMs, combinedFollows: weights !== null } });
  stopIfCancelled(id);
  const { mask, decisionArea, segmenters, ms } = await runSegmenters(image);
  return {
    probability: weights ? combinedProbability(probability, decisionArea, weights) : probability,
    classifierProbability: probability,
    combined: weights !== null,
    segmentation: mask,
    segmenters,
    decisionArea,
    timings: { classifyMs, segmentMs: ms, totalMs: performance.now() - t0 },
  };
}

function stats(): InferenceStats {
  const m = tf.memory();
  return { classifierRuns: runs.classifier, segmenterRuns: runs.segmenter, segmenter2Runs: runs.segmenter2, numTensors: m.numTensors, numBytes: m.numBytes, backend: backendName };
}

self.onmessage = async (event: MessageEvent<Request>) => {
  const req = event.data;
  const startedOn = backendGeneration;
  try {
    await handle(req);
  } catch (e) {
    // A slice in flight (or sent just before the loss was seen) when the GPU was lost runs again on wasm, once, instead
    // of failing with a WebGPU error the user can do nothing about.
    if ((req.type === 'analyze' || req.type === 'segment') && (await movedOffLostGpu(startedOn))) {
      try {
        await handle(req);
        return;
      } catch (again) {
        e = again;
      }
    }
    post({ id: req.id, ok: false, error: (e as Error).message || String(e) });
  }
};

async function handle(req: Request): Promise<void> {
  if (switching && req.type !== 'init') await switching;
  if (req.type === 'init') post({ id: req.id, ok: true, result: await init(req.init) });
  else if (req.type === 'cancel') {
    cancelled.add(req.target);
    return;
  } else if (req.type === 'analyze') {
    // One task's pause, so cancels the page sent after this request (the user dropped other slices meanwhile) are
    // read first: with wasm a whole analysis runs without yielding, and 6 quick drops ran 6 analyses in a row.
    await nextTask();
    const result = await analyze(req.id, req.image, req.forceSegment);
    post({ id: req.id, ok: true, result }, result.segmentation ? [result.segmentation.data.buffer] : []);
  } else if (req.type === 'segment') {
    const { mask, segmenters } = await runSegmenters(req.image);
    post({ id: req.id, ok: true, result: { mask, segmenters } }, [mask.data.buffer]);
  } else if (req.type === 'stats') post({ id: req.id, ok: true, result: stats() });
  else if (req.type === 'debug:lose-device') {
    gpuDevice()?.destroy();
    post({ id: req.id, ok: true, result: null });
  }
}
