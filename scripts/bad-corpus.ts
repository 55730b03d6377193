/**
 * The bad-input corpus: odd and broken files a user might drop, each with the outcome the app must give.
 * Built from the tumor fixture slice so that lossless re-encodings can be checked pixel for pixel.
 * `make-bad-corpus.ts` writes it to disk; the decoder test and the e2e corpus test read it back.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { encodePng } from './png-writer';
import { encodeTiff, type TiffPageSpec } from './tiff-writer';

export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data/lgg/fixtures');
export const BASE_SLICE = 'TCGA_FG_6688_20020215_20';

export interface CorpusCase {
  file: string;
  what: string;
  /** image (a slice) or mask (ground truth, checked against `pairedWith`'s size). */
  role: 'image' | 'mask';
  pairedWith?: string;
  expect:
    | { outcome: 'decoded'; width: number; height: number; notes?: string[]; noNotes?: boolean; samePixelsAs?: string }
    | { outcome: 'refused'; message: string | string[] };
  /** Bytes of the file, built lazily (the 50 MB case). */
  bytes: () => Uint8Array;
}

/** Deterministic pseudo-random bytes (no Math.random: the corpus must be the same on every run). */
function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s & 0xff;
  }
  return out;
}

interface Rgb {
  width: number;
  height: number;
  data: Uint8Array;
}

/** The fixture's pixels, read straight from its strips (uncompressed, 8-bit RGB, strips in order). */
function fixturePixels(name: string, channels: number): Rgb {
  const bytes = readFileSync(resolve(FIXTURES, name));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ifd = view.getUint32(4, true);
  const n = view.getUint16(ifd, true);
  let offsets: number[] = [];
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + i * 12;
    if (view.getUint16(e, true) !== 273) continue;
    const count = view.getUint32(e + 4, true);
    const at = count === 1 ? e + 8 : view.getUint32(e + 8, true);
    offsets = Array.from({ length: count }, (_, k) => view.getUint32(at + 4 * k, true));
  }
  const size = 256 * 256 * channels;
  const data = new Uint8Array(size);
  const stripBytes = size / 256 * (channels === 3 ? 11 : 32);
  offsets.forEach((o, k) => data.set(bytes.subarray(o, o + Math.min(stripBytes, size - k * stripBytes)), k * stripBytes));
  return { width: 256, height: 256, data };
}

function nearestResize(src: Rgb, channels: number, width: number, height: number): Rgb {
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const sx = Math.floor((x * src.width) / width);
      const sy = Math.floor((y * src.height) / height);
      for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = src.data[(sy * src.width + sx) * channels + c];
    }
  return { width, height, data };
}

function channel(src: Rgb, c: number, map = (v: number) => v): number[] {
  const out = new Array<number>(src.width * src.height);
  for (let i = 0; i < out.length; i++) out[i] = map(src.data[i * 3 + c]);
  return out;
}

/** A minimal TIFF header + one directory with the given entries (tag, type, values), no pixel data unless given. */
function rawTiff(entries: [number, number, number[]][], tail = new Uint8Array()): Uint8Array {
  const dir = 8;
  const bytes = new Uint8Array(8 + 2 + entries.length * 12 + 4 + tail.length);
  const v = new DataView(bytes.buffer);
  bytes.set([0x49, 0x49, 42, 0]);
  v.setUint32(4, dir, true);
  v.setUint16(dir, entries.length, true);
  entries.forEach(([tag, type, values], i) => {
    const e = dir + 2 + i * 12;
    v.setUint16(e, tag, true);
    v.setUint16(e + 2, type, true);
    v.setUint32(e + 4, values.length, true);
    if (type === 3) values.slice(0, 2).forEach((x, k) => v.setUint16(e + 8 + 2 * k, x, true));
    else v.setUint32(e + 8, values[0], true);
  });
  bytes.set(tail, 8 + 2 + entries.length * 12 + 4);
  return bytes;
}

