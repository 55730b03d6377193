/**
 * A minimal reader of kaggle_3m-layout folders for evaluation: patient folders, image/mask pairs, decoded with
 * src/io exactly as the app decodes a dropped file. Every data error names the file.
 * TODO(h1b): replace by training/src/data's loader once it lands (one reader for training and evaluation).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE_SIZE } from '../../../src/core/constants';
import type { BinaryMask, RgbImage } from '../../../src/core/image';
import { pairSlices } from '../../../src/core/slices';
import { InputError } from '../../../src/io/errors';
import { rasterToMask, rasterToSlice, type Raster } from '../../../src/io/raster';
import { decodeTiff } from '../../../src/io/tiff';

export interface LabeledSlice {
  patient: string;
  file: string;
  index: number | null;
  image: RgbImage;
  mask: BinaryMask;
}

/** Accepts the kaggle_3m folder itself or a folder holding it (what `unpack.sh DEST` creates). */
export function kaggleRoot(dir: string): string {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(dir, 'no such data folder');
  const inner = join(dir, 'kaggle_3m');
  return existsSync(inner) && statSync(inner).isDirectory() ? inner : dir;
}

/** Patient folders of a kaggle_3m root, sorted (data.csv and other files are ignored). */
export function listPatients(root: string): string[] {
  const patients = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  if (patients.length === 0) throw new InputError(root, 'no patient folders in this data folder (expected kaggle_3m/<patient>/<patient>_<n>.tif)');
  return patients;
}

function decodeFile(path: string): Raster {
  const raster = decodeTiff(readFileSync(path), path).raster;
  if (raster.width !== IMAGE_SIZE || raster.height !== IMAGE_SIZE)
    throw new InputError(path, `image is ${raster.width}x${raster.height}, expected ${IMAGE_SIZE}x${IMAGE_SIZE} like every LGG slice`);
  return raster;
}

/** One patient's slices in slice order, decoded, with ground-truth masks. */
export function readPatient(root: string, patient: string): LabeledSlice[] {
  const dir = join(root, patient);
  if (!existsSync(dir)) throw new InputError(dir, 'patient folder not found');
  const files = readdirSync(dir).filter((f) => /\.tiff?$/i.test(f));
  const { pairs, orphanMasks } = pairSlices(files.map((f) => ({ path: f, value: join(dir, f) })));
  if (orphanMasks.length) throw new InputError(join(dir, orphanMasks[0].file), 'mask without its image');
  if (pairs.length === 0) throw new InputError(dir, 'patient folder has no slices (<patient>_<n>.tif)');
  return pairs.map((p) => {
    if (!p.mask) throw new InputError(p.image, `missing mask ${p.name.key}_mask.tif`);
    return {
      patient,
      file: p.name.file,
      index: p.name.index,
      image: rasterToSlice(decodeFile(p.image)).value,
      mask: rasterToMask(decodeFile(p.mask)).value,
    };
  });
}
