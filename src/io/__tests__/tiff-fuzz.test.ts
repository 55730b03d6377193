/**
 * Mutation fuzzing of the TIFF decoder: seeded random byte changes in valid files of every layout (strips,
 * tiles, planar, LZW/Deflate/PackBits, 16-bit, palette). Whatever the damage, the decoder either decodes or
 * throws an InputError naming the file; never another error, never a hang.
 */
import { describe, expect, it } from 'vitest';
import { encodeTiff, type TiffPageSpec } from '../../../scripts/tiff-writer';
import { InputError } from '../errors';
import { decodeTiff } from '../tiff';

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const W = 40;
const H = 30;
const rgb = Array.from({ length: W * H * 3 }, (_, i) => (i * 37) % 256);
const gray = Array.from({ length: W * H }, (_, i) => (i * 13) % 256);
const base = (extra: Partial<TiffPageSpec>): TiffPageSpec => ({ width: W, height: H, samplesPerPixel: 3, bits: 8, samples: rgb, rowsPerStrip: 7, ...extra });
const SEEDS: [string, Uint8Array][] = [
  ['strips', encodeTiff([base({})], { directoriesFirst: true })],
  ['lzw', encodeTiff([base({ compression: 'lzw', predictor: 2 })], { directoriesFirst: true })],
  ['deflate-tiled', encodeTiff([base({ compression: 'deflate', tile: { width: 16, height: 16 } })])],
  ['packbits-planar', encodeTiff([base({ compression: 'packbits', planar: true })], { littleEndian: false })],
  ['gray16', encodeTiff([base({ samplesPerPixel: 1, bits: 16, samples: gray.map((v) => v * 200) })], { directoriesFirst: true })],
  ['palette', encodeTiff([base({ samplesPerPixel: 1, photometric: 3, samples: gray, colorMap: Array.from({ length: 768 }, (_, i) => i * 85) })])],
  ['pages', encodeTiff([base({}), base({ samplesPerPixel: 1, samples: gray })], { directoriesFirst: true })],
];

describe('TIFF decoder under random damage', () => {
  for (const [name, seedFile] of SEEDS) {
    it(`${name}: 300 mutants decode or are refused with an InputError`, () => {
      const random = rng(name.length * 7919 + seedFile.length);
      const outcomes = { decoded: 0, refused: 0 };
      for (let k = 0; k < 300; k++) {
        const bytes = seedFile.slice();
        const edits = 1 + Math.floor(random() * 8);
        for (let e = 0; e < edits; e++) {
          // Mostly hit the header and directories (where damage matters most), sometimes anywhere.
          const span = random() < 0.7 ? Math.min(bytes.length, 400) : bytes.length;
          const at = Math.floor(random() * span);
          bytes[at] = random() < 0.5 ? Math.floor(random() * 256) : bytes[at] ^ (1 << Math.floor(random() * 8));
        }
        const cut = random() < 0.2 ? Math.floor(random() * bytes.length) : bytes.length;
        const file = `${name}-${k}.tif`;
        try {
          const { raster } = decodeTiff(bytes.subarray(0, cut), file);
          expect(raster.data.length).toBe(raster.width * raster.height * raster.channels);
          outcomes.decoded++;
        } catch (e) {
          if (!(e instanceof InputError)) throw new Error(`${file} (edit seed ${k}) threw ${String(e)}`);
          expect(e.message.startsWith(`${file}: `)).toBe(true);
          outcomes.refused++;
        }
      }
      expect(outcomes.decoded + outcomes.refused).toBe(300);
    });
  }
});
