import { describe, expect, it } from 'vitest';
import { maskOfAnotherSlice, parseSliceName } from '../slices';

describe('maskOfAnotherSlice', () => {
  const image = parseSliceName('TCGA_HT_8113_19930809_12.tif');
  it("refuses another slice's or another patient's mask, naming both", () => {
    expect(maskOfAnotherSlice(parseSliceName('TCGA_FG_6688_20020215_20_mask.tif'), image)).toBe(
      "TCGA_FG_6688_20020215_20_mask.tif is the mask of TCGA_FG_6688_20020215 slice 20, not of the slice shown (TCGA_HT_8113_19930809 slice 12): its Dice would compare two different slices. Open it with its own slice, or rename it if it really is this slice's mask.",
    );
    expect(maskOfAnotherSlice(parseSliceName('TCGA_HT_8113_19930809_13_mask.tif'), image)).toMatch(/slice 13, not of the slice shown \(TCGA_HT_8113_19930809 slice 12\)/);
  });
  it('accepts its own mask (any extension or folder), and names that carry no slice number', () => {
    expect(maskOfAnotherSlice(parseSliceName('masks/TCGA_HT_8113_19930809_12_mask.png'), image)).toBeNull();
    expect(maskOfAnotherSlice(parseSliceName('truth_mask.tif'), image)).toBeNull();
    expect(maskOfAnotherSlice(parseSliceName('TCGA_HT_8113_19930809_12_mask.tif'), parseSliceName('scan.tif'))).toBeNull();
  });
});
