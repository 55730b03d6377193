import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_CHANNELS } from '../../../src/core/constants';
import { postprocessMask } from '../../../src/core/mask';
import { diceFromOverlap, overlap } from '../../../src/core/metrics';
import { classify, segment } from '../../../src/inference/analyze';
import { chooseBackend } from '../../src/backend/ladder';
import { indexDataset } from '../../src/data/index';
import { loadSlices, type SliceSet } from '../../src/data/load';
import { train } from '../../src/train/trainer';
import * as tf from '@tensorflow/tfjs';
import { readdirSync } from 'node:fs';
import { contactSheet, drawEpoch, pictureRows, PICTURES_FILE, PICTURES_JSON, type EpochPictures } from '../../src/train/val-pictures';
import { FIXTURES, overlayColour, readPng } from '../helpers';

/** A 2x2 slice set: one row per [patient, tumor pixels]. */
function setOf(rows: [string, number][]): SliceSet {
  const px = 4;
  const masks = new Uint8Array(rows.length * px);
  rows.forEach(([, area], i) => masks.fill(1, i * px, i * px + area));
  return {
    size: 2,
    records: rows.map(([patient], i) => ({ patient, key: `${patient}_${i}`, index: i + 1, imagePath: `${patient}_${i + 1}.tif`, maskPath: `${patient}_${i + 1}_mask.tif` })),
    images: new Uint8Array(rows.length * px * IMAGE_CHANNELS),
    masks,
    labels: Uint8Array.from(rows, ([, area]) => (area > 0 ? 1 : 0)),
  };
}

describe('pictureRows', () => {
  it("shows each patient's largest tumor slice, then a tumor-free slice from the middle of a patient's", () => {
    const set = setOf([['a', 0], ['a', 1], ['a', 3], ['a', 2], ['a', 0], ['b', 0], ['b', 0], ['b', 0], ['c', 4]]);
    expect(pictureRows(set)).toEqual([2, 8, 4, 6]);
  });

  it('spreads over the patients when there are more than 6 with tumor', () => {
    const set = setOf(Array.from({ length: 11 }, (_, i) => [`p${i}`, 1] as [string, number]));
    expect(pictureRows(set)).toEqual([0, 2, 4, 6, 8, 10]);
  });
});

describe('contactSheet', () => {
  it('puts the slices four to a row with dark gaps', () => {
    const tile = (v: number) => new Uint8Array(2 * 2 * 3).fill(v);
    const sheet = contactSheet([tile(1), tile(2), tile(3), tile(4), tile(5)], 2);
    expect([sheet.width, sheet.height]).toEqual([4 * 2 + 3 * 4, 2 * 2 + 4]);
    const at = (x: number, y: number) => sheet.pixels[(y * sheet.width + x) * 3];
    expect([at(0, 0), at(1, 1), at(2, 0), at(6, 1), at(19, 0), at(0, 6), at(1, 7), at(2, 6), at(0, 3)]).toEqual([1, 1, 40, 2, 4, 5, 5, 40, 40]);
  });
});

