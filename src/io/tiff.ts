/**
 * TIFF decoding with utif, for the browser and for Node alike (no DOM).
 * Handles what utif decodes (8/16-bit, float32, gray/RGB/RGBA, palette, LZW/Deflate/PackBits,
 * strips or tiles; first page of a multi-page file) and refuses the rest with an InputError.
 */
import UTIF from 'utif';
import { InputError } from './errors';
import type { Raster } from './raster';

/** Refuse absurd declared sizes before utif allocates anything. */
export const MAX_TIFF_SIDE = 8192;
export const MAX_TIFF_PIXELS = 40_000_000;

type Ifd = UTIF.IFD & Record<string, any>;

const first = (v: unknown, fallback: number): number => (Array.isArray(v) && typeof v[0] === 'number' ? v[0] : fallback);

export function isTiff(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ((bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 42 && bytes[3] === 0) || (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && bytes[3] === 42));
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.slice().buffer as ArrayBuffer);
}

/** Scales samples of any depth to 0..255 by their actual range (16-bit and float images). */
function scaleByRange(values: ArrayLike<number>, count: number): Uint8Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const out = new Uint8Array(count);
  if (!(hi > lo)) return out;
  const k = 255 / (hi - lo);
  for (let i = 0; i < count; i++) {
    const v = values[i];
    out[i] = Number.isFinite(v) ? Math.round((v - lo) * k) : 0;
  }
  return out;
}

export interface DecodedTiff {
  raster: Raster;
  notes: string[];
}

/** Decodes the first page of a TIFF into a Raster scaled to 0..255. Throws InputError naming `file`. */
export function decodeTiff(input: ArrayBuffer | Uint8Array, file: string): DecodedTiff {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length === 0) throw new InputError(file, 'the file is empty (0 bytes)');
  if (!isTiff(bytes)) throw new InputError(file, 'not a TIFF file (no TIFF signature)');
  const buffer = toArrayBuffer(bytes);
  let ifds: Ifd[];
  try {
    ifds = UTIF.decode(buffer) as Ifd[];
  } catch (e) {
    throw new InputError(file, `the TIFF structure is damaged or truncated (${(e as Error).message})`);
  }
  const pages = ifds.filter((d) => d.t256 && d.t257);
  if (pages.length === 0) throw new InputError(file, 'the TIFF has no image in it (damaged or truncated header)');
  const ifd = pages[0];
  const notes: string[] = [];
  if (pages.length > 1) notes.push(`multi-page TIFF (${pages.length} pages): only the first page is used`);

  const width = first(ifd.t256, 0);
  const height = first(ifd.t257, 0);
  if (width < 1 || height < 1) throw new InputError(file, `invalid image size ${width}x${height}`);
  if (width > MAX_TIFF_SIDE || height > MAX_TIFF_SIDE || width * height > MAX_TIFF_PIXELS)
    throw new InputError(file, `image is ${width}x${height} pixels, larger than the ${MAX_TIFF_SIDE}x${MAX_TIFF_SIDE} this app accepts`);

  const bits = first(ifd.t258, 1);
  const spp = first(ifd.t277, 1);
  const sampleFormat = first(ifd.t339, 1); // 1 uint, 2 int, 3 float
  const photometric = first(ifd.t262, 1);
  const planar = first(ifd.t284, 1);
  if (spp < 1 || spp > 4) throw new InputError(file, `${spp} samples per pixel is not supported (1 to 4)`);

  try {
    UTIF.decodeImage(buffer, ifd);
  } catch (e) {
    throw new InputError(file, `the image data cannot be decoded: damaged, truncated or an unsupported compression (${(e as Error).message})`);
  }
  const data: Uint8Array | undefined = ifd.data;
  const count = width * height * spp;
  const needBytes = (count * bits) / 8;
  if (!data || data.length < needBytes) throw new InputError(file, 'the image data is truncated: fewer pixels than the header declares');

  const plain = planar === 1 && (photometric === 1 || photometric === 2) && sampleFormat !== 2;
  let samples: Uint8Array;
  if (plain && bits === 8) {
    samples = data.subarray(0, count);
  } else if (plain && (bits === 16 || bits === 32)) {
    const little = bytes[0] === 0x49;
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const values = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      if (bits === 16) values[i] = view.getUint16(i * 2, little);
      else values[i] = sampleFormat === 3 ? view.getFloat32(i * 4, little) : view.getUint32(i * 4, little);
    }
    samples = scaleByRange(values, count);
    notes.push(`${bits}-bit ${sampleFormat === 3 ? 'float' : 'integer'} samples scaled to 8 bits by their range`);
  } else {
    // Palette, white-is-zero, 1/4-bit, planar or signed data: let utif build RGBA.
    const rgba = UTIF.toRGBA8(ifd);
    if (rgba.length < width * height * 4) throw new InputError(file, 'the image data cannot be converted to pixels');
    return { raster: { width, height, channels: 4, data: rgba.subarray(0, width * height * 4) }, notes };
  }
  return { raster: { width, height, channels: spp, data: samples }, notes };
}
