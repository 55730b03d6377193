/**
 * TIFF decoding for the browser and for Node alike (no DOM), bounded against damaged and hostile files.
 * Reads the first page of 1/2/4/8/16/32-bit, integer or float, gray/RGB/palette files, with or without
 * alpha, in strips or tiles, chunky or planar, uncompressed or LZW/Deflate/PackBits, either byte order,
 * and refuses everything else with an InputError naming the file and the problem.
 * The pixels are decoded by utif (UTIF.decodeImage) with its faulty kernels replaced (utif-fixes.ts). Before
 * utif reads anything, tiff-structure.ts validates the directory (utif's own UTIF.decode loops forever on a
 * directory chain that points back at itself) and every declared size and chunk is checked against limits
 * and against the file's real length, so nothing is allocated from a size the file merely claims.
 */
import { DamagedTiffError, InputError } from './errors';
import { RESCALED, type Raster } from './raster';
import UTIF from 'utif';
import { COMPRESSION_NAMES, isSupportedCompression } from './tiff-codecs';
import { readTiffStructure, TAG, type Tags } from './tiff-structure';
import { ChunkError, chunkJobs, installUtifFixes, type UtifIfd } from './utif-fixes';

installUtifFixes();

/** Refuse absurd declared sizes before allocating anything. */
export const MAX_TIFF_SIDE = 8192;
export const MAX_TIFF_PIXELS = 40_000_000;
/** Largest decoded (uncompressed) pixel buffer accepted: 40 M pixels of 16-bit RGB are 229 MiB. */
export const MAX_TIFF_DECODED_BYTES = 256 * 1024 * 1024;

/** A TIFF signature, classic (42) or BigTIFF (43): both go to decodeTiff, which explains what it cannot read. */
export function isTiff(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  const le = bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[3] === 0 && (bytes[2] === 42 || bytes[2] === 43);
  const be = bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && (bytes[3] === 42 || bytes[3] === 43);
  return le || be;
}
const isClassicTiff = (bytes: Uint8Array) => isTiff(bytes) && (bytes[0] === 0x49 ? bytes[2] : bytes[3]) === 42;

/** What a non-TIFF file most likely is, for a message that helps ("a PNG renamed .tif"). */
export function sniffFormat(bytes: Uint8Array): string | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'a PNG image';
  if (starts(0xff, 0xd8, 0xff)) return 'a JPEG image';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'a GIF image';
  if (starts(0x42, 0x4d)) return 'a BMP image';
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'a PDF document';
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'a ZIP archive';
  if (bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d) return 'a DICOM file';
  if (starts(0x1f, 0x8b)) return 'a gzip archive (a NIfTI volume?)';
  const head = bytes.subarray(0, Math.min(bytes.length, 512));
  if (new TextDecoder().decode(head.subarray(0, 40)).startsWith('version https://git-lfs')) return 'a Git LFS pointer (the real file was never downloaded)';
  if (head.length > 0 && head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 128)) return 'a text file';
  return null;
}

export interface DecodedTiff {
  raster: Raster;
  notes: string[];
}

const one = (tags: Tags, tag: number, fallback: number): number => tags.get(tag)?.[0] ?? fallback;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

/** Decodes the first page of a TIFF into a Raster scaled to 0..255. Throws InputError naming `file`. */
export function decodeTiff(input: ArrayBuffer | Uint8Array, file: string): DecodedTiff {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length === 0) throw new InputError(file, 'the file is empty (0 bytes)');
  if (isTiff(bytes) && !isClassicTiff(bytes)) throw new InputError(file, 'BigTIFF files are not supported (save the slice as a classic TIFF)');
  if (!isTiff(bytes)) {
    const kind = sniffFormat(bytes);
    throw new InputError(file, kind ? `not a TIFF file: it looks like ${kind}` : 'not a TIFF file (no TIFF signature)');
  }
  const structure = readTiffStructure(bytes, file);
  const notes: string[] = [];
  const pages = structure.pages.filter((t) => t.has(TAG.width) && t.has(TAG.height));
  if (pages.length === 0) throw new InputError(file, 'the TIFF has no image in it (no width and height in its directory)');
  if (pages.length > 1) notes.push(`multi-page TIFF (${pages.length} pages): only the first page is used`);
  const image = describe(pages[0], file);
  const planes = readPixelBytes(bytes, pages[0], image, file);
  const raster = toRaster(planes, image, structure.littleEndian, notes);
  return { raster, notes };
}