describe('train draws the validation slices after every epoch', () => {
  let set: SliceSet;
  beforeAll(async () => {
    await chooseBackend('cpu', () => {});
    set = loadSlices(indexDataset(FIXTURES), 32);
  });
  const run = (model: 'segmenter' | 'classifier') => {
    const dir = mkdtempSync(join(tmpdir(), `lgg-pictures-${model}-`));
    return { dir, result: train({ model, train: set, val: set, epochs: 2, batchSize: 3, seed: 3, inputSize: 32, runDir: dir, log: () => {}, progress: null }) };
  };

  it("segmenter: each epoch's sheet shows the outline whose Dice the page gives, the last epoch's being the model's own", async () => {
    const { dir, result } = run('segmenter');
    const { model } = await result;
    const epochs = (JSON.parse(readFileSync(join(dir, PICTURES_JSON), 'utf8')) as { epochs: EpochPictures[] }).epochs;
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    const rows = pictureRows(set);
    const images = rows.map((r) => ({ width: 32, height: 32, data: set.images.subarray(r * 32 * 32 * 3, (r + 1) * 32 * 32 * 3) }));
    const truths = rows.map((r) => ({ width: 32, height: 32, data: set.masks.subarray(r * 32 * 32, (r + 1) * 32 * 32) }));
    const outlines = (await segment(model, images)).map((m) => postprocessMask(m, 32, 32));
    expect(epochs[1].values).toEqual(outlines.map((o, i) => diceFromOverlap(overlap(o, truths[i]))));
    const md = readFileSync(join(dir, PICTURES_FILE), 'utf8');
    expect(md).toContain('## Epoch 2\n\nDice ' + epochs[1].values.map((v) => v.toFixed(2)).join(' · '));
    for (const e of [1, 2]) expect(md).toContain(`![epoch ${e}](val-pictures/epoch-0${e}.png)`);
    // The sheet's tiles: green and yellow pixels are the outline's, red and yellow the truth's, tile by tile.
    const png = readPng(join(dir, 'val-pictures', 'epoch-02.png'));
    // A 32-px slice is drawn 16x16 per pixel (512 px), four to a row with 4-px gaps.
    const columns = Math.min(4, rows.length);
    expect([png.width, png.height]).toEqual([columns * 512 + (columns - 1) * 4, Math.ceil(rows.length / 4) * 512 + (Math.ceil(rows.length / 4) - 1) * 4]);
    rows.forEach((_, k) => {
      const n = { green: 0, red: 0, yellow: 0 };
      const x0 = (k % 4) * 516;
      const y0 = Math.floor(k / 4) * 516;
      for (let y = 0; y < 32; y++)
        for (let x = 0; x < 32; x++) {
          const i = ((y0 + 16 * y) * png.width + x0 + 16 * x) * 3;
          const colour = overlayColour(png.pixels[i], png.pixels[i + 1], png.pixels[i + 2]);
          if (colour) n[colour]++;
        }
      const o = overlap(outlines[k], truths[k]);
      expect(n, `slice ${k + 1}`).toEqual({ green: o.predicted - o.intersection, red: o.truth - o.intersection, yellow: o.intersection });
    });
    model.dispose();
  }, 300_000);

  it("classifier: the slices drawn once, each epoch's probabilities on the page, the last the model's own", async () => {
    const { dir, result } = run('classifier');
    const { model } = await result;
    const epochs = (JSON.parse(readFileSync(join(dir, PICTURES_JSON), 'utf8')) as { epochs: EpochPictures[] }).epochs;
    const rows = pictureRows(set);
    const probabilities = await classify(model, rows.map((r) => ({ width: 32, height: 32, data: set.images.subarray(r * 32 * 32 * 3, (r + 1) * 32 * 32 * 3) })));
    expect(epochs[1].values).toEqual(Array.from(probabilities));
    expect(existsSync(join(dir, 'val-pictures', 'slices.png'))).toBe(true);
    expect(existsSync(join(dir, 'val-pictures', 'epoch-01.png'))).toBe(false);
    expect(readFileSync(join(dir, PICTURES_FILE), 'utf8')).toContain(`| 2 | ${epochs[1].values.map((v) => v.toFixed(3)).join(' · ')} |`);
    model.dispose();
  }, 300_000);
});

describe('a resumed run', () => {
  it('redoes the epochs after its checkpoint, and starts the page afresh when it pictures other slices', async () => {
    await chooseBackend('cpu', () => {});
    const set = loadSlices(indexDataset(FIXTURES), 32);
    const dir = mkdtempSync(join(tmpdir(), 'lgg-pictures-resume-'));
    const model = { predict: (x: tf.Tensor) => tf.fill([x.shape[0]!, 1], 0.25) } as unknown as Parameters<typeof drawEpoch>[0]['model'];
    const draw = (rows: number[], epoch: number) => drawEpoch({ runDir: dir, model, modelName: 'classifier', val: set, rows, epoch });
    const read = () => JSON.parse(readFileSync(join(dir, PICTURES_JSON), 'utf8')) as { slices: string[]; epochs: EpochPictures[] };
    for (const epoch of [1, 2, 3]) await draw([0, 1], epoch);
    await draw([0, 1], 2); // killed after epoch 3's pictures, before its checkpoint: epochs 2 and 3 again
    expect(read().epochs.map((e) => e.epoch)).toEqual([1, 2]);
    writeFileSync(join(dir, 'val-pictures', 'mine.txt'), 'x');
    await draw([2], 3); // resumed with other validation slices
    expect(read()).toMatchObject({ slices: [expect.stringMatching(/^TCGA_HT_8113_19930809 12$/)], epochs: [{ epoch: 3, values: [0.25] }] });
    expect(readFileSync(join(dir, PICTURES_FILE), 'utf8')).not.toMatch(/\| 1 \|/);
    expect(readdirSync(join(dir, 'val-pictures')).sort()).toEqual(['mine.txt', 'slices.png']);
    expect(readPng(join(dir, 'val-pictures', 'slices.png')).width).toBe(512); // one slice now, redrawn
  });
});
