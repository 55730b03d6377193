/** An uncompressed 8-bit grayscale baseline TIFF (little-endian, one strip): the dataset's mask format (0/255). */
import type { BinaryMask, Size } from '../core/image';
import { resizeMaskNearest } from '../core/resize';
import { TAG } from './tiff-structure';

/** TIFF field types: 16- and 32-bit unsigned. */
const SHORT = 3;
const LONG = 4;

export function grayTiff(width: number, height: number, pixels: Uint8Array): Uint8Array {
  if (pixels.length !== width * height) throw new Error(`expected ${width * height} pixels, got ${pixels.length}`);
  const entries: [tag: number, type: number, value: number][] = [
    [TAG.width, LONG, width],
    [TAG.height, LONG, height],
    [TAG.bitsPerSample, SHORT, 8],
    [TAG.compression, SHORT, 1], // none
    [TAG.photometric, SHORT, 1], // black is zero
    [TAG.stripOffsets, LONG, 0], // patched below
    [TAG.samplesPerPixel, SHORT, 1],
    [TAG.rowsPerStrip, LONG, height],
    [TAG.stripByteCounts, LONG, pixels.length],
    [TAG.planarConfig, SHORT, 1], // chunky
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const dataOffset = 8 + ifdSize;
  const out = new Uint8Array(dataOffset + pixels.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, 0x4949, true);
  v.setUint16(2, 42, true);
  v.setUint32(4, 8, true);
  v.setUint16(8, entries.length, true);
  entries.forEach(([tag, type, value], k) => {
    const at = 10 + k * 12;
    v.setUint16(at, tag, true);
    v.setUint16(at + 2, type, true);
    v.setUint32(at + 4, 1, true);
    const val = tag === TAG.stripOffsets ? dataOffset : value;
    if (type === SHORT) v.setUint16(at + 8, val, true);
    else v.setUint32(at + 8, val, true);
  });
  v.setUint32(10 + entries.length * 12, 0, true); // no next IFD
  out.set(pixels, dataOffset);
  return out;
}

/** A binary mask as the dataset writes it: 0 background, 255 tumor. */
export function maskTiff(mask: BinaryMask): Uint8Array {
  const gray = new Uint8Array(mask.data.length);
  for (let i = 0; i < gray.length; i++) gray[i] = mask.data[i] ? 255 : 0;
  return grayTiff(mask.width, mask.height, gray);
}

/**
 * `<slice>.tif` -> `<slice>_predicted_mask.tif`, for a predicted mask saved beside its slice: it ends in `_mask`
 * like the dataset's masks but is never the name of the slice's own ground truth (`<slice>_mask.tif`).
 */
export function predictedMaskFileName(imageFile: string): string {
  return `${imageFile.replace(/\.[^.]*$/, '')}_predicted_mask.tif`;
}

/**
 * A predicted mask as saved: in the size of the file the slice came from (a 512x512 PNG gets a 512x512 mask, nearest
 * neighbour from the 256 grid the models work on), named `<slice>_predicted_mask.tif`.
 */
export function predictedMaskFile(imageFile: string, mask: BinaryMask, sourceSize: Size): { name: string; data: Uint8Array } {
  return { name: predictedMaskFileName(imageFile), data: maskTiff(resizeMaskNearest(mask, sourceSize.width, sourceSize.height)) };
}
