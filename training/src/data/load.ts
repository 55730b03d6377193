/**
 * Decodes slices into memory as uint8 (all 64 patients are ~450 MB), through src/io exactly as the app decodes
 * uploads. Labels come from the full-size mask: a slice is tumor when any mask pixel is nonzero.
 */
import { readFileSync } from 'node:fs';
import { IMAGE_CHANNELS, IMAGE_SIZE } from '../../../src/core/constants';
import { hasTumor } from '../../../src/core/image';
import { InputError } from '../../../src/io/errors';
import { rasterToMask, rasterToSlice, type Raster } from '../../../src/io/raster';
import { decodeTiff } from '../../../src/io/tiff';
import type { SliceRecord } from './index';

export interface SliceSet {
  size: number;
  records: SliceRecord[];
  /** N * size * size * 3, RGB interleaved. */
  images: Uint8Array;
  /** N * size * size, 0/1. */
  masks: Uint8Array;
  /** 1 = tumor. */
  labels: Uint8Array;
}

function readRaster(path: string, channels: number[]): Raster {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new InputError(path, `cannot read the file (${(e as Error).message})`);
  }
  const { raster } = decodeTiff(bytes, path);
  if (raster.width !== IMAGE_SIZE || raster.height !== IMAGE_SIZE)
    throw new InputError(path, `wrong size ${raster.width}x${raster.height}: LGG slices are ${IMAGE_SIZE}x${IMAGE_SIZE}`);
  if (!channels.includes(raster.channels)) throw new InputError(path, `${raster.channels} channels, expected ${channels.join(' or ')}`);
  return raster;
}

/** Loads records at `size` (256 for real training; smaller sizes resize bilinearly / nearest for quick tests). */
export function loadSlices(records: SliceRecord[], size = IMAGE_SIZE, onProgress?: (done: number) => void): SliceSet {
  const px = size * size;
  const images = new Uint8Array(records.length * px * IMAGE_CHANNELS);
  const masks = new Uint8Array(records.length * px);
  const labels = new Uint8Array(records.length);
  records.forEach((r, i) => {
    const image = rasterToSlice(readRaster(r.imagePath, [3, 4]), size).value;
    const maskRaster = readRaster(r.maskPath, [1, 2, 3, 4]);
    labels[i] = hasTumor(rasterToMask(maskRaster, IMAGE_SIZE).value) ? 1 : 0;
    images.set(image.data, i * px * IMAGE_CHANNELS);
    masks.set(rasterToMask(maskRaster, size).value.data, i * px);
    if (onProgress && (i % 50 === 49 || i === records.length - 1)) onProgress(i + 1);
  });
  return { size, records, images, masks, labels };
}

/** A subset (copies the selected rows). */
export function selectSlices(set: SliceSet, rows: number[]): SliceSet {
  const px = set.size * set.size;
  const images = new Uint8Array(rows.length * px * IMAGE_CHANNELS);
  const masks = new Uint8Array(rows.length * px);
  const labels = new Uint8Array(rows.length);
  rows.forEach((row, i) => {
    images.set(set.images.subarray(row * px * IMAGE_CHANNELS, (row + 1) * px * IMAGE_CHANNELS), i * px * IMAGE_CHANNELS);
    masks.set(set.masks.subarray(row * px, (row + 1) * px), i * px);
    labels[i] = set.labels[row];
  });
  return { size: set.size, records: rows.map((r) => set.records[r]), images, masks, labels };
}
