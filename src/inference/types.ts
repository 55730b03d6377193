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

/**
 * The models the app downloads. `segmenter2` is optional: a second ResUNet whose map is averaged with the first's
 * for the outline drawn; the first segmenter's own mask alone feeds the combined probability (combined.json was
 * fitted on it). Without it the first segmenter draws alone.
 */
export type ModelKey = 'classifier' | 'segmenter' | 'segmenter2';

/** One model's download so far: its files' bytes (model.json and weight shards), as they arrive. */
export interface DownloadBytes {
  receivedBytes: number;
  /** All of them: known once model.json has arrived (its own bytes and those its weights manifest lists), null before. */
  totalBytes: number | null;
}

export interface LoadProgress extends DownloadBytes {
  model: ModelKey;
}

export interface ModelUrls {
  classifier: string;
  segmenter: string;
  /** The second segmenter's model.json (optional: a missing one leaves the first segmenter drawing alone). */
  segmenter2: string;
  /** combined.json: the weights joining the two models' outputs into one probability (src/core/combined.ts). */
  combined: string;
}

export interface AnalyzerInit {
  /** Absolute URLs of the model.json files (card.json lies beside each) and of combined.json. */
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
  /**
   * The outline drawn: the post-processed mean of the segmenters' maps (the first one's mask alone when there is no
   * second segmenter), or null when no segmenter was run for this slice.
   */
  segmentation: BinaryMask | null;
  /** How many segmenters' maps the outline averages (0 when none ran). */
  segmenters: number;
  /**
   * The area in pixels of the first segmenter's own mask: what the combined probability reads (it was fitted on that
   * segmenter), which differs from the outline's when a second segmenter draws too. Absent when no segmenter ran.
   */
  decisionArea?: number;
  timings: { classifyMs: number; segmentMs: number | null; totalMs: number };
}

/** An on-demand segmentation: the outline and how many segmenters' maps it averages. */
export interface SegmentResult {
  mask: BinaryMask;
  segmenters: number;
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
  /** `note` says why there is no second segmenter (null when it loaded). */
  | { model: 'segmenter2'; card: ModelCard | null; note: string | null }
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
  /** Runs of the second segmenter (one per segmenter run when it is loaded). */
  segmenter2Runs: number;
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
  analyze(image: RgbImage, options?: { forceSegment?: boolean; onProbability?: (first: ProbabilityFirst) => void; signal?: AbortSignal }): Promise<Analysis>;
  /** Runs only the segmenter (on demand, e.g. for a slice below the lowest preset). */
  segment(image: RgbImage): Promise<SegmentResult>;
  stats(): Promise<InferenceStats>;
  /** Test hook: destroys the WebGPU device, as a driver reset would (no-op on other backends). */
  loseDevice?(): Promise<void>;
  dispose(): void;
}
