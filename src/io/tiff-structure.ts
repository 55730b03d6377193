/**
 * A bounded reader of the TIFF container: header, the chain of directories (IFDs) and the tags the decoder
 * needs. Every offset is checked against the file size before it is read, a looping IFD chain stops, and
 * nothing is allocated from a size the file declares, so damaged or hostile files fail fast with an InputError.
 */
import { DamagedTiffError, InputError } from './errors';

/** Tags the decoder reads; anything else (EXIF, XMP, ...) is skipped unread. */
export const TAG = {
  width: 256,
  height: 257,
  bitsPerSample: 258,
  compression: 259,
  photometric: 262,
  stripOffsets: 273,
  samplesPerPixel: 277,
  rowsPerStrip: 278,
  stripByteCounts: 279,
  planarConfig: 284,
  predictor: 317,
  colorMap: 320,
  tileWidth: 322,
  tileLength: 323,
  tileOffsets: 324,
  tileByteCounts: 325,
  extraSamples: 338,
  sampleFormat: 339,
} as const;

const TAG_NAMES = new Map<number, string>(Object.entries(TAG).map(([name, id]) => [id, name]));
const WANTED = new Set<number>(Object.values(TAG));

/** Bytes per value of each TIFF field type (1 BYTE ... 12 DOUBLE). */
const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 };

/** More directories than this in one file is not a slice; stop reading (also guards long chains). */
const MAX_PAGES = 1024;

export type Tags = Map<number, number[]>;

export interface TiffStructure {
  littleEndian: boolean;
  /** Tags of every page, in file order. */
  pages: Tags[];
  /** True when the IFD chain pointed back at a directory already read (a loop), and reading stopped there. */
  loopedChain: boolean;
}

export function tagName(tag: number): string {
  return `${TAG_NAMES.get(tag) ?? 'tag'} (${tag})`;
}

export function readTiffStructure(bytes: Uint8Array, file: string): TiffStructure {
  if (bytes.length < 8) throw new DamagedTiffError(file, `the file ends inside the TIFF header (${bytes.length} bytes)`);
  const littleEndian = bytes[0] === 0x49;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number) => view.getUint16(o, littleEndian);
  const u32 = (o: number) => view.getUint32(o, littleEndian);
  if (u16(2) === 43) throw new InputError(file, 'BigTIFF files are not supported (save the slice as a classic TIFF)');

  const pages: Tags[] = [];
  const seen = new Set<number>();
  let offset = u32(4);
  let loopedChain = false;
  while (offset !== 0 && pages.length < MAX_PAGES) {
    if (seen.has(offset)) {
      loopedChain = true;
      break;
    }
    seen.add(offset);
    if (offset < 8 || offset + 2 > bytes.length) {
      if (pages.length > 0) break; // a broken link after the first page: keep what was read
      throw new DamagedTiffError(file, `its first directory (IFD) is at byte ${offset} but the file has ${bytes.length} bytes`);
    }
    const count = u16(offset);
    const end = offset + 2 + count * 12;
    if (count === 0) throw new DamagedTiffError(file, `the TIFF directory at byte ${offset} is empty`);
    if (end > bytes.length) throw new DamagedTiffError(file, `the file ends inside a TIFF directory (IFD at byte ${offset} needs ${end} bytes, the file has ${bytes.length})`);
    pages.push(readEntries(view, littleEndian, offset + 2, count, file));
    offset = end + 4 <= bytes.length ? u32(end) : 0;
  }
  return { littleEndian, pages, loopedChain };
}

function readEntries(view: DataView, le: boolean, start: number, count: number, file: string): Tags {
  const tags: Tags = new Map();
  for (let i = 0; i < count; i++) {
    const e = start + i * 12;
    const tag = view.getUint16(e, le);
    if (!WANTED.has(tag)) continue;
    const type = view.getUint16(e + 2, le);
    const n = view.getUint32(e + 4, le);
    const size = TYPE_SIZE[type];
    if (!size) throw new DamagedTiffError(file, `${tagName(tag)} has an unknown field type ${type}`);
    const total = size * n;
    const at = total <= 4 ? e + 8 : view.getUint32(e + 8, le);
    if (at + total > view.byteLength) throw new DamagedTiffError(file, `${tagName(tag)} points past the end of the file`);
    tags.set(tag, readValues(view, le, type, at, n));
  }
  return tags;
}

function readValues(view: DataView, le: boolean, type: number, at: number, n: number): number[] {
  const out = new Array<number>(n);
  for (let j = 0; j < n; j++) {
    switch (type) {
      case 3: out[j] = view.getUint16(at + 2 * j, le); break;
      case 4: out[j] = view.getUint32(at + 4 * j, le); break;
      case 8: out[j] = view.getInt16(at + 2 * j, le); break;
      case 9: out[j] = view.getInt32(at + 4 * j, le); break;
      case 5: out[j] = view.getUint32(at + 8 * j, le) / (view.getUint32(at + 8 * j + 4, le) || 1); break;
      case 10: out[j] = view.getInt32(at + 8 * j, le) / (view.getInt32(at + 8 * j + 4, le) || 1); break;
      case 11: out[j] = view.getFloat32(at + 4 * j, le); break;
      case 12: out[j] = view.getFloat64(at + 8 * j, le); break;
      case 6: out[j] = view.getInt8(at + j); break;
      default: out[j] = view.getUint8(at + j); // 1 BYTE, 2 ASCII, 7 UNDEFINED
    }
  }
  return out;
}
