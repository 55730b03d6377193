/** Convolution geometry shared by the conv gradient kernels (NHWC only, as tfjs-layers uses). */
import * as tf from '@tensorflow/tfjs';

export type ConvAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: number | [number, number];
};

export function convInfoFor(xShape: number[], filterShape: number[], attrs: ConvAttrs): tf.backend_util.Conv2DInfo {
  if (attrs.dataFormat === 'NCHW') throw new Error('conv gradient kernels support NHWC only');
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

/**
 * Fills rows [k0, k1) of the transposed im2col matrix: row k = (kh, kw, ci) in filter order, column m = (b, oy, ox).
 * Offsets are in floats. `planes` is x transposed to [C, N, H, W] so every row copy reads and writes contiguous runs.
 */
export function fillColumnsTransposed(
  planes: Float32Array, planesOffset: number, cols: Float32Array, colsOffset: number,
  info: tf.backend_util.Conv2DInfo, k0: number, k1: number,
): void {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, filterWidth: kwSize } = info;
  const pt = info.padInfo.top, pl = info.padInfo.left;
  const m = n * oh * ow;
  const sameBuffer = planes === cols; // one heap view: copyWithin is a plain memmove
  for (let k = k0; k < k1; k++) {
    const ci = k % c, kw = Math.floor(k / c) % kwSize, kh = Math.floor(k / (c * kwSize));
    const rowBase = colsOffset + (k - k0) * m;
    // ox range whose input column ix = ox*sw + kw*dw - pl lies inside [0, w)
    const shiftX = kw * dw - pl;
    const oxStart = Math.max(0, Math.ceil(-shiftX / sw));
    const oxEnd = Math.min(ow, Math.floor((w - 1 - shiftX) / sw) + 1);
    for (let b = 0; b < n; b++) {
      const plane = planesOffset + (ci * n + b) * h * w;
      for (let oy = 0; oy < oh; oy++) {
        const dst = rowBase + (b * oh + oy) * ow;
        const iy = oy * sh + kh * dh - pt;
        if (iy < 0 || iy >= h || oxEnd <= oxStart) { cols.fill(0, dst, dst + ow); continue; }
        if (oxStart > 0) cols.fill(0, dst, dst + oxStart);
        if (oxEnd < ow) cols.fill(0, dst + oxEnd, dst + ow);
        const src = plane + iy * w + oxStart * sw + shiftX;
        if (sw === 1 && sameBuffer) {
          cols.copyWithin(dst + oxStart, src, src + (oxEnd - oxStart));
        } else if (sw === 1) {
          cols.set(planes.subarray(src, src + (oxEnd - oxStart)), dst + oxStart);
        } else {
          for (let ox = oxStart, s = src; ox < oxEnd; ox++, s += sw) cols[dst + ox] = planes[s];
        }
      }
    }
  }
}

/** Largest im2col chunk in floats (64 MiB): bounds the extra memory a filter-gradient step needs (4 GiB wasm cap). */
const MAX_COLUMN_FLOATS = 16 * 1024 * 1024;

/** The row ranges [k0, k1) in which a K x M transposed im2col is built and multiplied, each within MAX_COLUMN_FLOATS. */
export function columnChunks(k: number, m: number): [number, number][] {
  const rows = Math.max(1, Math.min(k, Math.floor(MAX_COLUMN_FLOATS / m)));
  const chunks: [number, number][] = [];
  for (let k0 = 0; k0 < k; k0 += rows) chunks.push([k0, Math.min(k, k0 + rows)]);
  return chunks;
}
