/** Resampling to the models' 256x256 input: bilinear for images, nearest for masks (keeps them binary). */
import { sameSize, type BinaryMask, type RgbImage } from './image';

/** Bilinear resize with pixel centers aligned (half-pixel offsets), like OpenCV's INTER_LINEAR. */
export function resizeRgbBilinear(src: RgbImage, width: number, height: number): RgbImage {
  if (sameSize(src, { width, height })) return { width, height, data: src.data.slice() };
  const out = new Uint8Array(width * height * 3);
  const sx = src.width / width;
  const sy = src.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), src.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, src.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), src.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, src.width - 1);
      const wx = fx - x0;
      for (let c = 0; c < 3; c++) {
        const a = src.data[(y0 * src.width + x0) * 3 + c];
        const b = src.data[(y0 * src.width + x1) * 3 + c];
        const d = src.data[(y1 * src.width + x0) * 3 + c];
        const e = src.data[(y1 * src.width + x1) * 3 + c];
        const top = a + (b - a) * wx;
        const bottom = d + (e - d) * wx;
        out[(y * width + x) * 3 + c] = Math.round(top + (bottom - top) * wy);
      }
    }
  }
  return { width, height, data: out };
}

export function resizeMaskNearest(src: BinaryMask, width: number, height: number): BinaryMask {
  if (sameSize(src, { width, height })) return { width, height, data: src.data.slice() };
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(Math.floor(((y + 0.5) * src.height) / height), src.height - 1);
    for (let x = 0; x < width; x++) {
      const sx = Math.min(Math.floor(((x + 0.5) * src.width) / width), src.width - 1);
      out[y * width + x] = src.data[sy * src.width + sx];
    }
  }
  return { width, height, data: out };
}
