/**
 * The model card written by training/ next to each exported model (`card.json`) and shown by the app.
 * One type for both sides so the app never guesses at fields.
 */
import type { BinaryScores } from './metrics';

export type ModelName = 'classifier' | 'segmenter';

export interface ClassifierTestMetrics {
  auc: number;
  /** Keyed by threshold as written: "0.5" and "0.05". */
  thresholds: Record<string, BinaryScores>;
}

export interface SegmenterTestMetrics {
  /**
   * What was scored, when it is not this model alone: the second segmenter's card holds the outline the app draws
   * (the mean of both segmenters' maps), which is what a user of the app sees.
   */
  scored?: string;
  slice_dice_mean: number;
  patient_dice_mean: number;
  iou_mean: number;
}

export interface ModelCard {
  name: ModelName;
  /** False for an architecture-only export (random weights): the app must say so and no test may trust its predictions. */
  trained: boolean;
  architecture: string;
  params: number;
  inputShape: [number, number, number];
  preprocessing: 'pixels/255' | 'per-image standardization';
  data?: {
    source: string;
    splitSeed: number;
    patients: { train: string[]; val: string[]; test: string[] };
    slices: { train: number; val: number; test: number };
  };
  training?: {
    command: string;
    epochs: number;
    bestEpoch: number;
    batchSize: number;
    backend: string;
    wallSeconds: number;
    imagesPerSecond: number;
    machine: string;
    /**
     * Set when the weights are the element-wise mean of trained models ("model soup", npm run average-weights):
     * each ingredient with the command that trained it. `epochs`/`bestEpoch` are then 0 (no training of its own).
     */
    averageOf?: { source: string; command: string; epochs: number; bestEpoch: number }[];
    /**
     * Set when the weights are the run's last epoch rather than its best validation loss (export --weights last):
     * the epoch they come from.
     */
    exportedEpoch?: number;
  };
  /** Metrics on the held-out test patients of `data.patients.test`. */
  metrics?: { test: ClassifierTestMetrics | SegmenterTestMetrics };
  /**
   * How the shards store the weights; `mixed`: uint8 for tensors of at least `uint8MinElements` elements, float16 for
   * the rest. `restoredFrom`: the stored form these were re-encoded from (`export --from-model`), when not float32.
   * `sha256`: of the weight shards' bytes concatenated in model.json's manifest order (the same digest combined.json
   * names its models by); the app refuses weights that do not match it (damaged, or a model.json of another version).
   */
  weights: { dtype: 'float32' | 'float16' | 'uint8' | 'mixed'; bytes: number; sha256?: string; uint8MinElements?: number; restoredFrom?: string };
  date: string;
  notice: string;
}

export const RESEARCH_NOTICE =
  'Research software, not a medical device. Not for diagnosis or treatment decisions.';
