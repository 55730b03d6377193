/**
 * PNG and JPEG slices in the browser: decoded by the browser itself (createImageBitmap) into a Raster, without colour
 * management so pixel values stay as stored. Opaque pixels are exact; the canvas that hands the pixels over stores
 * colour premultiplied by alpha, so the colour of transparent pixels is lost (intake says so).
 */
import { InputError } from './errors';
import type { Raster } from './raster';

export function isPngOrJpeg(bytes: Uint8Array): 'png' | 'jpeg' | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/** Drops alpha when fully opaque and collapses to one channel when every pixel is gray, so the notes are true. */
function compact(rgba: Uint8ClampedArray, width: number, height: number): Raster {
  const n = width * height;
  let opaque = true;
  let gray = true;
  for (let i = 0; i < n && (opaque || gray); i++) {
    const o = i * 4;
    if (rgba[o + 3] !== 255) opaque = false;
    if (rgba[o] !== rgba[o + 1] || rgba[o] !== rgba[o + 2]) gray = false;
  }
  const channels = gray ? (opaque ? 1 : 2) : opaque ? 3 : 4;
  if (channels === 4) return { width, height, channels, data: new Uint8Array(rgba.buffer.slice(0)) };
  const data = new Uint8Array(n * channels);
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    if (gray) {
      data[i * channels] = rgba[o];
      if (channels === 2) data[i * 2 + 1] = rgba[o + 3];
    } else {
      data[i * 3] = rgba[o];
      data[i * 3 + 1] = rgba[o + 1];
      data[i * 3 + 2] = rgba[o + 2];
    }
  }
  return { width, height, channels, data };
}

export async function decodeBrowserImage(bytes: Uint8Array, file: string): Promise<Raster> {
  const kind = isPngOrJpeg(bytes);
  if (!kind) throw new InputError(file, 'not a PNG or JPEG file');
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as BlobPart], { type: `image/${kind}` }), {
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'none',
    });
  } catch {
    throw new InputError(file, `the ${kind.toUpperCase()} image is damaged or truncated and cannot be decoded`);
  }
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new InputError(file, 'this browser cannot read image pixels (no 2D canvas)');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  return compact(ctx.getImageData(0, 0, width, height).data, width, height);
}
