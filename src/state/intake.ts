/**
 * Turning dropped files into slices: decode (TIFF via utif, PNG/JPEG via the browser), convert to the
 * models' 256x256 RGB slice or a binary mask, and pair `<name>_mask.tif` with `<name>.tif`.
 * Every failure becomes a message naming the file; nothing here throws for bad input.
 */
import type { BinaryMask, RgbImage } from '../core/image';
import { pairSlices, parseSliceName, type SliceName } from '../core/slices';
import { decodeBrowserImage, isPngOrJpeg } from '../io/browser-decode';
import { InputError } from '../io/errors';
import { checkMaskMatchesImage, rasterToMask, rasterToSlice, type Raster } from '../io/raster';
import { decodeTiff, isTiff } from '../io/tiff';

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
  if (isPngOrJpeg(bytes)) return { raster: await decodeBrowserImage(bytes, file.name), notes: [] };
  throw new InputError(file.name, 'not an image this app reads: expected a TIFF slice (or PNG/JPEG)');
}

const message = (e: unknown, file: string) => (e instanceof InputError ? e.message : `${file}: ${(e as Error)?.message || String(e)}`);

export async function intakeFiles(files: File[]): Promise<Intake> {
  const errors: string[] = [];
  const decoded: { path: string; value: { file: File; raster: Raster; notes: string[] } }[] = [];
  for (const file of files) {
    try {
      const { raster, notes } = await decodeRaster(file);
      decoded.push({ path: file.name, value: { file, raster, notes } });
    } catch (e) {
      errors.push(message(e, file.name));
    }
  }
  const toMask = (name: SliceName, v: { raster: Raster; notes: string[] }): LoadedMask => {
    const m = rasterToMask(v.raster);
    return { name, mask: m.value, notes: [...v.notes, ...m.notes], sourceSize: { width: v.raster.width, height: v.raster.height } };
  };
  const { pairs, orphanMasks } = pairSlices(decoded);
  const slices: Intake['slices'] = [];
  for (const p of pairs) {
    const s = rasterToSlice(p.image.raster);
    const image = { name: p.name, image: s.value, notes: [...p.image.notes, ...s.notes], sourceSize: { width: p.image.raster.width, height: p.image.raster.height } };
    let mask: LoadedMask | null = null;
    if (p.mask) {
      try {
        // A mask of another size belongs to another slice: refused, the image still opens.
        checkMaskMatchesImage(p.mask.raster, p.image.raster, p.mask.file.name);
        mask = toMask(parseSliceName(p.mask.file.name), p.mask);
      } catch (e) {
        errors.push(message(e, p.mask.file.name));
      }
    }
    slices.push({ image, mask });
  }
  const orphans = orphanMasks.map((name) => toMask(name, decoded.find((d) => parseSliceName(d.path).file === name.file)!.value));
  return { slices, orphanMasks: orphans, errors };
}