export function corpusCases(): CorpusCase[] {
  const slice = fixturePixels(`${BASE_SLICE}.tif`, 3);
  const mask = fixturePixels(`${BASE_SLICE}_mask.tif`, 1);
  const original = () => new Uint8Array(readFileSync(resolve(FIXTURES, `${BASE_SLICE}.tif`)));
  const rgb = (extra: Partial<TiffPageSpec> = {}): TiffPageSpec => ({ width: 256, height: 256, samplesPerPixel: 3, bits: 8, samples: slice.data, rowsPerStrip: 16, ...extra });
  const same = { outcome: 'decoded' as const, width: 256, height: 256, noNotes: true, samePixelsAs: 'fixture' };
  const flair = channel(slice, 1);
  const gray = (extra: Partial<TiffPageSpec>): TiffPageSpec => ({ width: 256, height: 256, samplesPerPixel: 1, bits: 8, samples: flair, rowsPerStrip: 32, ...extra });
  const withIfdFirst = (spec: TiffPageSpec) => encodeTiff([spec], { directoriesFirst: true });
  const truncated = (bytes: Uint8Array, at: number) => bytes.slice(0, at);
  const refused = (message: string | string[]) => ({ outcome: 'refused' as const, message });

  const cases: Omit<CorpusCase, 'role'>[] = [
    // Lossless re-encodings: must give exactly the fixture's pixels.
    { file: 'reference.tif', what: 'the fixture slice itself', expect: same, bytes: original },
    { file: 'lzw.tif', what: 'LZW compressed', expect: same, bytes: () => encodeTiff([rgb({ compression: 'lzw' })]) },
    { file: 'lzw-predictor.tif', what: 'LZW with horizontal predictor', expect: same, bytes: () => encodeTiff([rgb({ compression: 'lzw', predictor: 2 })]) },
    { file: 'deflate.tif', what: 'Deflate compressed', expect: same, bytes: () => encodeTiff([rgb({ compression: 'deflate', predictor: 2 })]) },
    { file: 'packbits.tif', what: 'PackBits compressed', expect: same, bytes: () => encodeTiff([rgb({ compression: 'packbits' })]) },
    { file: 'big-endian.tif', what: 'big-endian (Motorola) byte order', expect: same, bytes: () => encodeTiff([rgb()], { littleEndian: false }) },
    { file: 'tiled.tif', what: 'tiled 64x64, Deflate', expect: same, bytes: () => encodeTiff([rgb({ tile: { width: 64, height: 64 }, compression: 'deflate' })]) },
    { file: 'tiled-edges.tif', what: 'tiled 48x80 (partial edge tiles)', expect: same, bytes: () => encodeTiff([rgb({ tile: { width: 48, height: 80 } })]) },
    { file: 'planar.tif', what: 'planar (one plane per channel), LZW', expect: same, bytes: () => encodeTiff([rgb({ planar: true, compression: 'lzw' })]) },
    { file: 'one-strip.tif', what: 'a single strip, no RowsPerStrip tag', expect: same, bytes: () => encodeTiff([rgb({ rowsPerStrip: 256, override: { 278: null } })]) },
    // Odd but usable: decoded, with a note the user sees.
    { file: 'gray8.tif', what: '1 channel (FLAIR only)', expect: { outcome: 'decoded', width: 256, height: 256, notes: ['grayscale image'] }, bytes: () => encodeTiff([gray({})]) },
    { file: 'gray16.tif', what: '16-bit grayscale', expect: { outcome: 'decoded', width: 256, height: 256, notes: ['16-bit integer samples scaled to 8 bits', 'grayscale image'] }, bytes: () => encodeTiff([gray({ bits: 16, samples: flair.map((v) => v * 16 + 1000) })]) },
    { file: 'gray16-big-endian.tif', what: '16-bit grayscale, big-endian, Deflate with predictor', expect: { outcome: 'decoded', width: 256, height: 256, notes: ['16-bit integer samples scaled'], samePixelsAs: 'gray16.tif' }, bytes: () => encodeTiff([gray({ bits: 16, samples: flair.map((v) => v * 16 + 1000), compression: 'deflate', predictor: 2 })], { littleEndian: false }) },
    { file: 'int16-signed.tif', what: '16-bit signed grayscale (CT-like, negative values)', expect: { outcome: 'decoded', width: 256, height: 256, notes: ['16-bit signed integer samples scaled'], samePixelsAs: 'gray16.tif' }, bytes: () => encodeTiff([gray({ bits: 16, sampleFormat: 2, samples: flair.map((v) => v * 16 - 1024) })]) },
    { file: 'float32.tif', what: '32-bit float grayscale', expect: { outcome: 'decoded', width: 256, height: 256, notes: ['32-bit float samples scaled'], samePixelsAs: 'gray16.tif' }, bytes: () => encodeTiff([gray({ bits: 32, sampleFormat: 3, samples: flair.map((v) => v / 255 - 0.5) })]) },
    { file: 'float32-nan.tif', what: '32-bit float with NaN and Infinity', expect: { outcome: 'decoded', width: 256, height: 256, notes: ['NaN or infinite'] }, bytes: () => encodeTiff([gray({ bits: 32, sampleFormat: 3, samples: flair.map((v, i) => (i % 97 === 0 ? NaN : i % 101 === 0 ? Infinity : v)) })]) },
    { file: 'gray16-constant.tif', what: '16-bit, every pixel the same value', expect: { outcome: 'decoded', width: 256, height: 256, notes: ['the image is blank'] }, bytes: () => encodeTiff([gray({ bits: 16, samples: flair.map(() => 777) })]) },
    { file: 'bilevel.tif', what: '1-bit black and white', expect: { outcome: 'decoded', width: 256, height: 256, notes: ['1-bit samples stretched'] }, bytes: () => encodeTiff([gray({ bits: 1, samples: flair.map((v) => (v > 60 ? 1 : 0)) })]) },
    { file: 'white-is-zero.tif', what: 'white-is-zero grayscale', expect: { outcome: 'decoded', width: 256, height: 256, notes: ['white-is-zero'], samePixelsAs: 'gray8.tif' }, bytes: () => encodeTiff([gray({ photometric: 0, samples: flair.map((v) => 255 - v) })]) },
    { file: 'gray-alpha.tif', what: '2 channels (gray + alpha)', expect: { outcome: 'decoded', width: 256, height: 256, notes: ['alpha', 'grayscale image'] }, bytes: () => encodeTiff([gray({ samplesPerPixel: 2, extraSamples: [2], samples: flair.flatMap((v, i) => [v, i % 256 < 128 ? 255 : 0]) })]) },
    { file: 'rgba.tif', what: '4 channels (RGB + transparency)', expect: { outcome: 'decoded', width: 256, height: 256, notes: ['alpha'] }, bytes: () => encodeTiff([rgb({ samplesPerPixel: 4, extraSamples: [2], samples: Array.from({ length: 256 * 256 * 4 }, (_, i) => (i % 4 === 3 ? (i >> 12) & 255 : slice.data[(i >> 2) * 3 + (i % 4)])) })]) },
    { file: 'rgba-opaque.tif', what: '4 channels, fully opaque', expect: { ...same, samePixelsAs: undefined }, bytes: () => encodeTiff([rgb({ samplesPerPixel: 4, extraSamples: [2], samples: Array.from({ length: 256 * 256 * 4 }, (_, i) => (i % 4 === 3 ? 255 : slice.data[(i >> 2) * 3 + (i % 4)])) })]) },
    { file: 'palette.tif', what: 'palette (indexed color)', expect: { outcome: 'decoded', width: 256, height: 256, notes: ['palette'] }, bytes: () => encodeTiff([gray({ photometric: 3, samples: flair, colorMap: [...Array(256).keys(), ...Array(256).keys(), ...Array(256).keys()].map((v) => v * 257) })]) },
    { file: 'multi-page.tif', what: '3 pages', expect: { outcome: 'decoded', width: 256, height: 256, notes: ['multi-page TIFF (3 pages)'], samePixelsAs: 'fixture' }, bytes: () => encodeTiff([rgb(), gray({}), rgb({ compression: 'lzw' })]) },
    { file: 'size-512.tif', what: '512x512 (upsampled slice)', expect: { outcome: 'decoded', width: 512, height: 512, notes: ['resized from 512x512 to 256x256'] }, bytes: () => encodeTiff([rgb({ width: 512, height: 512, samples: nearestResize(slice, 3, 512, 512).data })]) },
    { file: 'size-100x37.tif', what: '100x37 (odd size)', expect: { outcome: 'decoded', width: 100, height: 37, notes: ['resized from 100x37 to 256x256'] }, bytes: () => encodeTiff([rgb({ width: 100, height: 37, samples: nearestResize(slice, 3, 100, 37).data, rowsPerStrip: 8 })]) },
    { file: 'deflate-bomb.tif', what: 'one Deflate strip that would inflate to 64 MB', expect: { outcome: 'decoded', width: 256, height: 256, noNotes: true }, bytes: () => deflateBomb(withIfdFirst(rgb({ rowsPerStrip: 256, compression: 'deflate', samples: new Uint8Array(256 * 256 * 3) }))) },
    { file: 'ifd-loop.tif', what: 'directory chain that points back to itself', expect: { ...same }, bytes: () => ifdLoop(encodeTiff([rgb()], { directoriesFirst: true })) },
    { file: 'large-50mb.tif', what: '4096x4096 RGB, 50 MB', expect: { outcome: 'decoded', width: 4096, height: 4096, notes: ['resized from 4096x4096 to 256x256'] }, bytes: () => encodeTiff([rgb({ width: 4096, height: 4096, rowsPerStrip: 64, samples: nearestResize(slice, 3, 4096, 4096).data })]) },
    // Broken or unsupported: refused with a message naming the problem.
    { file: 'empty.tif', what: 'zero bytes', expect: refused('the file is empty'), bytes: () => new Uint8Array() },
    { file: 'truncated-header.tif', what: 'cut after 6 bytes', expect: refused('ends inside the TIFF header'), bytes: () => truncated(original(), 6) },
    { file: 'truncated-before-ifd.tif', what: 'cut at 100 kB (the directory is at the end)', expect: refused('first directory (IFD) is at byte'), bytes: () => truncated(original(), 100_000) },
    { file: 'truncated-in-ifd.tif', what: 'cut inside the directory', expect: refused('ends inside a TIFF directory'), bytes: () => truncated(original(), 202_760 + 30) },
    { file: 'truncated-mid-strip.tif', what: 'directory first, cut in the middle of the pixel data', expect: refused('damaged or incomplete and cannot be read — strip'), bytes: () => { const b = withIfdFirst(rgb()); return truncated(b, b.length >> 1); } },
    { file: 'truncated-lzw.tif', what: 'LZW, cut in the middle of the pixel data', expect: refused('damaged or incomplete and cannot be read — strip'), bytes: () => { const b = withIfdFirst(rgb({ compression: 'lzw' })); return truncated(b, Math.floor(b.length * 0.6)); } },
    { file: 'lzw-garbage.tif', what: 'LZW strips of random bytes (no end code: utif loops forever on this)', expect: refused(['cannot be decompressed (LZW)', 'the image data ends early: strip']), bytes: () => garbageStrips(rgb({ compression: 'lzw' }), 11) },
    { file: 'deflate-garbage.tif', what: 'Deflate strips of random bytes', expect: refused('cannot be decompressed (Deflate)'), bytes: () => garbageStrips(rgb({ compression: 'deflate' }), 12) },
    { file: 'random-after-header.tif', what: 'a TIFF signature followed by random bytes', expect: refused(['truncated', 'damaged', 'not supported', 'no image', 'invalid', 'larger than']), bytes: () => { const b = randomBytes(4096, 7); b.set([0x49, 0x49, 42, 0, 8, 0, 0, 0]); return b; } },
    { file: 'random-directory.tif', what: 'a TIFF header and a directory of random entries', expect: refused(['truncated', 'damaged', 'not supported', 'no image', 'invalid', 'larger than']), bytes: () => { const b = randomBytes(2048, 99); b.set([0x49, 0x49, 42, 0, 8, 0, 0, 0, 12, 0]); return b; } },
    { file: 'huge-dimensions.tif', what: 'declares 100000x100000 pixels in an 86-byte file', expect: refused('image is 100000x100000 pixels; this app accepts at most 8192 pixels a side'), bytes: () => rawTiff([[256, 4, [100_000]], [257, 4, [100_000]], [258, 3, [8]], [273, 4, [8]], [277, 3, [1]], [279, 4, [1]]]) },
    { file: 'huge-decoded.tif', what: '8000x5000 RGBA float32: 610 MiB decoded', expect: refused('more than the 256 MB'), bytes: () => rawTiff([[256, 4, [8000]], [257, 4, [5000]], [258, 3, [32]], [273, 4, [8]], [277, 3, [4]], [279, 4, [1]], [339, 3, [3]]]) },
    { file: 'zero-width.tif', what: 'declares 0x256 pixels', expect: refused('invalid image size 0x256'), bytes: () => rawTiff([[256, 4, [0]], [257, 4, [256]], [258, 3, [8]], [273, 4, [8]], [279, 4, [1]]]) },
    { file: 'strip-past-end.tif', what: 'strip offset beyond the end of the file', expect: refused('cannot be read — strip 1 of 1'), bytes: () => rawTiff([[256, 4, [16]], [257, 4, [16]], [258, 3, [8]], [273, 4, [1_000_000]], [277, 3, [1]], [279, 4, [256]]]) },
    { file: 'no-pixel-data.tif', what: 'a directory without strip offsets', expect: refused('no strip or tile offsets'), bytes: () => rawTiff([[256, 4, [16]], [257, 4, [16]], [258, 3, [8]], [277, 3, [1]]]) },
    { file: 'too-few-strips.tif', what: 'declares 1 strip of 16 rows for 256 rows', expect: refused('declares 1 strips but its size needs 16'), bytes: () => encodeTiff([rgb({ override: { 273: [4, [8]], 279: [4, [16 * 768]] } })]) },
    { file: 'cmyk.tif', what: 'CMYK color space', expect: refused('CMYK color space is not supported'), bytes: () => encodeTiff([rgb({ samplesPerPixel: 4, photometric: 5, samples: new Uint8Array(256 * 256 * 4) })]) },
    { file: 'ycbcr.tif', what: 'YCbCr color space', expect: refused('YCbCr color space is not supported'), bytes: () => encodeTiff([rgb({ photometric: 6 })]) },
    { file: 'jpeg-compressed.tif', what: 'JPEG-in-TIFF compression', expect: refused('JPEG compression is not supported'), bytes: () => encodeTiff([rgb({ override: { 259: [3, [7]] } })]) },
    { file: 'bits12.tif', what: '12-bit samples', expect: refused('12-bit samples are not supported'), bytes: () => encodeTiff([gray({ override: { 258: [3, [12]] } })]) },
    { file: 'five-channels.tif', what: '5 samples per pixel', expect: refused('5 samples per pixel is not supported'), bytes: () => encodeTiff([rgb({ override: { 277: [3, [5]] } })]) },
    { file: 'bigtiff.tif', what: 'BigTIFF header', expect: refused('BigTIFF files are not supported'), bytes: () => Uint8Array.from([0x49, 0x49, 43, 0, 8, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0]) },
    { file: 'png-renamed.tif', what: 'a PNG renamed .tif', expect: refused('not a TIFF file: it looks like a PNG image'), bytes: () => encodePng(256, 256, slice.data) },
    { file: 'jpeg-renamed.tif', what: 'JPEG bytes renamed .tif', expect: refused('not a TIFF file: it looks like a JPEG image'), bytes: () => Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]) },
    { file: 'notes.tif', what: 'a text file renamed .tif', expect: refused('not a TIFF file: it looks like a text file'), bytes: () => new TextEncoder().encode('patient: TCGA_FG_6688\nslice 20\nthis is not an image\n') },
    { file: 'random-bytes.tif', what: '10 kB of random bytes', expect: refused('not a TIFF file'), bytes: () => { const b = randomBytes(10_000, 3); b[0] = 0; return b; } },
  ];

  const masks: CorpusCase[] = [
    { file: `${BASE_SLICE}_mask.tif`, what: 'the fixture mask, as a mask of the fixture slice', role: 'mask', pairedWith: 'reference.tif', expect: { outcome: 'decoded', width: 256, height: 256, noNotes: true }, bytes: () => new Uint8Array(readFileSync(resolve(FIXTURES, `${BASE_SLICE}_mask.tif`))) },
    { file: 'mask-other-size_mask.tif', what: 'a 100x37 mask for a 256x256 slice', role: 'mask', pairedWith: 'reference.tif', expect: refused('the mask is 100x37 but its image is 256x256'), bytes: () => encodeTiff([{ width: 100, height: 37, samplesPerPixel: 1, bits: 8, samples: nearestResize(mask, 1, 100, 37).data }]) },
    { file: 'mask-rgb_mask.tif', what: 'a mask saved as RGB, LZW', role: 'mask', pairedWith: 'reference.tif', expect: { outcome: 'decoded', width: 256, height: 256 }, bytes: () => encodeTiff([{ width: 256, height: 256, samplesPerPixel: 3, bits: 8, samples: Array.from(mask.data).flatMap((v) => [v, v, v]), compression: 'lzw', rowsPerStrip: 32 }]) },
  ];
  return [...cases.map((c) => ({ ...c, role: 'image' as const })), ...masks];
}

