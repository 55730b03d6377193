/**
 * The same few validation slices after every epoch, so a run is watched learning, not only its loss: the segmenter's
 * outline on each (val-pictures/epoch-NN.png, the slices side by side) with its Dice, or the classifier's probability
 * of each; val-pictures.md puts each epoch's picture beside its numbers. Drawn as the app draws a slice
 * (src/core/overlay.ts) and scored as the evaluation scores one (src/core/mask.ts, metrics.ts).
 *
 * The pictures are patient slices: they stay in the run folder (training/runs/ is not committed, and PNGs under any
 * val-pictures folder are git-ignored) and are not drawn into public/, which the app ships (train's CLI).
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelName } from '../../../src/core/card';
import { maskArea, type BinaryMask, type RgbImage } from '../../../src/core/image';
import { postprocessMask } from '../../../src/core/mask';
import { diceFromOverlap, overlap } from '../../../src/core/metrics';
import { DEFAULT_VIEW } from '../../../src/core/overlay';
import { classify, segment, type Predictor } from '../../../src/inference/analyze';
import { encodePng } from '../../../scripts/png-writer';
import type { SliceSet } from '../data/load';
import { spreadOver } from '../evaluate/overlay-choice';
import { labeledSlices } from '../evaluate/run';
import { slicePicture } from '../report/slice-picture';
import { writeFileAtomic } from '../export/atomic';

export const PICTURES_DIR = 'val-pictures';
export const PICTURES_FILE = 'val-pictures.md';
/** Each epoch's numbers, so the page is whole again after a resume. */
export const PICTURES_JSON = 'val-pictures.json';
/**
 * Slices shown: tumor slices (each from another patient), then tumor-free ones, where a false outline shows (when the
 * validation set has them: a segmenter trained on tumor slices only validates on those).
 */
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

/**
 * The rows shown, fixed for the run: the largest tumor slice of up to 6 patients (spread over the patients), then the
 * middle tumor-free slice of up to 2 patients.
 */
export function pictureRows(val: SliceSet): number[] {
  const slices = labeledSlices(val);
  const area = (row: number) => maskArea(slices[row].mask);
  const patients = [...new Set(val.records.map((r) => r.patient))];
  const largest = patients
    .map((p) => rowsOf(val, p).filter((i) => val.labels[i] === 1))
    .filter((rows) => rows.length > 0)
    .map((rows) => rows.reduce((best, i) => (area(i) > area(best) ? i : best)));
  const clear = patients.map((p) => rowsOf(val, p).filter((i) => val.labels[i] === 0)).filter((rows) => rows.length > 0).map((rows) => rows[Math.floor(rows.length / 2)]);
  return [...spreadOver(largest, TUMOR_SLICES), ...spreadOver(clear, CLEAR_SLICES)];
}

/** Slices drawn at least this many pixels wide (each pixel enlarged): a 64-px input would be a stamp, and at 256 the truth's dashes read as a line. */
const TILE_PX = 512;

/** The slices (RGB, `size` x `size` each) side by side, COLUMNS to a row, as one RGB picture. */
export function contactSheet(tiles: Uint8Array[], size: number): { width: number; height: number; pixels: Uint8Array } {
  const rows = Math.ceil(tiles.length / COLUMNS);
  const columns = Math.min(COLUMNS, tiles.length);
  const width = columns * size + (columns - 1) * GAP.px;
  const height = rows * size + (rows - 1) * GAP.px;
  const pixels = new Uint8Array(width * height * 3).fill(GAP.value);
  tiles.forEach((rgb, t) => {
    const x0 = (t % COLUMNS) * (size + GAP.px);
    const y0 = Math.floor(t / COLUMNS) * (size + GAP.px);
    for (let y = 0; y < size; y++) pixels.set(rgb.subarray(y * size * 3, (y + 1) * size * 3), ((y0 + y) * width + x0) * 3);
  });
  return { width, height, pixels };
}

const sheetFile = (epoch: number) => `${PICTURES_DIR}/epoch-${String(epoch).padStart(2, '0')}.png`;
const SLICES_FILE = `${PICTURES_DIR}/slices.png`;

function writeSheet(runDir: string, file: string, slices: { image: RgbImage; mask: BinaryMask; outline: BinaryMask | null }[]): void {
  const scale = Math.max(1, Math.floor(TILE_PX / slices[0].image.width));
  const view = { channel: DEFAULT_VIEW.channel, opacity: DEFAULT_VIEW.opacity };
  const tiles = slices.map((s) => slicePicture(s.image, { ...view, predicted: s.outline, truth: s.mask }, scale));
  const sheet = contactSheet(tiles.map((t) => t.pixels), tiles[0].width);
  writeFileAtomic(join(runDir, file), encodePng(sheet.width, sheet.height, sheet.pixels, 3));
}