interface ImageLayout {
  width: number;
  height: number;
  bits: number;
  spp: number;
  sampleFormat: number; // 1 unsigned, 2 signed, 3 float
  photometric: number; // 0 white-is-zero, 1 black-is-zero, 2 RGB, 3 palette
  planar: boolean; // PlanarConfiguration 2: one plane per sample
  compression: number;
  predictor: number;
  colorMap?: number[];
}

function describe(tags: Tags, file: string): ImageLayout {
  const width = one(tags, TAG.width, 0);
  const height = one(tags, TAG.height, 0);
  if (width < 1 || height < 1) throw new InputError(file, `invalid image size ${width}x${height}`);
  if (width > MAX_TIFF_SIDE || height > MAX_TIFF_SIDE)
    throw new InputError(file, `image is ${width}x${height} pixels; this app accepts at most ${MAX_TIFF_SIDE} pixels a side`);
  if (width * height > MAX_TIFF_PIXELS)
    throw new InputError(file, `image is ${width}x${height} = ${((width * height) / 1e6).toFixed(0)} million pixels; this app accepts at most ${MAX_TIFF_PIXELS / 1e6} million`);

  const bitsList = tags.get(TAG.bitsPerSample) ?? [1];
  if (bitsList.length === 0) throw new DamagedTiffError(file, 'the BitsPerSample tag is empty');
  const bits = bitsList[0];
  const spp = one(tags, TAG.samplesPerPixel, 1);
  const sampleFormat = one(tags, TAG.sampleFormat, 1);
  const photometric = one(tags, TAG.photometric, spp >= 3 ? 2 : 1);
  const compression = one(tags, TAG.compression, 1);
  const predictor = one(tags, TAG.predictor, 1);
  const planar = one(tags, TAG.planarConfig, 1) === 2;

  if (spp < 1 || spp > 4) throw new InputError(file, `${spp} samples per pixel is not supported (1 to 4: gray, gray+alpha, RGB, RGBA)`);
  if (bitsList.some((b) => b !== bits)) throw new InputError(file, `mixed bit depths per channel (${bitsList.join('/')}) are not supported`);
  if (![1, 2, 4, 8, 16, 32].includes(bits)) throw new InputError(file, `${bits}-bit samples are not supported (1, 2, 4, 8, 16 or 32 bits)`);
  if (sampleFormat === 3 && bits !== 32) throw new InputError(file, `${bits}-bit floating point samples are not supported (32-bit float is)`);
  if (![1, 2, 3].includes(sampleFormat)) throw new InputError(file, `sample format ${sampleFormat} is not supported (unsigned, signed or float)`);
  if (!isSupportedCompression(compression))
    throw new InputError(file, `${COMPRESSION_NAMES[compression] ?? `unknown (${compression})`} compression is not supported (use uncompressed, LZW, Deflate or PackBits)`);
  if (predictor !== 1 && !(predictor === 2 && sampleFormat !== 3 && bits >= 8))
    throw new InputError(file, `TIFF predictor ${predictor} is not supported for ${bits}-bit ${sampleFormat === 3 ? 'float' : 'integer'} samples`);

  const names: Record<number, string> = { 4: 'transparency mask', 5: 'CMYK', 6: 'YCbCr', 8: 'CIE L*a*b*', 32844: 'LogL', 32845: 'LogLuv' };
  if (photometric > 3) throw new InputError(file, `the ${names[photometric] ?? `photometric ${photometric}`} color space is not supported (gray, RGB or palette)`);
  if (photometric === 2 && spp < 3) throw new InputError(file, `an RGB image needs 3 samples per pixel, this one has ${spp}`);
  if (photometric <= 1 && spp > 2) throw new InputError(file, `a grayscale image with ${spp} samples per pixel is not supported`);
  let colorMap: number[] | undefined;
  if (photometric === 3) {
    colorMap = tags.get(TAG.colorMap);
    if (spp !== 1 || bits > 8) throw new InputError(file, `a palette image needs one index of at most 8 bits per pixel (this one: ${spp} x ${bits} bits)`);
    if (!colorMap || colorMap.length < 3 << bits) throw new InputError(file, 'the palette (ColorMap) of this indexed-color image is missing or too short');
  }
  const decoded = (width * height * spp * bits) / 8;
  if (decoded > MAX_TIFF_DECODED_BYTES)
    throw new InputError(file, `image is ${width}x${height} with ${spp} x ${bits}-bit samples: ${mb(decoded)} decoded, more than the ${mb(MAX_TIFF_DECODED_BYTES)} this app accepts`);
  return { width, height, bits, spp, sampleFormat, photometric, planar, compression, predictor, colorMap };
}

