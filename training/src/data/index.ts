/**
 * Indexes a folder in the LGG `kaggle_3m` layout (`<patient>/<patient>_<n>.tif` + `<patient>_<n>_mask.tif`).
 * Also accepts the folder above `kaggle_3m/`, and a flat folder of slices (patient taken from the file name).
 * Bad data stops here with an error that names the file.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pairSlices } from '../../../src/core/slices';
import { InputError } from '../../../src/io/errors';

export interface SliceRecord {
  patient: string;
  key: string;
  index: number | null;
  imagePath: string;
  maskPath: string;
}

const SLICE_FILE = /\.tiff?$/i;

function slicesIn(dir: string, patientFromFolder: string | null): SliceRecord[] {
  const files = readdirSync(dir).sort().filter((f) => SLICE_FILE.test(f) && statSync(join(dir, f)).isFile());
  const { pairs, orphanMasks, duplicates } = pairSlices(files.map((f) => ({ path: f, value: join(dir, f) })));
  if (orphanMasks.length) throw new InputError(join(dir, orphanMasks[0].file), 'a mask without its image');
  // Training data must be unambiguous: which of two files of one slice is the truth is not ours to guess.
  if (duplicates.length) throw new InputError(join(dir, duplicates[0].dropped.file), `the same slice as ${duplicates[0].kept.file}: keep one of them`);
  return pairs.map((p) => {
    if (!p.mask) throw new InputError(p.image, `missing mask: expected ${join(dir, `${p.name.key}_mask.tif`)}`);
    // The folder names the patient; a file of another patient in it (a copied folder, "TCGA_X copy") would count that
    // patient twice, and the split by patient could put it on both sides.
    if (patientFromFolder !== null && p.name.index !== null && p.name.patient !== patientFromFolder)
      throw new InputError(p.image, `a slice of patient ${p.name.patient} in the folder of ${patientFromFolder}: each patient's slices belong in a folder of its own name`);
    return { patient: patientFromFolder ?? p.name.patient, key: p.name.key, index: p.name.index, imagePath: p.image, maskPath: p.mask };
  });
}

/** All slices under root, ordered by patient then slice number. */
export function indexDataset(root: string): SliceRecord[] {
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new InputError(root, 'no such data folder');
  if (existsSync(join(root, 'kaggle_3m')) && statSync(join(root, 'kaggle_3m')).isDirectory()) return indexDataset(join(root, 'kaggle_3m'));
  const entries = readdirSync(root).sort();
  const patientDirs = entries.filter((e) => statSync(join(root, e)).isDirectory() && !e.startsWith('.'));
  const records: SliceRecord[] = slicesIn(root, null);
  for (const patient of patientDirs) {
    const own = slicesIn(join(root, patient), patient);
    if (own.length === 0) throw new InputError(join(root, patient), `patient ${patient} has no slices (no <patient>_<n>.tif files)`);
    records.push(...own);
  }
  if (records.length === 0) throw new InputError(root, 'empty data folder: no slices (<patient>/<patient>_<n>.tif with _mask.tif) found');
  return records;
}

export function patientsOf(records: SliceRecord[]): string[] {
  return [...new Set(records.map((r) => r.patient))].sort();
}
