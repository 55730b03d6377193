/**
 * A small TIFF writer for test inputs (utif's encoder writes only 8-bit RGBA): any bit depth and sample format,
 * either byte order, strips or tiles, chunky or planar, none/LZW/Deflate/PackBits with optional predictor,
 * several pages, and raw tag overrides so tests can write deliberately wrong headers.
 */
import { deflateSync } from 'node:zlib';
import { lzwEncode, packBitsEncode } from './tiff-compress';

export type Compression = 'none' | 'lzw' | 'deflate' | 'packbits';
const COMPRESSION_CODE: Record<Compression, number> = { none: 1, lzw: 5, deflate: 8, packbits: 32773 };

export interface TiffPageSpec {
  width: number;
  height: number;
  samplesPerPixel: number;
  bits: 1 | 2 | 4 | 8 | 16 | 32;
  /** 1 unsigned, 2 signed, 3 float. */
  sampleFormat?: 1 | 2 | 3;
  photometric?: number;
  /** width * height * samplesPerPixel sample values, interleaved. */
  samples: ArrayLike<number>;
  compression?: Compression;
  predictor?: 1 | 2;
  planar?: boolean;
  rowsPerStrip?: number;
  tile?: { width: number; height: number };
  colorMap?: number[];
  extraSamples?: number[];
  /** Tags written as given after the computed ones (tag -> [type, values]); `null` drops a tag. */
  override?: Record<number, [number, number[]] | null>;
}

export interface TiffFileOptions {
  littleEndian?: boolean;
  /** Put the directories before the pixel data (so truncating the file cuts pixel data, not the header). */
  directoriesFirst?: boolean;
}

/** Packs the samples of rows [y0, y0+rows) of the columns [x0, x0+w) of one plane into bytes, rows padded to bytes. */
function packRegion(page: TiffPageSpec, le: boolean, plane: number | null, x0: number, y0: number, w: number, rows: number): Uint8Array {
  const spp = plane === null ? page.samplesPerPixel : 1;
  const rowBits = w * spp * page.bits;
  const rowBytes = Math.ceil(rowBits / 8);
  const out = new Uint8Array(rowBytes * rows);
  const view = new DataView(out.buffer);
  if (page.bits === 8 && plane === null && x0 === 0 && w === page.width && page.samples instanceof Uint8Array) {
    out.set(page.samples.subarray(y0 * page.width * spp, Math.min(y0 + rows, page.height) * page.width * spp));
    if (page.predictor === 2) applyPredictor(out, rows, rowBytes, spp, 1, le);
    return out;
  }
  for (let y = 0; y < rows && y0 + y < page.height; y++)
    for (let x = 0; x < w && x0 + x < page.width; x++)
      for (let c = 0; c < spp; c++) {
        const v = page.samples[((y0 + y) * page.width + x0 + x) * page.samplesPerPixel + (plane ?? c)];
        const index = x * spp + c;
        const at = y * rowBytes + (index * page.bits) / 8;
        if (page.bits < 8) {
          const shift = 8 - page.bits * ((index % (8 / page.bits)) + 1);
          out[y * rowBytes + Math.floor((index * page.bits) / 8)] |= (v & ((1 << page.bits) - 1)) << shift;
        } else if (page.bits === 8) out[at] = v & 0xff;
        else if (page.bits === 16) page.sampleFormat === 2 ? view.setInt16(at, v, le) : view.setUint16(at, v, le);
        else if (page.sampleFormat === 3) view.setFloat32(at, v, le);
        else if (page.sampleFormat === 2) view.setInt32(at, v, le);
        else view.setUint32(at, v, le);
      }
  if (page.predictor === 2) applyPredictor(out, rows, rowBytes, spp, page.bits / 8, le);
  return out;
}

