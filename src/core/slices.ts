/**
 * Naming of LGG slices: `<patient>_<n>.tif` with its mask `<patient>_<n>_mask.tif`,
 * patient = `TCGA_<inst>_<id>_<date>`. Used to pair images with masks and order a volume.
 */

const EXTENSION = /\.(tiff?|png|jpe?g)$/i;
const MASK_SUFFIX = /_mask$/i;

export interface SliceName {
  /** File name without directories. */
  file: string;
  /** Name without extension and without `_mask`: the key that pairs an image with its mask. */
  key: string;
  isMask: boolean;
  /** Patient id (everything before the trailing slice number), or the key when there is none. */
  patient: string;
  /** The slice number, or null when the name has none. */
  index: number | null;
}

/**
 * The image format a file's name promises ('tiff', 'png', 'jpeg'), or null. macOS's AppleDouble companions
 * (`._name.tif`, written beside every file copied to a foreign disk) promise nothing: they are metadata.
 */
export function imageExtension(path: string): 'tiff' | 'png' | 'jpeg' | null {
  const file = baseName(path);
  if (file.startsWith('._')) return null;
  const m = EXTENSION.exec(file);
  if (!m) return null;
  const ext = m[1].toLowerCase();
  return ext.startsWith('tif') ? 'tiff' : ext === 'png' ? 'png' : 'jpeg';
}

export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export function parseSliceName(path: string): SliceName {
  const file = baseName(path);
  const stem = file.replace(EXTENSION, '');
  const isMask = MASK_SUFFIX.test(stem);
  const key = stem.replace(MASK_SUFFIX, '');
  const m = /^(.*)_(\d+)$/.exec(key);
  return { file, key, isMask, patient: m ? m[1] : key, index: m ? Number(m[2]) : null };
}

/**
 * A mask whose name and the image's both name a patient and slice number, and not the same ones: its Dice would
 * compare two different slices, so it is refused (with what to do). Names without slice numbers cannot tell.
 */
export function maskOfAnotherSlice(mask: SliceName, image: SliceName): string | null {
  if (mask.index === null || image.index === null || mask.key === image.key) return null;
  const what = (n: SliceName) => `${n.patient} slice ${n.index}`;
  return `${mask.file} is the mask of ${what(mask)}, not of the slice shown (${what(image)}): its Dice would compare two different slices. Open it with its own slice, or rename it if it really is this slice's mask.`;
}

/** Orders slices by patient, then slice number (numeric, so 2 < 10), then name. */
export function compareSlices(a: SliceName, b: SliceName): number {
  if (a.patient !== b.patient) return a.patient < b.patient ? -1 : 1;
  if (a.index !== null && b.index !== null && a.index !== b.index) return a.index - b.index;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export interface SlicePair<T> {
  name: SliceName;
  image: T;
  mask: T | null;
}

/** A file set aside because another file of the same slice (same name, other extension or case) came first. */
export interface DuplicateSlice {
  dropped: SliceName;
  kept: SliceName;
}

/**
 * Pairs image entries with their `_mask` entries by key and orders them.
 * Returns masks with no image separately so callers can report them, and, likewise, the files that repeat a slice
 * already given (`x_5.tif` and `x_5.png`): the first one given is used.
 */
export function pairSlices<T>(entries: { path: string; value: T }[]): { pairs: SlicePair<T>[]; orphanMasks: SliceName[]; duplicates: DuplicateSlice[] } {
  const images = new Map<string, { name: SliceName; value: T }>();
  const masks = new Map<string, { name: SliceName; value: T }>();
  const duplicates: DuplicateSlice[] = [];
  for (const e of entries) {
    const name = parseSliceName(e.path);
    const into = name.isMask ? masks : images;
    const first = into.get(name.key);
    if (first) duplicates.push({ dropped: name, kept: first.name });
    else into.set(name.key, { name, value: e.value });
  }
  const pairs: SlicePair<T>[] = [];
  for (const [key, img] of images) pairs.push({ name: img.name, image: img.value, mask: masks.get(key)?.value ?? null });
  pairs.sort((a, b) => compareSlices(a.name, b.name));
  const orphanMasks = [...masks.values()].filter((m) => !images.has(m.name.key)).map((m) => m.name);
  return { pairs, orphanMasks, duplicates };
}

/**
 * The patients among slices named the LGG way (`<patient>_<n>`), in order of first appearance. Names without a slice
 * number (`scan.png`) belong to no patient here: a few loose images are one set, not one patient each.
 */
export function namedPatients(names: SliceName[]): string[] {
  const seen = new Set<string>();
  for (const n of names) if (n.index !== null) seen.add(n.patient);
  return [...seen];
}
