/** The app's view of the models: one interface, whatever runs behind it (a Web Worker in the browser). */
import type { BinaryMask, RgbImage } from '../core/image';
import type { ModelCard } from '../core/card';
import type { CombinedCard } from '../core/combined';

export type BackendName = 'webgpu' | 'wasm' | 'webgl' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'wasm', 'webgl', 'cpu'];

export interface BackendInfo {
  name: BackendName;
  /** Why this backend runs, in words for the user. */
  reason: string;
  /** What was tried before it and why it was not used. */
  skipped: string[];
}

export interface LoadProgress {
  model: 'classifier' | 'segmenter';
  /** 0..1 of this model's download. */
  fraction: number;
}

export interface ModelUrls {
  classifier: string;
  segmenter: string;
  /** combined.json: the weights joining the two models' outputs into one probability (src/core/combined.ts). */
  combined: string;
}

export interface AnalyzerInit {
  /** Absolute URLs of the two model.json files (card.json lies beside each). */
  models: ModelUrls;
  /** A backend the user asked for (query or setting), or null for the automatic choice. */
  backend: BackendName | null;
  /** Absolute URLs of the tfjs wasm binaries. */
  wasmPaths: Record<string, string>;
  /** Run each model once before the first slice (default). Off only for diagnostics on very slow backends. */
  warmUp: boolean;
}

/** The engine is up. The models' cards and combined.json came before, as `ModelInfo` events. */
export interface ReadyInfo {
  backend: BackendInfo;
  /** Start of init to a working backend. */
  backendMs: number;
  /**
   * Backend ready to both models built (their download started with the backend, so part of it is hidden), not
   * counting a waiting slice's classification between the two builds.
   */
  loadMs: number;
  warmupMs: number;
  /**
   * 'skipped': a slice was already waiting, and its own analysis warmed the models; 'partial': it arrived
   * after the classifier's warm-up run, so only the segmenter was left to it.
   */
  warmUp: 'done' | 'partial' | 'skipped' | 'off';
}

export interface Analysis {
  /** What the app shows and decides on: the combined probability when it could be computed, else the classifier's. */
  probability: number;
  classifierProbability: number;
  /** True when `probability` is the combined one (classifier and the mask's area). */
  combined: boolean;
  /** On the classifier's early answer only: the combined probability replaces it once the mask is in. */
  combinedFollows?: boolean;
  /** The post-processed segmenter mask, or null when the segmenter was not run for this slice. */
  segmentation: BinaryMask | null;
  timings: { classifyMs: number; segmentMs: number | null; totalMs: number };
}

/** The classifier's answer, sent ahead of the mask when the segmenter runs after it. */
export interface ProbabilityFirst {
  probability: number;
  classifyMs: number;
  /** A combined probability (classifier and mask area) will replace this one with the mask. */
  combinedFollows: boolean;
}

/** What the page can show about the models as soon as their files are in, before (or without) a working engine. */
export type ModelInfo =
  | { model: 'classifier' | 'segmenter'; card: ModelCard | null }
  | { model: 'combined'; card: CombinedCard | null; note: string | null };

/** The WebGPU device was lost; the worker moved to `backend` (null when that failed too, see `error`). */
export interface BackendLost {
  reason: string;
  backend: BackendInfo | null;
  error: string | null;
}

export interface InferenceStats {
  classifierRuns: number;
  segmenterRuns: number;
  numTensors: number;
  numBytes: number;
  backend: string;
}

export interface TumorAnalyzer {
  ready: Promise<ReadyInfo>;
  /**
   * Classifies; segments too when there is a combined probability (it needs the mask's area), when the probability
   * reaches SEGMENT_ABOVE_PROBABILITY, or with `forceSegment`; and then hands the classifier's probability to
   * `onProbability` as soon as it is known, before the mask.
   */
  analyze(image: RgbImage, options?: { forceSegment?: boolean; onProbability?: (first: ProbabilityFirst) => void }): Promise<Analysis>;
  /** Runs only the segmenter (on demand, e.g. for a slice below the lowest preset). */
  segment(image: RgbImage): Promise<BinaryMask>;
  stats(): Promise<InferenceStats>;
  /** Test hook: destroys the WebGPU device, as a driver reset would (no-op on other backends). */
  loseDevice?(): Promise<void>;
  dispose(): void;
}
