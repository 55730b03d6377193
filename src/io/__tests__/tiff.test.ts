/**
 * TIFF decoding of the real LGG fixtures, pixel for pixel against the raw strips read independently from the
 * file bytes (tag values from utif's parser, bytes sliced here), and the conversions to the model's slice.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import UTIF from 'utif';
import { describe, expect, it } from 'vitest';
import { encodeTiff } from '../../../scripts/tiff-writer';
import { InputError } from '../errors';
import { checkMaskMatchesImage, rasterToMask, rasterToSlice } from '../raster';
import { decodeTiff, MAX_TIFF_SIDE } from '../tiff';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/lgg/fixtures');
const SLICES = ['TCGA_FG_6688_20020215_20', 'TCGA_FG_6688_20020215_12', 'TCGA_HT_8113_19930809_12'];

/** The image bytes as stored: strips concatenated in order, cut at height rows (the LGG last strip is padded). */
function rawStrips(bytes: Buffer) {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
  const ifd = UTIF.decode(buffer)[0] as Record<string, number[]>;
  const [width, height, channels] = [ifd.t256[0], ifd.t257[0], ifd.t277[0]];
  expect(ifd.t259[0]).toBe(1); // uncompressed: the strips are the pixels
  const strips = ifd.t273.map((offset, i) => bytes.subarray(offset, offset + ifd.t279[i]));
  const all = Buffer.concat(strips);
  return { width, height, channels, rowsPerStrip: ifd.t278[0], stripCount: strips.length, pixels: all.subarray(0, width * height * channels) };
}

describe('decodeTiff on the LGG fixtures', () => {
  for (const name of SLICES) {
    it(`${name}: slice and mask equal the raw strips`, () => {
      const sliceBytes = readFileSync(resolve(FIXTURES, `${name}.tif`));
      const raw = rawStrips(sliceBytes);
      expect(sliceBytes.length).toBe(203_102);
      expect([raw.width, raw.height, raw.channels, raw.rowsPerStrip, raw.stripCount]).toEqual([256, 256, 3, 11, 24]);
      const slice = decodeTiff(sliceBytes, `${name}.tif`);
      expect(slice.notes).toEqual([]);
      expect(slice.raster).toMatchObject({ width: 256, height: 256, channels: 3 });
      expect(Buffer.from(slice.raster.data).equals(raw.pixels)).toBe(true);

      const maskBytes = readFileSync(resolve(FIXTURES, `${name}_mask.tif`));
      const rawMask = rawStrips(maskBytes);
      const mask = decodeTiff(maskBytes, `${name}_mask.tif`);
      expect(mask.raster).toMatchObject({ width: 256, height: 256, channels: 1 });
      expect(Buffer.from(mask.raster.data).equals(rawMask.pixels)).toBe(true);
      expect(new Set(mask.raster.data)).toSatisfy((values: Set<number>) => [...values].every((v) => v === 0 || v === 255));

      const prepared = rasterToSlice(slice.raster);
      expect(prepared.notes).toEqual([]);
      expect(Buffer.from(prepared.value.data).equals(raw.pixels)).toBe(true);
      const binary = rasterToMask(mask.raster).value;
      for (let i = 0; i < binary.data.length; i++) if (binary.data[i] !== (rawMask.pixels[i] ? 1 : 0)) throw new Error(`mask pixel ${i}`);
    });
  }

  it('the tumor fixtures have tumor pixels and the no-tumor fixture has none', () => {
    const area = (n: string) => rasterToMask(decodeTiff(readFileSync(resolve(FIXTURES, `${n}_mask.tif`)), n).raster).value.data.reduce((a, b) => a + b, 0);
    expect(area(SLICES[0])).toBeGreaterThan(1000);
    expect(area(SLICES[1])).toBe(0);
    expect(area(SLICES[2])).toBeGreaterThan(100);
  });
});

