/** TumorAnalyzer over the inference worker: request ids, promises, progress events. */
import type { RgbImage } from '../core/image';
import type { Request, Response } from './protocol';
import type { Analysis, AnalyzerInit, BackendLost, InferenceStats, LoadProgress, ModelInfo, ProbabilityFirst, ReadyInfo, SegmentResult, TumorAnalyzer } from './types';

type Pending = { resolve: (v: never) => void; reject: (e: Error) => void; onPartial?: (first: ProbabilityFirst) => void };
type Body<T> = T extends unknown ? Omit<T, 'id'> : never;

export interface WorkerEvents {
  onProgress?: (p: LoadProgress) => void;
  onStatus?: (s: string) => void;
  /** A model's card or the combined probability's file arrived (before `ready`, and even when init then fails). */
  onModelInfo?: (info: ModelInfo) => void;
  /** The GPU was lost and the worker has moved to another backend (models reloaded). */
  onBackendLost?: (lost: BackendLost) => void;
}

export function createWorkerAnalyzer(worker: Worker, init: AnalyzerInit, events: WorkerEvents = {}): TumorAnalyzer {
  let nextId = 1;
  const pending = new Map<number, Pending>();
  let dead: Error | null = null;

  const failAll = (error: Error) => {
    dead = error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.onmessage = (event: MessageEvent<Response>) => {
    const msg = event.data;
    if ('progress' in msg) return events.onProgress?.(msg.progress);
    if ('status' in msg) return events.onStatus?.(msg.status);
    if ('modelInfo' in msg) return events.onModelInfo?.(msg.modelInfo);
    if ('backendLost' in msg) return events.onBackendLost?.(msg.backendLost);
    const p = pending.get(msg.id);
    if (!p) return;
    if ('partial' in msg) return p.onPartial?.(msg.partial);
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result as never);
    else p.reject(new Error(msg.error));
  };
  worker.onerror = (event) => failAll(new Error(`the inference worker crashed: ${event.message || 'unknown error'}`));

  /**
   * One request and its answer. `signal`: the page withdrew it (another slice took the screen): it stops waiting at
   * once, and the worker skips whatever of it has not started.
   */
  function call<T>(body: Body<Request>, transfer: Transferable[] = [], onPartial?: Pending['onPartial'], signal?: AbortSignal): Promise<T> {
    if (dead) return Promise.reject(dead);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: never) => void, reject, onPartial });
      worker.postMessage({ ...body, id } as Request, transfer);
      signal?.addEventListener('abort', () => {
        if (!pending.delete(id)) return; // already answered
        worker.postMessage({ type: 'cancel', id: 0, target: id } as Request);
        reject(signal.reason);
      }, { once: true });
    });
  }
  // Copies, so the page keeps its own image while the worker owns the transferred one.
  const copy = (image: RgbImage): RgbImage => ({ width: image.width, height: image.height, data: image.data.slice() });

  return {
    ready: call<ReadyInfo>({ type: 'init', init }),
    analyze(image, options) {
      const img = copy(image);
      return call<Analysis>({ type: 'analyze', image: img, forceSegment: options?.forceSegment ?? false }, [img.data.buffer], options?.onProbability, options?.signal);
    },
    segment(image) {
      const img = copy(image);
      return call<SegmentResult>({ type: 'segment', image: img }, [img.data.buffer]);
    },
    stats: () => call<InferenceStats>({ type: 'stats' }),
    loseDevice: () => call<void>({ type: 'debug:lose-device' }),
    dispose() {
      failAll(new Error('the analyzer was closed'));
      worker.terminate();
    },
  };
}
