/** The two input rules the shipped weights expect, checked by hand and on a real slice (not against themselves). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rasterToSlice } from '../../io/raster';
import { decodeTiff } from '../../io/tiff';
import { classifierInput, segmenterInput } from '../preprocess';

const FIXTURE = path.resolve(__dirname, '../../../../shared/data/lgg/fixtures/TCGA_FG_6688_20020215_20.tif');
const slice = () => rasterToSlice(decodeTiff(fs.readFileSync(FIXTURE), 'fixture.tif').raster).value;

describe('classifierInput (pixels / 255)', () => {
  it('maps 0, 51 and 255 to 0, 0.2 and 1 and keeps the channel order', () => {
    const out = classifierInput({ width: 1, height: 1, data: Uint8Array.from([0, 51, 255]) });
    expect(Array.from(out)).toEqual([0, Math.fround(0.2), 1]);
  });
});

describe('segmenterInput (per-image standardization over all pixels and channels)', () => {
  it('two pixels, black and white: mean 127.5 and std 127.5 give -1 and +1', () => {
    const out = segmenterInput({ width: 2, height: 1, data: Uint8Array.from([0, 0, 0, 255, 255, 255]) });
    expect(Array.from(out)).toEqual([-1, -1, -1, 1, 1, 1]);
  });

  it('a constant image gives zeros, not NaN (std floored at 1/sqrt(N) as tf.image.per_image_standardization does)', () => {
    const out = segmenterInput({ width: 4, height: 4, data: new Uint8Array(48).fill(77) });
    expect(Array.from(out)).toEqual(new Array(48).fill(0));
  });

  it('on a real slice: mean 0 and standard deviation 1 over all 196,608 values, order kept', () => {
    const image = slice();
    const out = segmenterInput(image);
    expect(out.length).toBe(256 * 256 * 3);
    let sum = 0;
    for (const v of out) sum += v;
    const mean = sum / out.length;
    let sq = 0;
    for (const v of out) sq += (v - mean) ** 2;
    expect(Math.abs(mean)).toBeLessThan(1e-5);
    expect(Math.sqrt(sq / out.length)).toBeCloseTo(1, 5);
    // Brighter pixel, larger input: the map is increasing (the first differing pair decides).
    const i = image.data.findIndex((v) => v !== image.data[0]);
    expect(Math.sign(out[i] - out[0])).toBe(Math.sign(image.data[i] - image.data[0]));
  });
});
