/**
 * Turning dropped files into slices: decode (TIFF via utif, PNG/JPEG via the browser), convert to the
 * models' 256x256 RGB slice or a binary mask, and pair `<name>_mask.tif` with `<name>.tif`.
 * Every failure becomes a message naming the file; nothing here throws for bad input.
 */
import type { BinaryMask, RgbImage } from '../core/image';
import { imageExtension, namedPatients, pairSlices, parseSliceName, type SliceName } from '../core/slices';
import { decodeBrowserImage, isPngOrJpeg } from '../io/browser-decode';
import { InputError, NotAnImageError } from '../io/errors';
import { checkMaskMatchesImage, rasterToMask, rasterToSlice, type Raster } from '../io/raster';
import { decodeTiff, isTiff, sniffFormat } from '../io/tiff';

/** Far above any slice; refused before reading the bytes. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Width and height of the file as decoded, before the 256x256 conversion: a mask must match its image's. */
export interface SourceSize {
  width: number;
  height: number;
}
export interface LoadedImage {
  name: SliceName;
  image: RgbImage;
  notes: string[];
  sourceSize: SourceSize;
}
export interface LoadedMask {
  name: SliceName;
  mask: BinaryMask;
  notes: string[];
  sourceSize: SourceSize;
}
export interface Intake {
  slices: { image: LoadedImage; mask: LoadedMask | null }[];
  /** Masks whose image was not among the dropped files (candidates for the current slice's ground truth). */
  orphanMasks: LoadedMask[];
  errors: string[];
  /**
   * The files named as images (`.tif`, `.png`, `.jpg`) that could not be decoded, each also told in `errors`: the
   * patient view names the slices they were, so a volume with a slice missing does not pass for a whole one.
   */
  unread: { file: string; reason: string }[];
  /** Things to tell that are not failures: several files that are not images (a folder's notes) were skipped. */
  notes: string[];
}

async function decodeRaster(file: File): Promise<{ raster: Raster; notes: string[] }> {
  if (file.size === 0) throw new InputError(file.name, 'the file is empty (0 bytes)');
  if (file.size > MAX_FILE_BYTES) throw new InputError(file.name, `the file is ${(file.size / 2 ** 20).toFixed(0)} MB, larger than any MRI slice this app accepts`);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    throw new InputError(file.name, 'the file cannot be read (is it a folder?)');
  }
  if (isTiff(bytes)) return decodeTiff(bytes, file.name);
  if (isPngOrJpeg(bytes)) {
    const raster = await decodeBrowserImage(bytes, file.name);
    // The canvas keeps color premultiplied by alpha, so a transparent pixel's color is gone (black) before we see it.
    const seeThrough = raster.channels === 2 || raster.channels === 4;
    return { raster, notes: seeThrough ? ['the browser decodes transparent pixels without their color (black); save the slice without transparency to keep it'] : [] };
  }
  // A file named as an image that is none is a slice the user will miss (damaged, or a download that never
  // finished): an error saying what it is, not the quiet note for a folder's README.
  const promised = imageExtension(file.name);
  if (promised === 'tiff') return decodeTiff(bytes, file.name);
  if (promised) {
    const kind = sniffFormat(bytes);
    throw new InputError(file.name, `not a ${promised.toUpperCase()} file${kind ? `: it looks like ${kind}` : ` (no ${promised.toUpperCase()} signature)`}`);
  }
  throw new NotAnImageError(file.name);
}

const message = (e: unknown, file: string) => (e instanceof InputError ? e.message : `${file}: ${(e as Error)?.message || String(e)}`);

/** Names listed in the one message for files that are not images; the rest are counted. */
const LISTED_NON_IMAGES = 3;

/**
 * One message for the files that are not images (a folder brings its notes, spreadsheets and system files such as
 * .DS_Store): one line per file would bury the messages that matter. A single such file keeps its own message.
 */
export function nonImageMessage(files: string[]): string | null {
  if (files.length === 0) return null;
  if (files.length === 1) return new NotAnImageError(files[0]).message;
  const listed = files.slice(0, LISTED_NON_IMAGES).join(', ');
  const more = files.length > LISTED_NON_IMAGES ? ` and ${files.length - LISTED_NON_IMAGES} more` : '';
  return `${files.length} files are not images this app reads and were skipped: ${listed}${more}`;
}

