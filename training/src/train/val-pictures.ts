/**
 * The same few validation slices after every epoch, so a run is watched learning, not only its loss: the segmenter's
 * outline on each (val-pictures/epoch-NN.png, the slices side by side) with its Dice, or the classifier's probability
 * of each; val-pictures.md puts each epoch's picture beside its numbers. Drawn as the app draws a slice
 * (src/core/overlay.ts) and scored as the evaluation scores one (src/core/mask.ts, metrics.ts).
 *
 * The pictures are patient slices: they stay in the run folder (training/runs/ is not committed).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelName } from '../../../src/core/card';
import { IMAGE_CHANNELS } from '../../../src/core/constants';
import type { BinaryMask, RgbImage } from '../../../src/core/image';
import { postprocessMask } from '../../../src/core/mask';
import { diceFromOverlap, overlap } from '../../../src/core/metrics';
import { composite, DEFAULT_VIEW } from '../../../src/core/overlay';
import { classify, segment, type Predictor } from '../../../src/inference/analyze';
import { encodePng } from '../../../scripts/png-writer';
import type { SliceSet } from '../data/load';
import { writeFileAtomic } from '../export/atomic';

export const PICTURES_DIR = 'val-pictures';
export const PICTURES_FILE = 'val-pictures.md';
/** Each epoch's numbers, so the page is whole again after a resume. */
export const PICTURES_JSON = 'val-pictures.json';
/** Slices shown: tumor slices (each from another patient), then tumor-free ones, where a false outline shows. */
const TUMOR_SLICES = 6;
const CLEAR_SLICES = 2;
const COLUMNS = 4;
/** Dark gray between the slices of a sheet. */
const GAP = { px: 4, value: 40 };

export interface EpochPictures {
  epoch: number;
  /** Per slice: the outline's Dice with the truth (segmenter), or the tumor probability (classifier). */
  values: number[];
  /** Segmenter: the outline's pixels per slice (a tumor-free slice's Dice is 0 or 1; its pixels say how much). */
  outlined?: number[];
}

const rowsOf = (set: SliceSet, patient: string) => set.records.flatMap((r, i) => (r.patient === patient ? [i] : []));
const maskArea = (set: SliceSet, row: number) => {
  const px = set.size * set.size;
  let n = 0;
  for (let i = row * px; i < (row + 1) * px; i++) n += set.masks[i];
  return n;
};

/** `count` items spread over the list, first and last included. */
const spread = <T>(items: T[], count: number): T[] =>
  items.length <= count ? items : Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / Math.max(1, count - 1))]);

/**
 * The rows shown, fixed for the run: the largest tumor slice of up to 6 patients (spread over the patients), then the
 * middle tumor-free slice of up to 2 patients.
 */
export function pictureRows(val: SliceSet): number[] {
  const patients = [...new Set(val.records.map((r) => r.patient))];
  const largest = patients
    .map((p) => rowsOf(val, p).filter((i) => val.labels[i] === 1))
    .filter((rows) => rows.length > 0)
    .map((rows) => rows.reduce((best, i) => (maskArea(val, i) > maskArea(val, best) ? i : best)));
  const clear = patients.map((p) => rowsOf(val, p).filter((i) => val.labels[i] === 0)).filter((rows) => rows.length > 0).map((rows) => rows[Math.floor(rows.length / 2)]);
  return [...spread(largest, TUMOR_SLICES), ...spread(clear, CLEAR_SLICES)];
}

function sliceAt(set: SliceSet, row: number): { image: RgbImage; truth: BinaryMask } {
  const px = set.size * set.size;
  return {
    image: { width: set.size, height: set.size, data: set.images.subarray(row * px * IMAGE_CHANNELS, (row + 1) * px * IMAGE_CHANNELS) },
    truth: { width: set.size, height: set.size, data: set.masks.subarray(row * px, (row + 1) * px) },
  };
}

/** The slices side by side, COLUMNS to a row, as one RGB picture. */
export function contactSheet(tiles: Uint8ClampedArray[], size: number): { width: number; height: number; pixels: Uint8Array } {
  const rows = Math.ceil(tiles.length / COLUMNS);
  const columns = Math.min(COLUMNS, tiles.length);
  const width = columns * size + (columns - 1) * GAP.px;
  const height = rows * size + (rows - 1) * GAP.px;
  const pixels = new Uint8Array(width * height * 3).fill(GAP.value);
  tiles.forEach((rgba, t) => {
    const x0 = (t % COLUMNS) * (size + GAP.px);
    const y0 = Math.floor(t / COLUMNS) * (size + GAP.px);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) pixels.set(rgba.subarray((y * size + x) * 4, (y * size + x) * 4 + 3), ((y0 + y) * width + x0 + x) * 3);
  });
  return { width, height, pixels };
}

