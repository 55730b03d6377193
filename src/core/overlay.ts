/**
 * The picture drawn for a slice, in the viewer and in training's evaluation report: the MRI (RGB or one sequence as
 * gray) with the predicted mask in green, the ground truth in red and their overlap in yellow, blended at the chosen
 * opacity, each region outlined opaque (so a green prediction stays distinct from the FLAIR channel, which is green
 * in the RGB view): the prediction's outline unbroken in its colour, the truth's dashed in its colour and a dark shade
 * of it, so the two differ for a reader who cannot tell green from red. Pure, so the colours are testable without a
 * browser.
 */
import { CHANNEL_NAMES, type ChannelName } from './constants';
import type { BinaryMask, RgbImage } from './image';

/** The slice as RGB (the three sequences stacked) or one sequence in gray. */
export type ViewChannel = 'rgb' | ChannelName;

/**
 * How a slice is first shown: FLAIR in gray, where a lower-grade glioma is brightest, the masks half see-through. Not
 * RGB first: there FLAIR is the green channel, so a tumor is already green, fat yellow and the skull base red, the very
 * colours of prediction, overlap and truth (RGB stays one click away).
 */
export const DEFAULT_VIEW: { channel: ViewChannel; opacity: number } = { channel: 'FLAIR', opacity: 0.5 };

export const OVERLAY_COLORS = {
  predicted: [0, 255, 0],
  truth: [255, 0, 0],
  overlap: [255, 255, 0],
} as const;

export interface CompositeOptions {
  channel: ViewChannel;
  opacity: number;
  predicted: BinaryMask | null;
  truth: BinaryMask | null;
}

/** Mask pixels with a 4-neighbour outside the mask (the image border counts as outside). */
export function outline(mask: BinaryMask): Uint8Array {
  const { width, height, data } = mask;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!data[i]) continue;
      const inside = (xx: number, yy: number) => xx >= 0 && yy >= 0 && xx < width && yy < height && data[yy * width + xx] === 1;
      if (!inside(x - 1, y) || !inside(x + 1, y) || !inside(x, y - 1) || !inside(x, y + 1)) out[i] = 1;
    }
  return out;
}

/**
 * Where the truth's outline is drawn: two pixels on, two off along a row, and broken along columns and both diagonals
 * too ((x + 2y) mod 4 steps by 1, 2, 3 or 1 there), so no edge of any direction reads as a solid line.
 */
export const truthDashOn = (x: number, y: number): boolean => (x + 2 * y) % 4 < 2;

/** The truth edge's gaps: its colour at this brightness (dark red, dark yellow), so the dashes show at any opacity. */
export const DASH_GAP_SHADE = 0.4;

/** RGBA pixels for a canvas of the image's size; at opacity 0 the overlays (outlines too) are hidden. */
export function composite(image: RgbImage, o: CompositeOptions): Uint8ClampedArray<ArrayBuffer> {
  const n = image.width * image.height;
  const out = new Uint8ClampedArray(n * 4);
  const channel = o.channel === 'rgb' ? -1 : CHANNEL_NAMES.indexOf(o.channel);
  const a = Math.min(1, Math.max(0, o.opacity));
  const predictedEdge = o.predicted && a > 0 ? outline(o.predicted) : null;
  const truthEdge = o.truth && a > 0 ? outline(o.truth) : null;
  for (let i = 0; i < n; i++) {
    const s = i * 3;
    let r = image.data[s];
    let g = image.data[s + 1];
    let b = image.data[s + 2];
    if (channel >= 0) r = g = b = image.data[s + channel];
    const p = o.predicted?.data[i] ? 1 : 0;
    const t = o.truth?.data[i] ? 1 : 0;
    if (p || t) {
      const c = p && t ? OVERLAY_COLORS.overlap : p ? OVERLAY_COLORS.predicted : OVERLAY_COLORS.truth;
      // The truth's edge alternates its colour with a dark shade of it, opaque both: gaps of fill colour would vanish
      // into the fill at full opacity, and the dashes with them.
      const dashOff = !predictedEdge?.[i] && truthEdge?.[i] && !truthDashOn(i % image.width, Math.floor(i / image.width));
      const shade = dashOff ? DASH_GAP_SHADE : 1;
      const alpha = predictedEdge?.[i] || truthEdge?.[i] ? 1 : a;
      r = r * (1 - alpha) + c[0] * shade * alpha;
      g = g * (1 - alpha) + c[1] * shade * alpha;
      b = b * (1 - alpha) + c[2] * shade * alpha;
    }
    const d = i * 4;
    out[d] = r;
    out[d + 1] = g;
    out[d + 2] = b;
    out[d + 3] = 255;
  }
  return out;
}