export async function intakeFiles(files: File[]): Promise<Intake> {
  const errors: string[] = [];
  const notImages: string[] = [];
  const unread: Intake['unread'] = [];
  const decoded: { path: string; value: { file: File; raster: Raster; notes: string[] } }[] = [];
  for (const file of files) {
    try {
      const { raster, notes } = await decodeRaster(file);
      decoded.push({ path: file.name, value: { file, raster, notes } });
    } catch (e) {
      if (e instanceof NotAnImageError) notImages.push(file.name);
      else {
        const text = message(e, file.name);
        errors.push(text);
        if (imageExtension(file.name)) unread.push({ file: file.name, reason: text });
      }
    }
  }
  // Files that are not images beside images came with a folder (its notes, data.csv): a note. Alone, the user
  // meant to open them: an error.
  const notes: string[] = [];
  const skipped = nonImageMessage(notImages);
  if (skipped) (decoded.length > 0 ? notes : errors).push(skipped);
  const toMask = (name: SliceName, v: { raster: Raster; notes: string[] }): LoadedMask => {
    const m = rasterToMask(v.raster);
    return { name, mask: m.value, notes: [...v.notes, ...m.notes], sourceSize: { width: v.raster.width, height: v.raster.height } };
  };
  const { pairs, orphanMasks, duplicates } = pairSlices(decoded);
  for (const d of duplicates) notes.push(`${d.dropped.file}: the same slice as ${d.kept.file}, which is used; this one was set aside`);
  const slices: Intake['slices'] = [];
  for (const p of pairs) {
    const s = rasterToSlice(p.image.raster);
    const image = { name: p.name, image: s.value, notes: [...p.image.notes, ...s.notes], sourceSize: { width: p.image.raster.width, height: p.image.raster.height } };
    let mask: LoadedMask | null = null;
    if (p.mask) {
      try {
        // A mask of another size cannot be this image's truth: refused, the image still opens.
        checkMaskMatchesImage(p.mask.raster, p.image.raster, p.mask.file.name);
        mask = toMask(parseSliceName(p.mask.file.name), p.mask);
      } catch (e) {
        errors.push(message(e, p.mask.file.name));
      }
    }
    slices.push({ image, mask });
  }
  const orphans = orphanMasks.map((name) => toMask(name, decoded.find((d) => parseSliceName(d.path).file === name.file)!.value));
  return { slices, orphanMasks: orphans, errors, unread, notes };
}

/** Which patient of a set of files the patient view shows, and which others the set holds. */
export interface PatientChoice<T> {
  /** The files to decode: the chosen patient's, and every file whose name carries no slice number. */
  files: T[];
  /** The LGG-named patients in the set, sorted; empty for loose images. */
  patients: string[];
  chosen: string | null;
}

/**
 * The patient view is one patient's volume (its 3-D Dice, volume and curves mean nothing across patients), so a set
 * of several LGG-named patients (a whole data folder) opens one, the first in slice order unless `patient` is given,
 * and the patient view offers the others. Chosen from the names before anything is decoded: a data folder of 110
 * patients is 7,800 files, and decoding them all to show one patient takes seconds and gigabytes. Files whose names
 * carry no slice number (notes, `scan.png`) pass through with the first patient, not with one chosen later.
 */
export function filesOfPatient<T extends { name: string }>(files: T[], patient?: string): PatientChoice<T> {
  const names = files.map((f) => parseSliceName(f.name));
  // Only images name patients: macOS' `._TCGA_..._6.tif` twins (not images) made a patient of no slices, opened first.
  const image = files.map((f) => imageExtension(f.name) !== null);
  const patients = namedPatients(names.filter((_, i) => image[i])).sort();
  if (patients.length <= 1) return { files, patients, chosen: patients[0] ?? null };
  const switching = patient !== undefined && patients.includes(patient);
  const chosen = switching ? patient : patients[0];
  // On a switch the unnumbered files and the non-images were already read (and any problem with them told) when the set opened.
  const keep = (n: SliceName, i: number) => (image[i] ? n.patient === chosen || (!switching && n.index === null) : !switching);
  return { files: files.filter((_, i) => keep(names[i], i)), patients, chosen };
}

/** What the user is told when a set holds several patients (null for one). */
export function severalPatientsNote(choice: PatientChoice<unknown>, slices: number): string | null {
  if (choice.patients.length <= 1) return null;
  return `The files hold ${choice.patients.length} patients; the patient view shows one at a time, ${choice.chosen} (${slices} ${slices === 1 ? 'slice' : 'slices'}) first. Choose another in the patient panel.`;
}
