/**
 * Bounded decompressors for TIFF strips and tiles, registered into utif by utif-fixes.ts. Each writes at most
 * `out.length` bytes and stops at the end of its input, so a damaged or hostile chunk can neither hang the page
 * nor allocate more than the image needs (utif's own LZW loops forever on a stream without an end code, and
 * its inflate has no output limit).
 */
import pako from 'pako';

export const COMPRESSION_NAMES: Record<number, string> = {
  1: 'none',
  2: 'CCITT RLE',
  3: 'CCITT Group 3 fax',
  4: 'CCITT Group 4 fax',
  5: 'LZW',
  6: 'old-style JPEG',
  7: 'JPEG',
  8: 'Deflate',
  32773: 'PackBits',
  32946: 'Deflate',
  34712: 'JPEG 2000',
  34887: 'LERC',
  50000: 'Zstandard',
  50001: 'WebP',
};

export function isSupportedCompression(c: number): boolean {
  return c === 1 || c === 5 || c === 8 || c === 32946 || c === 32773;
}

/** TIFF LZW: MSB-first codes of 9 to 12 bits, code width grows one code early (as libtiff writes it). */
export function lzwDecode(src: Uint8Array, out: Uint8Array): number {
  const CLEAR = 256;
  const EOI = 257;
  const prefix = new Int16Array(4096);
  const suffix = new Uint8Array(4096);
  const firstByte = new Uint8Array(4096);
  const length = new Uint16Array(4096);
  for (let i = 0; i < 256; i++) {
    prefix[i] = -1;
    suffix[i] = firstByte[i] = i;
    length[i] = 1;
  }
  const emit = (code: number, pos: number): number => {
    const len = length[code];
    for (let i = len - 1, c = code; i >= 0; i--, c = prefix[c]) if (pos + i < out.length) out[pos + i] = suffix[c];
    return len;
  };
  const totalBits = src.length * 8;
  let bitPos = 0;
  let width = 9;
  let next = 258;
  let prev = -1;
  let pos = 0;
  while (bitPos + width <= totalBits && pos < out.length) {
    const at = bitPos >>> 3;
    const window = (src[at] << 16) | ((src[at + 1] ?? 0) << 8) | (src[at + 2] ?? 0);
    const code = (window >>> (24 - (bitPos & 7) - width)) & ((1 << width) - 1);
    bitPos += width;
    if (code === EOI) break;
    if (code === CLEAR) {
      width = 9;
      next = 258;
      prev = -1;
      continue;
    }
    if (prev === -1) {
      if (code > 255) throw new Error('damaged LZW data (first code after a clear is not a byte)');
      out[pos++] = code;
      prev = code;
      continue;
    }
    let first: number;
    if (code < next) {
      pos += emit(code, pos);
      first = firstByte[code];
    } else if (code === next) {
      const len = emit(prev, pos);
      first = firstByte[prev];
      if (pos + len < out.length) out[pos + len] = first;
      pos += len + 1;
    } else {
      throw new Error('damaged LZW data (code out of range)');
    }
    if (next < 4096) {
      prefix[next] = prev;
      suffix[next] = first;
      firstByte[next] = firstByte[prev];
      length[next] = length[prev] + 1;
      next++;
      if (next >= (1 << width) - 1 && width < 12) width++;
    }
    prev = code;
  }
  return Math.min(pos, out.length);
}

/** PackBits (Apple RLE): a header byte n, then n+1 literal bytes (n >= 0) or one byte repeated 1-n times. */
export function packBitsDecode(src: Uint8Array, out: Uint8Array): number {
  let i = 0;
  let pos = 0;
  while (i < src.length && pos < out.length) {
    const n = (src[i++] << 24) >> 24;
    if (n >= 0) {
      for (let k = 0; k <= n && i < src.length && pos < out.length; k++) out[pos++] = src[i++];
    } else if (n !== -128) {
      if (i >= src.length) break;
      const b = src[i++];
      for (let k = 0; k < 1 - n && pos < out.length; k++) out[pos++] = b;
    }
  }
  return pos;
}

class OutputFull extends Error {}

/** zlib inflate that stops once `out` is full: a small chunk cannot expand into gigabytes. */
export function inflateInto(src: Uint8Array, out: Uint8Array): number {
  const inflater = new pako.Inflate({ chunkSize: 64 * 1024 });
  let pos = 0;
  inflater.onData = (chunk: Uint8Array) => {
    const n = Math.min(chunk.length, out.length - pos);
    out.set(chunk.subarray(0, n), pos);
    pos += n;
    if (pos >= out.length) throw new OutputFull();
  };
  let status = 0;
  inflater.onEnd = (s: number) => {
    status = s;
  };
  try {
    inflater.push(src, true);
  } catch (e) {
    if (!(e instanceof OutputFull)) throw e;
    return pos;
  }
  if (status !== 0 && pos < out.length) throw new Error(`damaged Deflate data (${inflater.strm?.msg || `zlib status ${status}`})`);
  return pos;
}

/** Undoes TIFF predictor 2 (horizontal differencing) on 32-bit integer samples in place, row by row. */
export function undoHorizontalPredictor32(buf: Uint8Array, rows: number, rowBytes: number, samplesPerPixel: number, littleEndian: boolean): void {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const stride = samplesPerPixel * 4;
  for (let y = 0; y < rows; y++) {
    const row = y * rowBytes;
    if (row + rowBytes > buf.length) return;
    for (let at = row + stride; at < row + rowBytes; at += 4) view.setUint32(at, view.getUint32(at, littleEndian) + view.getUint32(at - stride, littleEndian), littleEndian);
  }
}