function applyPredictor(buf: Uint8Array, rows: number, rowBytes: number, spp: number, bytesPer: number, le: boolean): void {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const stride = spp * bytesPer;
  for (let y = 0; y < rows; y++)
    for (let i = rowBytes - bytesPer; i >= stride; i -= bytesPer) {
      const at = y * rowBytes + i;
      if (bytesPer === 1) buf[at] = (buf[at] - buf[at - stride]) & 0xff;
      else view.setUint16(at, (view.getUint16(at, le) - view.getUint16(at - stride, le)) & 0xffff, le);
    }
}

function compress(data: Uint8Array, c: Compression): Uint8Array {
  if (c === 'deflate') return new Uint8Array(deflateSync(data));
  if (c === 'lzw') return lzwEncode(data);
  if (c === 'packbits') return packBitsEncode(data);
  return data;
}

/** The compressed chunks (strips or tiles, plane by plane) of one page. */
function chunksOf(page: TiffPageSpec, le: boolean): Uint8Array[] {
  const planes = page.planar ? Array.from({ length: page.samplesPerPixel }, (_, i) => i) : [null];
  const chunks: Uint8Array[] = [];
  for (const plane of planes) {
    if (page.tile) {
      const { width: tw, height: th } = page.tile;
      for (let ty = 0; ty < Math.ceil(page.height / th); ty++)
        for (let tx = 0; tx < Math.ceil(page.width / tw); tx++) chunks.push(compress(packRegion(page, le, plane, tx * tw, ty * th, tw, th), page.compression ?? 'none'));
    } else {
      const rps = page.rowsPerStrip ?? page.height;
      for (let y = 0; y < page.height; y += rps)
        chunks.push(compress(packRegion(page, le, plane, 0, y, page.width, Math.min(rps, page.height - y)), page.compression ?? 'none'));
    }
  }
  return chunks;
}

type Entry = [tag: number, type: number, values: number[]];

function tagsOf(page: TiffPageSpec, offsets: number[], counts: number[]): Entry[] {
  const spp = page.samplesPerPixel;
  const entries: Entry[] = [
    [256, 4, [page.width]],
    [257, 4, [page.height]],
    [258, 3, Array(spp).fill(page.bits)],
    [259, 3, [COMPRESSION_CODE[page.compression ?? 'none']]],
    [262, 3, [page.photometric ?? (spp >= 3 ? 2 : 1)]],
    [277, 3, [spp]],
    [284, 3, [page.planar ? 2 : 1]],
    [339, 3, Array(spp).fill(page.sampleFormat ?? 1)],
  ];
  if (page.tile) entries.push([322, 4, [page.tile.width]], [323, 4, [page.tile.height]], [324, 4, offsets], [325, 4, counts]);
  else entries.push([273, 4, offsets], [278, 4, [page.rowsPerStrip ?? page.height]], [279, 4, counts]);
  if (page.predictor === 2) entries.push([317, 3, [2]]);
  if (page.colorMap) entries.push([320, 3, page.colorMap]);
  if (page.extraSamples) entries.push([338, 3, page.extraSamples]);
  const byTag = new Map(entries.map((e) => [e[0], e] as const));
  for (const [tag, value] of Object.entries(page.override ?? {})) {
    if (value === null) byTag.delete(Number(tag));
    else byTag.set(Number(tag), [Number(tag), value[0], value[1]]);
  }
  return [...byTag.values()].sort((a, b) => a[0] - b[0]);
}

const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 7: 1, 8: 2, 9: 4, 11: 4, 12: 8, 16: 8 };

