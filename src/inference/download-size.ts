/**
 * A model's download counted in bytes, for the progress shown while the models load. tfjs' own `onProgress` moves
 * only when a whole file is in (a 4 MB shard at a time), which looks stuck on a slow connection.
 */
import type { io } from './tf';
import type { LoadProgress, ModelKey } from './types';

/**
 * Bytes per stored value, as tfjs reads weights (DTYPE_VALUE_SIZE_MAP in tfjs-core's io/types.ts, which it does not
 * export); a quantized weight is stored in its quantization's dtype (io_utils.ts, getWeightBytelength).
 */
const BYTES_PER_VALUE: Record<string, number> = { float32: 4, float16: 2, int32: 4, uint16: 2, uint8: 1, bool: 1, complex64: 8 };

/**
 * The weight shards' bytes, from model.json's manifest: exact before any shard arrives, unlike Content-Length, which
 * a server may leave out or give for the compressed body. Null when the manifest cannot say (a string weight's size
 * is only in the file).
 */
export function weightsBytes(manifest: io.WeightsManifestConfig): number | null {
  let bytes = 0;
  for (const group of manifest)
    for (const weight of group.weights) {
      const perValue = BYTES_PER_VALUE[weight.quantization?.dtype ?? weight.dtype];
      if (perValue === undefined) return null;
      bytes += weight.shape.reduce((n, d) => n * d, 1) * perValue;
    }
  return bytes;
}

/** A model's whole download, from its model.json: that file's own bytes and its weights'. Null for a broken file. */
export function modelBytes(modelJson: ArrayBuffer): number | null {
  try {
    const weights = weightsBytes(JSON.parse(new TextDecoder().decode(modelJson)).weightsManifest ?? []);
    return weights === null ? null : modelJson.byteLength + weights;
  } catch {
    return null; // tfjs says what is wrong with it
  }
}

/** A shard arrives in hundreds of pieces: a few reports a second are plenty for a bar and a text. */
export const REPORT_EVERY_MS = 100;

/**
 * Counts one model's bytes and reports them: at most every REPORT_EVERY_MS while a file arrives, and always when
 * one is complete, so the last report holds the whole download.
 */
export function downloadMeter(model: ModelKey, onProgress: (p: LoadProgress) => void) {
  let receivedBytes = 0;
  let totalBytes: number | null = null;
  let reportedAt = -Infinity;
  const report = (always: boolean) => {
    const now = performance.now();
    if (!always && now - reportedAt < REPORT_EVERY_MS) return;
    reportedAt = now;
    onProgress({ model, receivedBytes, totalBytes });
  };
  return {
    received(bytes: number) {
      receivedBytes += bytes;
      report(false);
    },
    /** A file is complete; model.json's bytes, given here, say the total. */
    fileDone(modelJson?: ArrayBuffer) {
      if (modelJson) totalBytes = modelBytes(modelJson);
      report(true);
    },
  };
}
