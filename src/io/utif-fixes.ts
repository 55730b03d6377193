/**
 * Corrected kernels for utif 3.1, registered in place of the faulty ones (house rule: fix a library's bug
 * by replacing its kernel, with a test that shows the bug; see __tests__/utif-fixes.test.ts):
 * - `_decodeLZW` runs until it meets an end code: on a stream without one it reads past the strip's end
 *   (as zeros) forever. The fix stops at the end of its input and when the target is full.
 * - `_decodePackBits` views `data.buffer` and `tgt.buffer` from byte 0, ignoring their byteOffset, and has
 *   no output bound. The fix reads and writes the views it is given, within their length.
 * - `_decompress` inflates Deflate with no output cap (a small strip can expand to gigabytes, all copied on
 *   into the image), says nothing when a chunk holds fewer bytes than its strip or tile needs, and applies
 *   its byte-order swap and predictor with the image's width to tiles. The wrapper decodes the compressions
 *   this app accepts (none, LZW, Deflate, PackBits) into a chunk of exactly the expected size, reports a
 *   short chunk as a ChunkError, and hands the chunk to utif's own `_decompress` (as uncompressed data, with
 *   the tile's geometry) for the byte-order swap and the horizontal predictor. Anything else falls through.
 */
import UTIF from 'utif';
import { inflateInto, lzwDecode, packBitsDecode, undoHorizontalPredictor32 } from './tiff-codecs';

/** utif's IFD object: tags as "t<number>" arrays, plus what decodeImage adds. */
export type UtifIfd = Record<string, unknown> & { width?: number; height?: number; isLE?: boolean; data?: Uint8Array };
type Decompress = (img: UtifIfd, ifds: UtifIfd[], data: Uint8Array, off: number, len: number, cmpr: number, tgt: Uint8Array, toff: number, fo: number) => void;
type DecodeLzw = (data: Uint8Array, off: number, tgt: Uint8Array, toff: number) => number | void;
type DecodePackBits = (data: Uint8Array, off: number, len: number, tgt: Uint8Array, toff: number) => number | void;
interface Kernels {
  _decompress: Decompress;
  _decodeLZW: DecodeLzw;
  _decodePackBits: DecodePackBits;
}
type Fixed<F> = F & { stock?: F };

const kernels = UTIF.decode as unknown as Kernels;
const stockOf = <F>(f: Fixed<F>): F => f.stock ?? f;

/** utif's original kernels, kept for the tests that show their bugs (saved before the first install). */
export const stockKernels: Readonly<Kernels> = Object.freeze({
  _decompress: stockOf(kernels._decompress as Fixed<Decompress>),
  _decodeLZW: stockOf(kernels._decodeLZW as Fixed<DecodeLzw>),
  _decodePackBits: stockOf(kernels._decodePackBits as Fixed<DecodePackBits>),
});

/** A strip or tile that failed: `produced` < `expected` bytes, or the codec threw (`reason`). */
export class ChunkError extends Error {
  constructor(
    readonly index: number,
    readonly produced: number,
    readonly expected: number,
    readonly reason?: string,
  ) {
    super(reason ?? `chunk ${index} holds ${produced} of its ${expected} bytes`);
    this.name = 'ChunkError';
  }
}

/** Per-image context the caller registers before UTIF.decodeImage: chunk numbering and declared byte counts. */
export interface ChunkJob {
  /** Index of this image's first chunk in the file's offset list (planes decode one after another). */
  firstIndex: number;
  /** Declared byte counts, used to read no more than an uncompressed chunk declares. */
  counts: number[];
  next: number;
}
export const chunkJobs = new WeakMap<object, ChunkJob>();

/** Bounded LZW: `data` from `off` to its end is the strip; writes at most what `tgt` holds from `toff`. */
export const fixedDecodeLzw: DecodeLzw = (data, off, tgt, toff) => lzwDecode(data.subarray(off), tgt.subarray(toff));

/** PackBits over the given views (utif's ignores their byteOffset), bounded by input and target. */
export const fixedDecodePackBits: DecodePackBits = (data, off, len, tgt, toff) => packBitsDecode(data.subarray(off, off + len), tgt.subarray(toff));

const BOUNDED = new Set([1, 5, 8, 32946, 32773]);
const first = (img: UtifIfd, tag: number): number | undefined => (img[`t${tag}`] as number[] | undefined)?.[0];

export const fixedDecompress: Decompress = (img, ifds, data, off, len, cmpr, tgt, toff, fo) => {
  if (!BOUNDED.has(cmpr)) return stockKernels._decompress(img, ifds, data, off, len, cmpr, tgt, toff, fo);
  const bits = Math.min(32, first(img, 258) ?? 1);
  const spp = first(img, 277) ?? 1;
  const tileWidth = first(img, 322);
  const width = tileWidth ?? (img.width as number);
  const rows = first(img, 323) ?? Math.min(first(img, 278) ?? (img.height as number), img.height as number);
  const rowBytes = Math.ceil((width * spp * bits) / 8);
  // A tile fills utif's tile buffer; a strip its rows (the last one stops at the end of the image).
  const expected = tileWidth !== undefined ? tgt.length : Math.max(0, Math.min(rows * rowBytes, tgt.length - toff));
  const job = chunkJobs.get(img);
  const index = job ? job.firstIndex + job.next++ : -1;
  if (expected === 0) return;

  // Byte-order swap (16-bit big-endian) and predictor run in utif's own code on a separate chunk; without
  // them the chunk is decoded straight into utif's target.
  const predictor = first(img, 317) === 2;
  const swap = bits === 16 && img.isLE === false;
  const chunk = predictor || swap ? new Uint8Array(expected) : tgt.subarray(toff, toff + expected);
  const declared = cmpr === 1 && job ? Math.min(len, job.counts[index - job.firstIndex] ?? len) : len;
  const src = data.subarray(off, off + declared);
  let produced: number;
  try {
    if (cmpr === 1) {
      produced = Math.min(src.length, expected);
      chunk.set(src.subarray(0, produced));
    } else if (cmpr === 5) produced = kernels._decodeLZW(src, 0, chunk, 0) ?? 0;
    else if (cmpr === 32773) produced = kernels._decodePackBits(src, 0, src.length, chunk, 0) ?? 0;
    else produced = inflateInto(src, chunk);
  } catch (e) {
    throw new ChunkError(index, 0, expected, (e as Error).message);
  }
  if (produced < expected) throw new ChunkError(index, produced, expected);
  if (chunk.buffer === tgt.buffer) return;

  // utif's predictor adds 32-bit samples byte by byte (no carries): undo it here, in the file's byte order.
  const geometry: UtifIfd = { ...img, width, t278: [rows] };
  if (bits === 32 && predictor) {
    undoHorizontalPredictor32(chunk, rows, rowBytes, spp, img.isLE !== false);
    delete geometry.t317;
  }
  stockKernels._decompress(geometry, ifds, chunk, 0, expected, 1, tgt, toff, fo);
};

export function installUtifFixes(): void {
  if (kernels._decompress === fixedDecompress) return;
  kernels._decompress = Object.assign(fixedDecompress, { stock: stockKernels._decompress });
  kernels._decodeLZW = Object.assign(fixedDecodeLzw, { stock: stockKernels._decodeLZW });
  kernels._decodePackBits = Object.assign(fixedDecodePackBits, { stock: stockKernels._decodePackBits });
}