/** Collects small writes as numbers and large chunks as they are (a 50 MB file must not become a number[]). */
class ByteWriter {
  private parts: Uint8Array[] = [];
  private current: number[] = [];
  length = 0;
  constructor(readonly le: boolean) {}
  push(...values: number[]) {
    for (const v of values) this.current.push(v & 0xff);
    this.length += values.length;
  }
  append(chunk: Uint8Array) {
    this.flush();
    this.parts.push(chunk);
    this.length += chunk.length;
  }
  u8(v: number) {
    this.push(v);
  }
  u16(v: number) {
    if (this.le) this.push(v & 0xff, (v >> 8) & 0xff);
    else this.push((v >> 8) & 0xff, v & 0xff);
  }
  u32(v: number) {
    const b = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    this.push(...(this.le ? b : b.reverse()));
  }
  value(type: number, v: number) {
    const size = TYPE_SIZE[type];
    if (size === 1) this.u8(v);
    else if (size === 2) this.u16(v);
    else if (type === 11) {
      const dv = new DataView(new ArrayBuffer(4));
      dv.setFloat32(0, v, this.le);
      this.push(...new Uint8Array(dv.buffer));
    } else this.u32(v);
  }
  pad() {
    if (this.length & 1) this.u8(0);
  }
  private flush() {
    if (this.current.length) this.parts.push(Uint8Array.from(this.current));
    this.current = [];
  }
  bytes(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** Size in bytes of one IFD and the out-of-line values it refers to. */
function directorySize(entries: Entry[]): number {
  let size = 2 + entries.length * 12 + 4;
  for (const [, type, values] of entries) {
    const n = TYPE_SIZE[type] * values.length;
    if (n > 4) size += n + (n & 1);
  }
  return size;
}

function writeDirectory(w: ByteWriter, entries: Entry[], next: number): void {
  const start = w.length;
  let extra = start + 2 + entries.length * 12 + 4;
  const deferred: Entry[] = [];
  w.u16(entries.length);
  for (const entry of entries) {
    const [tag, type, values] = entry;
    const n = TYPE_SIZE[type] * values.length;
    w.u16(tag);
    w.u16(type);
    w.u32(values.length);
    if (n <= 4) {
      for (const v of values) w.value(type, v);
      for (let i = n; i < 4; i++) w.u8(0);
    } else {
      w.u32(extra);
      extra += n + (n & 1);
      deferred.push(entry);
    }
  }
  w.u32(next);
  for (const [, type, values] of deferred) {
    for (const v of values) w.value(type, v);
    w.pad();
  }
}

/** Encodes pages into one TIFF file. */
export function encodeTiff(pages: TiffPageSpec[], options: TiffFileOptions = {}): Uint8Array {
  const le = options.littleEndian ?? true;
  const chunkSets = pages.map((p) => chunksOf(p, le));
  // Directory sizes do not depend on offset values, so lay out first with placeholders.
  const dirSizes = pages.map((p, i) => directorySize(tagsOf(p, chunkSets[i].map(() => 0), chunkSets[i].map(() => 0))));
  const dataSize = chunkSets.flat().reduce((s, c) => s + c.length + (c.length & 1), 0);
  const dirsStart = options.directoriesFirst ? 8 : 8 + dataSize;
  let dataAt = options.directoriesFirst ? 8 + dirSizes.reduce((a, b) => a + b, 0) : 8;
  const offsets = chunkSets.map((chunks) =>
    chunks.map((c) => {
      const at = dataAt;
      dataAt += c.length + (c.length & 1);
      return at;
    }),
  );
  const w = new ByteWriter(le);
  w.push(...(le ? [0x49, 0x49, 42, 0] : [0x4d, 0x4d, 0, 42]));
  w.u32(dirsStart);
  const writeData = () => chunkSets.flat().forEach((c) => {
    w.append(c);
    w.pad();
  });
  const writeDirs = () => {
    let at = dirsStart;
    pages.forEach((p, i) => {
      const next = i + 1 < pages.length ? at + dirSizes[i] : 0;
      writeDirectory(w, tagsOf(p, offsets[i], chunkSets[i].map((c) => c.length)), next);
      at += dirSizes[i];
    });
  };
  if (options.directoriesFirst) {
    writeDirs();
    writeData();
  } else {
    writeData();
    writeDirs();
  }
  return w.bytes();
}
