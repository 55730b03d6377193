/**
 * The training pack: the decoded slices a GPU machine without a registry trains on (training/gpu/), small enough
 * to travel (the device tool moves at most 64 MiB per call, so the pack is cut into parts).
 *
 * Images are stored planar (C, H, W) as a 2-D difference residual mod 256:
 *   r[y][x] = a[y][x] - a[y][x-1] - a[y-1][x] + a[y-1][x-1]   (outside the image reads 0)
 * which xz compresses ~22% better than the raw TIFFs and a reader inverts exactly with two cumulative sums
 * (numpy: cumsum over H then over W, dtype uint8). Masks are 0/1 bits, most significant bit first (np.packbits).
 * Lossless: the decoded pixels are the ones src/io decodes for training and for the app.
 */
import { IMAGE_CHANNELS } from '../../../src/core/constants';
import { classifierInput, segmenterInput } from '../../../src/core/preprocess';

export const PACK_VERSION = 1;

/** a[y][x-1] + a[y-1][x] - a[y-1][x-1] around interleaved index i (outside the image reads 0). */
function gradientPrediction(img: Uint8Array, i: number, y: number, x: number, rowStride: number, channels: number): number {
  const left = x > 0 ? img[i - channels] : 0;
  const up = y > 0 ? img[i - rowStride] : 0;
  const upLeft = x > 0 && y > 0 ? img[i - rowStride - channels] : 0;
  return left + up - upLeft;
}

/**
 * Visits every sample channel by channel in raster order (decoding needs the left and upper neighbours first),
 * with its planar (C, H, W) and interleaved (H, W, C) index.
 */
function forEachSample(size: number, channels: number, visit: (planar: number, interleaved: number, y: number, x: number) => void): void {
  for (let c = 0; c < channels; c++)
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) visit((c * size + y) * size + x, (y * size + x) * channels + c, y, x);
}

/** Interleaved RGB (H, W, C) -> planar residual (C, H, W). */
export function encodeImageResidual(rgb: Uint8Array, size: number, channels = IMAGE_CHANNELS): Uint8Array {
  const out = new Uint8Array(rgb.length);
  forEachSample(size, channels, (p, i, y, x) => (out[p] = (rgb[i] - gradientPrediction(rgb, i, y, x, size * channels, channels)) & 0xff));
  return out;
}

/** The inverse of encodeImageResidual, back to interleaved RGB (what the Python reader does with cumsum). */
export function decodeImageResidual(residual: Uint8Array, size: number, channels = IMAGE_CHANNELS): Uint8Array {
  const out = new Uint8Array(residual.length);
  forEachSample(size, channels, (p, i, y, x) => (out[i] = (residual[p] + gradientPrediction(out, i, y, x, size * channels, channels)) & 0xff));
  return out;
}

/** 0/1 bytes -> bits, MSB first (np.packbits' default order); length rounded up to whole bytes. */
export function packBits(bits: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i]) out[i >> 3] |= 0x80 >> (i & 7);
  return out;
}

export function unpackBits(packed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (packed[i >> 3] >> (7 - (i & 7))) & 1;
  return out;
}

/**
 * Reference values of src/core's two preprocessings for one slice, so the GPU trainer can prove that its own
 * (numpy) preprocessing gives the same numbers before it trains: the one place the preprocessing is repeated
 * outside src/core, checked rather than trusted. Positions are in interleaved (H, W, C) order.
 */
export interface PreprocessProbe {
  slice: number;
  positions: number[];
  classifier: number[];
  segmenter: number[];
}

export function preprocessProbe(slice: number, rgb: Uint8Array, size: number, positions: number[]): PreprocessProbe {
  const image = { width: size, height: size, data: rgb };
  const cls = classifierInput(image);
  const seg = segmenterInput(image);
  return { slice, positions, classifier: positions.map((p) => cls[p]), segmenter: positions.map((p) => seg[p]) };
}