/** One buffer per plane (a single interleaved plane unless planar), rows padded to whole bytes as TIFF stores them. */
interface Planes {
  buffers: Uint8Array[];
  rowBytes: number;
}

/** Where the chunks (strips or tiles) of each plane lie, checked against the file before utif reads any. */
interface ChunkLayout {
  kind: 'strip' | 'tile';
  offsets: number[];
  /** Byte counts to read: an uncompressed chunk's is capped at what it needs (the LGG files pad their last strip). */
  counts: number[];
  perPlane: number;
  /** utif tags for the layout, apart from the offsets and counts. */
  tags: Record<string, number[]>;
}

function chunkLayout(bytes: Uint8Array, tags: Tags, img: ImageLayout, rowBytes: number, file: string): ChunkLayout {
  const planeCount = img.planar ? img.spp : 1;
  const tiled = tags.has(TAG.tileWidth) || tags.has(TAG.tileOffsets);
  let kind: ChunkLayout['kind'];
  let offsets: number[] | undefined;
  let declared: number[] | undefined;
  let perPlane: number;
  let sizeOf: (index: number) => number;
  let layoutTags: Record<string, number[]>;
  if (!tiled) {
    kind = 'strip';
    offsets = tags.get(TAG.stripOffsets);
    if (!offsets?.length) throw new DamagedTiffError(file, 'the TIFF has no strip or tile offsets (no pixel data)');
    const rps = Math.max(1, Math.min(one(tags, TAG.rowsPerStrip, img.height), img.height));
    perPlane = Math.ceil(img.height / rps);
    if (offsets.length < perPlane * planeCount) throw new DamagedTiffError(file, `the TIFF declares ${offsets.length} strips but its size needs ${perPlane * planeCount}`);
    declared = tags.get(TAG.stripByteCounts);
    sizeOf = (index) => Math.min(rps, img.height - (index % perPlane) * rps) * rowBytes;
    layoutTags = { t278: [rps] };
  } else {
    kind = 'tile';
    const tw = one(tags, TAG.tileWidth, 0);
    const th = one(tags, TAG.tileLength, 0);
    if (img.bits < 8) throw new InputError(file, `tiled TIFFs with ${img.bits}-bit samples are not supported`);
    if (tw < 1 || th < 1 || tw > MAX_TIFF_SIDE || th > MAX_TIFF_SIDE) throw new InputError(file, `invalid tile size ${tw}x${th}`);
    offsets = tags.get(TAG.tileOffsets);
    declared = tags.get(TAG.tileByteCounts);
    perPlane = Math.ceil(img.width / tw) * Math.ceil(img.height / th);
    if (!offsets || offsets.length < perPlane * planeCount)
      throw new DamagedTiffError(file, `the TIFF declares ${offsets?.length ?? 0} tiles but its size needs ${perPlane * planeCount}`);
    const tileBytes = (tw * th * (img.planar ? 1 : img.spp) * img.bits) / 8;
    sizeOf = () => tileBytes;
    layoutTags = { t322: [tw], t323: [th] };
  }
  const counts: number[] = [];
  for (let index = 0; index < perPlane * planeCount; index++) {
    const size = sizeOf(index);
    const count = img.compression === 1 ? Math.min(declared?.[index] ?? size, size) : declared?.[index];
    if (count === undefined) throw new DamagedTiffError(file, `the ${kind} byte counts are missing`);
    if (offsets[index] + count > bytes.length)
      throw new DamagedTiffError(file, `${kind} ${index + 1} of ${offsets.length} needs bytes up to ${offsets[index] + count}, the file ends at ${bytes.length}`);
    counts.push(count);
  }
  return { kind, offsets, counts, perPlane, tags: layoutTags };
}