const sheetFile = (epoch: number) => `${PICTURES_DIR}/epoch-${String(epoch).padStart(2, '0')}.png`;
const SLICES_FILE = `${PICTURES_DIR}/slices.png`;

function writeSheet(runDir: string, file: string, tiles: Uint8ClampedArray[], size: number): void {
  const sheet = contactSheet(tiles, size);
  writeFileAtomic(join(runDir, file), encodePng(sheet.width, sheet.height, sheet.pixels, 3));
}

/** Runs the model on the pictured slices after an epoch; writes its picture (segmenter) and the page. */
export async function drawEpoch(o: { runDir: string; model: Predictor; modelName: ModelName; val: SliceSet; rows: number[]; epoch: number }): Promise<EpochPictures> {
  const slices = o.rows.map((r) => sliceAt(o.val, r));
  const images = slices.map((s) => s.image);
  const view = { channel: DEFAULT_VIEW.channel, opacity: DEFAULT_VIEW.opacity };
  let record: EpochPictures;
  if (o.modelName === 'segmenter') {
    const outlines = (await segment(o.model, images)).map((map) => postprocessMask(map, o.val.size, o.val.size));
    const scores = outlines.map((m, i) => overlap(m, slices[i].truth));
    record = { epoch: o.epoch, values: scores.map(diceFromOverlap), outlined: scores.map((s) => s.predicted) };
    writeSheet(o.runDir, sheetFile(o.epoch), slices.map((s, i) => composite(s.image, { ...view, predicted: outlines[i], truth: s.truth })), o.val.size);
  } else {
    record = { epoch: o.epoch, values: Array.from(await classify(o.model, images)) };
    // The classifier draws nothing: the slices with their truth once, its numbers per epoch on the page.
    if (!existsSync(join(o.runDir, SLICES_FILE))) writeSheet(o.runDir, SLICES_FILE, slices.map((s) => composite(s.image, { ...view, predicted: null, truth: s.truth })), o.val.size);
  }
  const file = join(o.runDir, PICTURES_JSON);
  // A resumed run redoes the epochs after its checkpoint: their old numbers go.
  const before = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as EpochPictures[]).filter((e) => e.epoch < o.epoch) : [];
  const epochs = [...before, record];
  writeFileAtomic(file, JSON.stringify(epochs, null, 1) + '\n');
  writeFileAtomic(join(o.runDir, PICTURES_FILE), picturesMarkdown(o.modelName, o.val, o.rows, epochs));
  return record;
}

const count = (n: number) => n.toLocaleString('en-US');

export function picturesMarkdown(modelName: ModelName, val: SliceSet, rows: number[], epochs: EpochPictures[]): string {
  const names = rows.map((r, k) => {
    const rec = val.records[r];
    const truth = maskArea(val, r);
    return `${k + 1}. ${rec.patient}${rec.index === null ? '' : `, slice ${rec.index}`}: ${truth ? `tumor, ${count(truth)} px at ${val.size}×${val.size}` : 'no tumor'}`;
  });
  const head = [
    '# Validation slices, epoch by epoch',
    '',
    `${rows.length === 1 ? 'One validation slice' : `The same ${rows.length} validation slices`} after every epoch${rows.length > COLUMNS ? `, left to right and top to bottom, ${COLUMNS} to a row` : rows.length > 1 ? ', left to right' : ''} (FLAIR in gray; the truth red with a dashed edge${modelName === 'segmenter' ? ", the model's outline green, both yellow" : ''}):`,
    '',
    ...names,
    '',
  ];
  const cells = (values: number[], digits: number) => values.map((v) => v.toFixed(digits)).join(' · ');
  if (modelName === 'segmenter')
    return [
      ...head,
      `Per slice: the outline's Dice with the truth${rows.some((r) => val.labels[r] === 0) ? ' (a tumor-free slice scores 1 when nothing is outlined, else 0), then its outlined pixels' : ', then its outlined pixels'}.`,
      '',
      ...epochs.flatMap((e) => [
        `## Epoch ${e.epoch}`,
        '',
        `Dice ${cells(e.values, 2)}${e.outlined ? `; outlined px ${e.outlined.map(count).join(' · ')}` : ''}`,
        '',
        `![epoch ${e.epoch}](${sheetFile(e.epoch)})`,
        '',
      ]),
    ].join('\n');
  return [
    ...head,
    `![the slices](${SLICES_FILE})`,
    '',
    '| epoch | tumor probability per slice |',
    '|---|---|',
    ...epochs.map((e) => `| ${e.epoch} | ${cells(e.values, 3)} |`),
    '',
  ].join('\n');
}
