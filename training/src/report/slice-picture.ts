/** A slice drawn as the app draws it (src/core/overlay.ts), enlarged, as RGB pixels for a PNG: reports' pictures. */
import { composite } from '../../../src/core/overlay';

/** The slice as RGB pixels (every pixel is opaque: a PNG needs no alpha), each pixel `scale` x `scale`. */
export function slicePicture(image: Parameters<typeof composite>[0], options: Parameters<typeof composite>[1], scale: number): { width: number; height: number; pixels: Uint8Array } {
  const rgba = composite(image, options);
  const width = image.width * scale;
  const height = image.height * scale;
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const from = (Math.floor(y / scale) * image.width + Math.floor(x / scale)) * 4;
      pixels.set(rgba.subarray(from, from + 3), (y * width + x) * 3);
    }
  return { width, height, pixels };
}