/** Decodes the pixel bytes with utif (one image per plane), after every chunk was checked to lie in the file. */
function readPixelBytes(bytes: Uint8Array, tags: Tags, img: ImageLayout, file: string): Planes {
  const planeCount = img.planar ? img.spp : 1;
  const planeSpp = img.planar ? 1 : img.spp;
  const rowBytes = Math.ceil((img.width * planeSpp * img.bits) / 8);
  const layout = chunkLayout(bytes, tags, img, rowBytes, file);
  // utif reads offsets from the start of the buffer it gets: hand it the file's own bytes, copied only if a view.
  // The Uint8Array constructor copies; Buffer.prototype.slice would not (Node's readFileSync returns small files as
  // views into a shared 8 KiB pool, and utif read the pool's first bytes as the file's).
  const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : new Uint8Array(bytes).buffer;
  const buffers: Uint8Array[] = [];
  for (let p = 0; p < planeCount; p++) {
    const from = p * layout.perPlane;
    const to = from + layout.perPlane;
    const counts = layout.counts.slice(from, to);
    const ifd: UtifIfd = {
      t256: [img.width],
      t257: [img.height],
      t258: Array<number>(planeSpp).fill(img.bits),
      t259: [img.compression],
      t262: [img.photometric],
      t277: [planeSpp],
      t317: [img.predictor],
      ...layout.tags,
      [layout.kind === 'strip' ? 't273' : 't324']: layout.offsets.slice(from, to),
      [layout.kind === 'strip' ? 't279' : 't325']: counts,
    };
    chunkJobs.set(ifd, { firstIndex: from, counts, next: 0 });
    try {
      (UTIF.decodeImage as (buff: ArrayBuffer, img: UtifIfd, ifds: UtifIfd[]) => void)(buffer as ArrayBuffer, ifd, [ifd]);
    } catch (e) {
      if (!(e instanceof ChunkError)) throw new DamagedTiffError(file, `the image data cannot be decoded: ${(e as Error).message}`);
      const what = `${layout.kind} ${e.index + 1} of ${layout.offsets.length}`;
      if (e.reason !== undefined) throw new DamagedTiffError(file, `${what} cannot be decompressed (${COMPRESSION_NAMES[img.compression]}): ${e.reason}`);
      throw new DamagedTiffError(file, `the image data ends early: ${what} holds ${e.produced} of its ${e.expected} bytes`);
    }
    buffers.push(ifd.data!);
  }
  return { buffers, rowBytes };
}

