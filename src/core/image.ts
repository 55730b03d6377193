/** An 8-bit RGB image, pixels interleaved row by row (r, g, b, r, g, b, ...). */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array; // length width * height * 3
}

/** A binary mask: one byte per pixel, 1 = tumor, 0 = background. */
export interface BinaryMask {
  width: number;
  height: number;
  data: Uint8Array; // length width * height, values 0 or 1
}

/** Width and height of an image, a mask or a file. */
export interface Size {
  width: number;
  height: number;
}

/** Whether two images, masks or files have one size (a file of another size was resized to the models' grid). */
export const sameSize = (a: Size, b: Size): boolean => a.width === b.width && a.height === b.height;

export function createMask(width: number, height: number): BinaryMask {
  return { width, height, data: new Uint8Array(width * height) };
}

/** Number of tumor pixels. */
export function maskArea(mask: BinaryMask): number {
  let n = 0;
  for (let i = 0; i < mask.data.length; i++) n += mask.data[i];
  return n;
}

/** The dataset's rule: a slice is "tumor" when its mask has any nonzero pixel. */
export function hasTumor(mask: BinaryMask): boolean {
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) return true;
  return false;
}
