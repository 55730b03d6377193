/**
 * The picture in the viewer: the MRI (RGB or one sequence as gray) with the predicted mask in green,
 * the ground truth in red and their overlap in yellow, blended at the chosen opacity. Pure, so the
 * colours are testable without a browser.
 */
import { CHANNEL_NAMES } from '../core/constants';
import type { BinaryMask, RgbImage } from '../core/image';
import type { ViewChannel } from '../state/store';

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

/** RGBA pixels for a canvas of the image's size. */
export function composite(image: RgbImage, o: CompositeOptions): Uint8ClampedArray<ArrayBuffer> {
  const n = image.width * image.height;
  const out = new Uint8ClampedArray(n * 4);
  const channel = o.channel === 'rgb' ? -1 : CHANNEL_NAMES.indexOf(o.channel);
  const a = Math.min(1, Math.max(0, o.opacity));
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
      r = r * (1 - a) + c[0] * a;
      g = g * (1 - a) + c[1] * a;
      b = b * (1 - a) + c[2] * a;
    }
    const d = i * 4;
    out[d] = r;
    out[d + 1] = g;
    out[d + 2] = b;
    out[d + 3] = 255;
  }
  return out;
}