/** Interleaves the planes into 8-bit samples: 8-bit as is, 1/2/4-bit stretched, 16/32-bit and signed scaled by range. */
function toRaster(planes: Planes, img: ImageLayout, le: boolean, notes: string[]): Raster {
  const { width, height, bits, spp, sampleFormat } = img;
  const n = width * height;
  const planeSpp = img.planar ? 1 : spp;
  const sampleAt = sampleReader(planes, img, le);
  const samples = new Uint8Array(n * spp);
  const color = spp === 2 || spp === 4 ? spp - 1 : spp; // the samples before alpha
  let nonzero: Uint8Array | undefined;

  if (bits === 8 && sampleFormat === 1 && !img.planar && img.photometric >= 1) {
    samples.set(planes.buffers[0].subarray(0, n * spp)); // the common case (every LGG file): bytes as stored
  } else if (bits <= 8 && sampleFormat === 1) {
    const stretch = img.photometric === 3 ? 1 : 255 / ((1 << bits) - 1);
    for (let y = 0, i = 0; y < height; y++)
      for (let x = 0; x < width; x++, i++) for (let c = 0; c < spp; c++) samples[i * spp + c] = Math.round(sampleAt(y, x * planeSpp + (img.planar ? 0 : c), img.planar ? c : 0) * stretch);
    if (bits < 8 && img.photometric !== 3) notes.push(`${bits}-bit samples stretched to 8 bits`);
  } else {
    // Color samples are scaled by their own range (alpha, when there is one, would stretch it: an opaque 16-bit alpha
    // of 65535 squeezed 12-bit gray into 0..16); alpha by its type's full range, as TIFF defines it.
    let lo = Infinity;
    let hi = -Infinity;
    let nonFinite = 0;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        for (let c = 0; c < color; c++) {
          const v = sampleAt(y, x * planeSpp + (img.planar ? 0 : c), img.planar ? c : 0);
          if (!Number.isFinite(v)) nonFinite++;
          else {
            if (v < lo) lo = v;
            if (v > hi) hi = v;
          }
        }
    const k = hi > lo ? 255 / (hi - lo) : 0;
    const alphaMax = sampleFormat === 3 ? 1 : sampleFormat === 2 ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
    // Which pixels are nonzero as stored, for masks: scaling to 8 bits rounds a label of 1 in 0..1000 down to 0
    // and maps a constant all-tumor mask to 0. Not for white-is-zero, where "zero" is the other end.
    nonzero = img.photometric === 1 || img.photometric === 2 ? new Uint8Array(n) : undefined;
    for (let y = 0, i = 0; y < height; y++)
      for (let x = 0; x < width; x++, i++)
        for (let c = 0; c < spp; c++) {
          const v = sampleAt(y, x * planeSpp + (img.planar ? 0 : c), img.planar ? c : 0);
          if (c >= color) samples[i * spp + c] = Number.isFinite(v) ? Math.round(Math.min(Math.max(v / alphaMax, 0), 1) * 255) : 0;
          else {
            samples[i * spp + c] = Number.isFinite(v) ? Math.round((v - lo) * k) : 0;
            if (nonzero && v !== 0 && Number.isFinite(v)) nonzero[i] = 1;
          }
        }
    const kind = sampleFormat === 3 ? 'float' : sampleFormat === 2 ? 'signed integer' : 'integer';
    notes.push(`${bits}-bit ${kind} samples ${RESCALED} (${fmt(lo)} to ${fmt(hi)})`);
    if (nonFinite) notes.push(`${nonFinite} samples were NaN or infinite and were set to black`);
    if (!(hi > lo)) notes.push('every pixel has the same value: the image is blank');
  }

  if (img.photometric === 3) {
    const map = img.colorMap!;
    const levels = 1 << bits;
    const rgb = new Uint8Array(n * 3);
    for (let i = 0; i < n; i++) {
      const index = samples[i];
      for (let c = 0; c < 3; c++) rgb[i * 3 + c] = map[c * levels + index] >> 8;
    }
    notes.push('palette (indexed color) image converted to RGB');
    return { width, height, channels: 3, data: rgb };
  }
  if (img.photometric === 0) {
    for (let i = 0; i < n; i++) for (let c = 0; c < color; c++) samples[i * spp + c] = 255 - samples[i * spp + c];
    notes.push('white-is-zero grayscale inverted to black-is-zero');
  }
  return nonzero ? { width, height, channels: spp, data: samples, nonzero } : { width, height, channels: spp, data: samples };
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(4));

/** Reads sample number `index` of row `y` of plane `plane` as a number, whatever its depth and byte order. */
function sampleReader(planes: Planes, img: ImageLayout, le: boolean): (y: number, index: number, plane: number) => number {
  const { bits, sampleFormat } = img;
  const { buffers, rowBytes } = planes;
  const views = buffers.map((b) => new DataView(b.buffer, b.byteOffset, b.byteLength));
  if (bits < 8) {
    const perByte = 8 / bits;
    const mask = (1 << bits) - 1;
    return (y, index, plane) => {
      const byte = buffers[plane][y * rowBytes + Math.floor(index / perByte)];
      return (byte >> (8 - bits * ((index % perByte) + 1))) & mask;
    };
  }
  const bytesPer = bits / 8;
  return (y, index, plane) => {
    const at = y * rowBytes + index * bytesPer;
    const view = views[plane];
    if (bits === 8) return sampleFormat === 2 ? view.getInt8(at) : buffers[plane][at];
    if (bits === 16) return sampleFormat === 2 ? view.getInt16(at, true) : view.getUint16(at, true); // utif swaps 16-bit to little-endian
    return sampleFormat === 3 ? view.getFloat32(at, le) : sampleFormat === 2 ? view.getInt32(at, le) : view.getUint32(at, le);
  };
}