/** val-pictures.json: which slices are pictured (patient and slice), and each epoch's numbers. */
interface PicturesFile {
  slices: string[];
  epochs: EpochPictures[];
}

const sliceKey = (set: SliceSet, row: number) => `${set.records[row].patient} ${set.records[row].index ?? set.records[row].key}`;

/**
 * The epochs before this one, when they pictured the same slices; else nothing, and the old pictures go (a resume
 * with another --slices validates on other slices: one page must not mix two sets).
 */
function earlierEpochs(runDir: string, slices: string[], epoch: number): EpochPictures[] {
  const file = join(runDir, PICTURES_JSON);
  const before = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<PicturesFile>) : null;
  if (before && Array.isArray(before.epochs) && JSON.stringify(before.slices) === JSON.stringify(slices)) return before.epochs.filter((e) => e.epoch < epoch);
  const folder = join(runDir, PICTURES_DIR);
  if (existsSync(folder)) for (const f of readdirSync(folder)) if (/^(epoch-\d+|slices)\.png$/.test(f)) rmSync(join(folder, f));
  return [];
}

/** Runs the model on the pictured slices after an epoch; writes its picture (segmenter) and the page. */
export async function drawEpoch(o: { runDir: string; model: Predictor; modelName: ModelName; val: SliceSet; rows: number[]; epoch: number }): Promise<EpochPictures> {
  const all = labeledSlices(o.val);
  const slices = o.rows.map((r) => all[r]);
  const images = slices.map((s) => s.image);
  const keys = o.rows.map((r) => sliceKey(o.val, r));
  // A resumed run redoes the epochs after its checkpoint: their old numbers go.
  const before = earlierEpochs(o.runDir, keys, o.epoch);
  let record: EpochPictures;
  if (o.modelName === 'segmenter') {
    const outlines = (await segment(o.model, images)).map((map) => postprocessMask(map, o.val.size, o.val.size));
    const scores = outlines.map((m, i) => overlap(m, slices[i].mask));
    record = { epoch: o.epoch, values: scores.map(diceFromOverlap), outlined: scores.map((s) => s.predicted) };
    writeSheet(o.runDir, sheetFile(o.epoch), slices.map((s, i) => ({ ...s, outline: outlines[i] })));
  } else {
    record = { epoch: o.epoch, values: Array.from(await classify(o.model, images)) };
    // The classifier draws nothing: the slices with their truth once, its numbers per epoch on the page.
    if (!existsSync(join(o.runDir, SLICES_FILE))) writeSheet(o.runDir, SLICES_FILE, slices.map((s) => ({ ...s, outline: null })));
  }
  const epochs = [...before, record];
  writeFileAtomic(join(o.runDir, PICTURES_JSON), JSON.stringify({ slices: keys, epochs } satisfies PicturesFile, null, 1) + '\n');
  writeFileAtomic(join(o.runDir, PICTURES_FILE), picturesMarkdown(o.modelName, o.val, o.rows, epochs));
  return record;
}

const count = (n: number) => n.toLocaleString('en-US');

export function picturesMarkdown(modelName: ModelName, val: SliceSet, rows: number[], epochs: EpochPictures[]): string {
  const slices = labeledSlices(val);
  const names = rows.map((r, k) => {
    const rec = val.records[r];
    const truth = maskArea(slices[r].mask);
    return `${k + 1}. ${rec.patient}${rec.index === null ? '' : `, slice ${rec.index}`}: ${truth ? `tumor, ${count(truth)} px at ${val.size}×${val.size}` : 'no tumor'}`;
  });
  const head = [
    '# Validation slices, epoch by epoch',
    '',
    `${rows.length === 1 ? 'One validation slice' : `The same ${rows.length} validation slices`} after every epoch${rows.length > COLUMNS ? `, left to right and top to bottom, ${COLUMNS} to a row` : rows.length > 1 ? ', left to right' : ''} (FLAIR in gray; the truth red with a dashed edge${modelName === 'segmenter' ? ", the model's outline green, both yellow; drawn whatever the slice's probability, where the app draws an outline only on a slice it calls tumor" : ''}):`,
    '',
    ...names,
    '',
    ...(rows.every((r) => val.labels[r] === 1) ? ['No tumor-free slice: the validation set has none (a segmenter trained on tumor slices validates on those only).', ''] : []),
    '_These pictures are patient slices: keep them with the data._',
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
