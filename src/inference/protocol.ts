/** Messages between the page (worker-client.ts) and the inference worker (worker.ts). */
import type { RgbImage } from '../core/image';
import type { AnalyzerInit, Analysis, BackendLost, InferenceStats, LoadProgress, ModelInfo, ProbabilityFirst, ReadyInfo, SegmentResult } from './types';

export type Request =
  | { id: number; type: 'init'; init: AnalyzerInit }
  | { id: number; type: 'analyze'; image: RgbImage; forceSegment: boolean }
  | { id: number; type: 'segment'; image: RgbImage }
  | { id: number; type: 'stats' }
  /** The page no longer wants analyze request `target` (its slice was replaced on screen); no answer is sent. */
  | { id: number; type: 'cancel'; target: number }
  | { id: number; type: 'debug:lose-device' };

export type Response =
  | { id: number; ok: true; result: ReadyInfo | Analysis | SegmentResult | InferenceStats | null }
  | { id: number; ok: false; error: string }
  /** An analyze request's probability, ahead of its mask. */
  | { id: number; partial: ProbabilityFirst }
  | { id: -1; progress: LoadProgress }
  | { id: -1; status: string }
  /** A model's card (or combined.json) arrived: the page shows it even if the engine then fails. */
  | { id: -1; modelInfo: ModelInfo }
  | { id: -1; backendLost: BackendLost };