describe('conversions', () => {
  it('gray is copied into all three channels, with a note', () => {
    const samples = Array.from({ length: 256 * 256 }, (_, i) => i % 251);
    const { raster } = decodeTiff(encodeTiff([{ width: 256, height: 256, samplesPerPixel: 1, bits: 8, samples }]), 'g.tif');
    const slice = rasterToSlice(raster);
    expect(slice.notes.join()).toContain('grayscale image');
    for (const i of [0, 1, 300, 65535]) expect([...slice.value.data.subarray(i * 3, i * 3 + 3)]).toEqual([samples[i], samples[i], samples[i]]);
  });

  it('16-bit is scaled to 0..255 by its actual range, in either byte order', () => {
    const samples = Array.from({ length: 64 * 64 }, (_, i) => 1000 + (i % 64) * 40); // 1000 .. 3520
    for (const littleEndian of [true, false]) {
      const { raster, notes } = decodeTiff(encodeTiff([{ width: 64, height: 64, samplesPerPixel: 1, bits: 16, samples }], { littleEndian }), 'g16.tif');
      expect(notes.join()).toContain('16-bit integer samples scaled to 8 bits by their range (1000 to 3520)');
      for (const i of [0, 1, 31, 63, 64 * 64 - 1]) expect(raster.data[i]).toBe(Math.round(((samples[i] - 1000) * 255) / 2520));
    }
  });

  it('float32 is scaled by range; RGB 16-bit keeps channel relations', () => {
    const f = decodeTiff(encodeTiff([{ width: 4, height: 1, samplesPerPixel: 1, bits: 32, sampleFormat: 3, samples: [-1, 0, 0.5, 1] }]), 'f.tif');
    expect([...f.raster.data]).toEqual([0, 128, 191, 255]);
    const rgb = decodeTiff(encodeTiff([{ width: 1, height: 2, samplesPerPixel: 3, bits: 16, samples: [0, 102, 204, 510, 306, 204] }]), 'c.tif');
    expect([...rgb.raster.data]).toEqual([0, 51, 102, 255, 153, 102]);
  });

  it('other sizes are resized to 256x256 (bilinear image, nearest mask) and the user is told', () => {
    const samples = Array.from({ length: 100 * 37 }, (_, i) => (i % 100 < 50 ? 255 : 0));
    const { raster } = decodeTiff(encodeTiff([{ width: 100, height: 37, samplesPerPixel: 1, bits: 8, samples }]), 'odd.tif');
    const slice = rasterToSlice(raster);
    expect(slice.value).toMatchObject({ width: 256, height: 256 });
    expect(slice.notes.join()).toContain('resized from 100x37 to 256x256 (bilinear)');
    const mask = rasterToMask(raster);
    expect(mask.notes.join()).toContain('mask resized from 100x37 to 256x256 (nearest neighbour)');
    expect(new Set(mask.value.data)).toEqual(new Set([0, 1]));
    expect(mask.value.data[0]).toBe(1);
    expect(mask.value.data[255]).toBe(0);
  });

  it('alpha is mentioned only when it hides something', () => {
    const rgba = (alpha: number) => decodeTiff(encodeTiff([{ width: 1, height: 1, samplesPerPixel: 4, bits: 8, extraSamples: [2], samples: [1, 2, 3, alpha] }]), 'a.tif').raster;
    expect(rasterToSlice(rgba(255), 1).notes).toEqual([]);
    expect(rasterToSlice(rgba(0), 1).notes.join()).toContain('alpha channel ignored');
    expect([...rasterToSlice(rgba(0), 1).value.data]).toEqual([1, 2, 3]);
  });

  it('a mask of another size than its slice is refused, naming the mask', () => {
    expect(() => checkMaskMatchesImage({ width: 100, height: 37 }, { width: 256, height: 256 }, 'x_mask.tif')).toThrow(
      new InputError('x_mask.tif', 'the mask is 100x37 but its image is 256x256: a mask must have the size of its image (another slice, or a scaled copy?)'),
    );
    expect(() => checkMaskMatchesImage({ width: 256, height: 256 }, { width: 256, height: 256 }, 'ok_mask.tif')).not.toThrow();
  });

  it('refuses a declared size over the limit before reading pixel data, saying which limit', () => {
    const bytes = encodeTiff([{ width: 4, height: 4, samplesPerPixel: 1, bits: 8, samples: new Array(16).fill(0), override: { 256: [4, [MAX_TIFF_SIDE + 1]] } }]);
    expect(() => decodeTiff(bytes, 'big.tif')).toThrow('big.tif: image is 8193x4 pixels; this app accepts at most 8192 pixels a side');
    // Within the side limit but over the pixel count: the message used to quote the side limit it met.
    const square = encodeTiff([{ width: 4, height: 4, samplesPerPixel: 1, bits: 8, samples: new Array(16).fill(0), override: { 256: [4, [7000]], 257: [4, [7000]] } }]);
    expect(() => decodeTiff(square, 'square.tif')).toThrow('square.tif: image is 7000x7000 = 49 million pixels; this app accepts at most 40 million');
  });

  it('an empty BitsPerSample tag is called a damaged file', () => {
    const bytes = encodeTiff([{ width: 2, height: 1, samplesPerPixel: 1, bits: 8, samples: [0, 1], override: { 258: [3, []] } }]);
    expect(() => decodeTiff(bytes, 'bps.tif')).toThrow('bps.tif: this TIFF is damaged or incomplete and cannot be read — the BitsPerSample tag is empty');
  });

  it('a Node Buffer that is a view into a shared pool decodes its own bytes (readFileSync returns files under 4 KiB so)', () => {
    const samples = Array.from({ length: 32 * 32 }, (_, i) => i % 256);
    const file = encodeTiff([{ width: 32, height: 32, samplesPerPixel: 1, bits: 8, samples }]);
    // Other bytes before and after, as in Node's pool; Buffer.prototype.slice shares them instead of copying.
    const pool = Buffer.concat([Buffer.from('"dependencies": {'.repeat(20)), Buffer.from(file), Buffer.alloc(3000, 7)]);
    const view = pool.subarray(340, 340 + file.length);
    expect(view.byteOffset).toBeGreaterThan(0);
    expect([...decodeTiff(view, 'small.tif').raster.data]).toEqual(samples);
  });

  it('an opaque 16-bit alpha does not take part in the range scaling of the gray or color samples', () => {
    const gray = [0, 1000, 2000, 4095];
    const alone = decodeTiff(encodeTiff([{ width: 4, height: 1, samplesPerPixel: 1, bits: 16, samples: gray }]), 'g.tif').raster;
    const withAlpha = decodeTiff(encodeTiff([{ width: 4, height: 1, samplesPerPixel: 2, bits: 16, extraSamples: [2], samples: gray.flatMap((v) => [v, 65535]) }]), 'ga.tif');
    expect([...alone.data]).toEqual([0, 62, 125, 255]);
    expect([...withAlpha.raster.data]).toEqual([0, 255, 62, 255, 125, 255, 255, 255]);
    expect(withAlpha.notes.join()).toContain('(0 to 4095)');
    expect(rasterToSlice(withAlpha.raster, 4).notes.join()).not.toContain('alpha');
  });

  it('a mask of wide samples is tumor wherever it is nonzero as stored: a label of 1 in 0..1000, a constant all-tumor mask', () => {
    const labels = decodeTiff(encodeTiff([{ width: 4, height: 1, samplesPerPixel: 1, bits: 16, samples: [0, 1, 100, 1000] }]), 'm_mask.tif').raster;
    expect([...labels.data]).toEqual([0, 0, 26, 255]); // the picture, scaled
    expect([...rasterToMask(labels, 4).value.data.subarray(0, 4)]).toEqual([0, 1, 1, 1]);
    for (const [bits, sampleFormat, value] of [[16, 1, 65535], [16, 1, 1], [32, 3, 1]] as const) {
      const constant = decodeTiff(encodeTiff([{ width: 2, height: 2, samplesPerPixel: 1, bits, sampleFormat, samples: [value, value, value, value] }]), 'c_mask.tif').raster;
      expect([...rasterToMask(constant, 2).value.data]).toEqual([1, 1, 1, 1]);
    }
    const empty = decodeTiff(encodeTiff([{ width: 2, height: 2, samplesPerPixel: 1, bits: 16, samples: [0, 0, 0, 0] }]), 'e_mask.tif').raster;
    expect([...rasterToMask(empty, 2).value.data]).toEqual([0, 0, 0, 0]);
  });
});
