import { describe, expect, it } from 'vitest';
import { classifierInput, segmenterInput } from '../../../src/core/preprocess';
import { indexDataset } from '../../src/data/index';
import { loadSlices } from '../../src/data/load';
import { decodeImageResidual, encodeImageResidual, packBits, preprocessProbe, unpackBits } from '../../src/data/pack';
import { FIXTURES } from '../helpers';

describe('training pack encoding (what travels to the GPU machine)', () => {
  const set = loadSlices(indexDataset(FIXTURES));
  const px = 256 * 256 * 3;

  it('round-trips every fixture slice exactly through the planar 2-D difference residual', () => {
    for (let i = 0; i < set.records.length; i++) {
      const rgb = set.images.subarray(i * px, (i + 1) * px);
      const residual = encodeImageResidual(rgb, 256);
      expect(decodeImageResidual(residual, 256)).toEqual(rgb);
      // Planar: the first plane is channel 0; its top-left residual is the pixel itself.
      expect(residual[0]).toBe(rgb[0]);
      expect(residual[256 * 256]).toBe(rgb[1]);
    }
  });

  it('packs mask bits most significant bit first, as numpy.packbits does', () => {
    expect(Array.from(packBits(new Uint8Array([1, 0, 0, 0, 0, 0, 0, 1, 1])))).toEqual([0x81, 0x80]);
    const mask = set.masks.subarray(65536, 2 * 65536);
    expect(unpackBits(packBits(mask), mask.length)).toEqual(mask);
  });

  it("records src/core's preprocessing at the probe positions (interleaved H, W, C)", () => {
    const rgb = set.images.subarray(px, 2 * px);
    const probe = preprocessProbe(1, rgb, 256, [0, 1, 2, 100_000, px - 1]);
    const image = { width: 256, height: 256, data: rgb };
    expect(probe.classifier).toEqual([0, 1, 2, 100_000, px - 1].map((p) => classifierInput(image)[p]));
    expect(probe.segmenter).toEqual([0, 1, 2, 100_000, px - 1].map((p) => segmenterInput(image)[p]));
    expect(probe.classifier[3]).toBeCloseTo(rgb[100_000] / 255, 6);
  });
});
