/**
 * A decoded picture before it becomes a model input: any size, 1-4 channels,
 * values already scaled to 0..255. Converting to the 256x256 RGB slice (or a
 * binary mask) happens here, once, for TIFF, PNG and JPEG alike.
 */
import { IMAGE_SIZE } from '../core/constants';
import { createMask, sameSize, type BinaryMask, type RgbImage, type Size } from '../core/image';
import { resizeMaskNearest, resizeRgbBilinear } from '../core/resize';
import { InputError } from './errors';

export interface Raster {
  width: number;
  height: number;
  channels: number; // 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA
  data: Uint8Array; // width * height * channels, interleaved
  /**
   * Only for samples wider than 8 bits, which `data` holds scaled by their range: 1 where a color sample was nonzero
   * as stored. A mask reads tumor from it, since scaling can round a small label to 0 or blank a constant mask.
   */
  nonzero?: Uint8Array;
}

export interface Prepared<T> {
  value: T;
  /** Things the user should know about the conversion (resized, gray replicated, ...). */
  notes: string[];
}

function colorOf(r: Raster, pixel: number, out: number[]): void {
  const o = pixel * r.channels;
  if (r.channels >= 3) {
    out[0] = r.data[o];
    out[1] = r.data[o + 1];
    out[2] = r.data[o + 2];
  } else {
    out[0] = out[1] = out[2] = r.data[o];
  }
}

/** True when the alpha channel (the last of 2 or 4) is 255 everywhere, so ignoring it changes nothing. */
function opaque(r: Raster): boolean {
  for (let i = r.channels - 1; i < r.data.length; i += r.channels) if (r.data[i] !== 255) return false;
  return true;
}

/** The note of a one-channel image (the result panel also warns about what it means for the answer). */
export const GRAY_NOTE = 'grayscale image: the gray channel was copied into all three sequences';
/** In the note on samples wider than 8 bits (io/tiff.ts): stretched by the image's own range, unlike the 8-bit LGG slices. */
export const RESCALED = 'scaled to 8 bits by their range';
export const isRescaledNote = (note: string): boolean => note.includes(RESCALED);

/** The model's RGB slice: gray replicated to three channels, alpha dropped, resized bilinearly to 256x256. */
export function rasterToSlice(r: Raster, size = IMAGE_SIZE): Prepared<RgbImage> {
  const notes: string[] = [];
  const rgb = new Uint8Array(r.width * r.height * 3);
  const px = [0, 0, 0];
  for (let i = 0; i < r.width * r.height; i++) {
    colorOf(r, i, px);
    rgb[i * 3] = px[0];
    rgb[i * 3 + 1] = px[1];
    rgb[i * 3 + 2] = px[2];
  }
  if (r.channels < 3) notes.push(GRAY_NOTE);
  if ((r.channels === 4 || r.channels === 2) && !opaque(r)) notes.push('alpha channel ignored: transparent pixels are used with the color they were decoded with');
  let image: RgbImage = { width: r.width, height: r.height, data: rgb };
  if (r.width !== size || r.height !== size) {
    notes.push(`resized from ${r.width}x${r.height} to ${size}x${size} (bilinear); the models expect ${size}x${size} slices`);
    image = resizeRgbBilinear(image, size, size);
  }
  return { value: image, notes };
}

/** A ground-truth mask: any nonzero color channel is tumor; resized with nearest neighbour so it stays binary. */
export function rasterToMask(r: Raster, size = IMAGE_SIZE): Prepared<BinaryMask> {
  const notes: string[] = [];
  let mask = createMask(r.width, r.height);
  const colorChannels = r.channels >= 3 ? 3 : 1;
  for (let i = 0; i < r.width * r.height; i++) {
    let on = 0;
    if (r.nonzero) on = r.nonzero[i];
    else for (let c = 0; c < colorChannels; c++) on |= r.data[i * r.channels + c] ? 1 : 0;
    mask.data[i] = on;
  }
  if (r.width !== size || r.height !== size) {
    notes.push(`mask resized from ${r.width}x${r.height} to ${size}x${size} (nearest neighbour)`);
    mask = resizeMaskNearest(mask, size, size);
  }
  return { value: mask, notes };
}

/** A ground-truth mask must have its slice's size: a mask of another size belongs to another image. */
export function checkMaskMatchesImage(mask: Size, image: Size, maskFile: string): void {
  if (!sameSize(mask, image))
    throw new InputError(maskFile, `the mask is ${mask.width}x${mask.height} but its image is ${image.width}x${image.height}: a mask must have the size of its image (another slice, or a scaled copy?)`);
}
