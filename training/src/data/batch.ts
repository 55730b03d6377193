/** Model inputs and targets for a batch of rows, preprocessed only through src/core/preprocess.ts. */
import * as tf from '@tensorflow/tfjs';
import type { ModelName } from '../../../src/core/card';
import { IMAGE_CHANNELS } from '../../../src/core/constants';
import { classifierInput, segmenterInput } from '../../../src/core/preprocess';
import { applyJitter, type ChannelJitter } from './intensity';
import type { SliceSet } from './load';

export interface BatchOptions {
  /** Per row: mirror left-right (image and mask together). */
  flips?: boolean[];
  /** Per row: a per-channel gamma and gain (intensity.ts), or null for none. */
  jitters?: (ChannelJitter | null)[];
}

function mirrorRows(src: Uint8Array, size: number, channels: number): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * channels;
      const to = (y * size + (size - 1 - x)) * channels;
      for (let c = 0; c < channels; c++) out[to + c] = src[from + c];
    }
  return out;
}

export function makeBatch(set: SliceSet, rows: number[], model: ModelName, o: BatchOptions = {}): { x: tf.Tensor4D; y: tf.Tensor } {
  const s = set.size;
  const imgLen = s * s * IMAGE_CHANNELS;
  const x = new Float32Array(rows.length * imgLen);
  const toInput = model === 'classifier' ? classifierInput : segmenterInput;
  const y = model === 'classifier' ? new Float32Array(rows.length) : new Float32Array(rows.length * s * s);
  rows.forEach((row, i) => {
    const flip = o.flips?.[i] ?? false;
    let pixels = set.images.subarray(row * imgLen, (row + 1) * imgLen);
    if (flip) pixels = mirrorRows(pixels, s, IMAGE_CHANNELS);
    const jitter = o.jitters?.[i];
    if (jitter) pixels = applyJitter(pixels, jitter);
    x.set(toInput({ width: s, height: s, data: pixels }), i * imgLen);
    if (model === 'classifier') y[i] = set.labels[row];
    else {
      let mask = set.masks.subarray(row * s * s, (row + 1) * s * s);
      if (flip) mask = mirrorRows(mask, s, 1);
      for (let k = 0; k < mask.length; k++) y[i * s * s + k] = mask[k];
    }
  });
  return {
    x: tf.tensor4d(x, [rows.length, s, s, IMAGE_CHANNELS]),
    y: model === 'classifier' ? tf.tensor2d(y, [rows.length, 1]) : tf.tensor4d(y, [rows.length, s, s, 1]),
  };
}
