/**
 * Model input preprocessing: the single definition used by the app and by training.
 * Changing either function changes what the shipped weights expect, so retrain with it.
 */
import type { RgbImage } from './image';

/** Classifier input: pixels / 255, HWC float32 (the notebook's ImageDataGenerator rescale). */
export function classifierInput(image: RgbImage): Float32Array {
  const out = new Float32Array(image.data.length);
  for (let i = 0; i < out.length; i++) out[i] = image.data[i] / 255;
  return out;
}

/**
 * Segmenter input: per-image standardization over all pixels and channels,
 * (x - mean) / std, as the notebook's data generator does. A constant image
 * (std 0) would divide by zero; like tf.image.per_image_standardization we
 * floor std at 1/sqrt(N), which maps it to all zeros.
 */
export function segmenterInput(image: RgbImage): Float32Array {
  const n = image.data.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += image.data[i];
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const d = image.data[i] - mean;
    sq += d * d;
  }
  const std = Math.max(Math.sqrt(sq / n), 1 / Math.sqrt(n));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (image.data[i] - mean) / std;
  return out;
}