/** Points the file's only directory's "next IFD" link back at itself. */
function ifdLoop(bytes: Uint8Array): Uint8Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ifd = v.getUint32(4, true);
  v.setUint32(ifd + 2 + v.getUint16(ifd, true) * 12, ifd, true);
  return bytes;
}

/** Replaces each strip's bytes with random ones (same offsets and counts). */
function garbageStrips(spec: TiffPageSpec, seed: number): Uint8Array {
  const bytes = encodeTiff([spec], { directoriesFirst: true });
  const v = new DataView(bytes.buffer);
  const ifd = v.getUint32(4, true);
  const all = randomBytes(bytes.length, seed);
  const n = v.getUint16(ifd, true);
  let offsets: number[] = [];
  let counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + i * 12;
    const tag = v.getUint16(e, true);
    const count = v.getUint32(e + 4, true);
    const at = count === 1 ? e + 8 : v.getUint32(e + 8, true);
    const values = Array.from({ length: count }, (_, k) => v.getUint32(at + 4 * k, true));
    if (tag === 273) offsets = values;
    if (tag === 279) counts = values;
  }
  offsets.forEach((o, k) => bytes.set(all.subarray(o, o + counts[k]), o));
  return bytes;
}

/** Replaces the single Deflate strip with 64 MB of zeros deflated (~64 kB), keeping the directory valid. */
function deflateBomb(bytes: Uint8Array): Uint8Array {
  const bomb = deflateSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
  const v = new DataView(bytes.buffer);
  const ifd = v.getUint32(4, true);
  const n = v.getUint16(ifd, true);
  let stripAt = 0;
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + i * 12;
    if (v.getUint16(e, true) === 273) stripAt = v.getUint32(e + 8, true);
    if (v.getUint16(e, true) === 279) v.setUint32(e + 8, bomb.length, true);
  }
  const out = new Uint8Array(stripAt + bomb.length);
  out.set(bytes.subarray(0, stripAt));
  out.set(bomb, stripAt);
  return out;
}
