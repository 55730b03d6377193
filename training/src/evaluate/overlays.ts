/**
 * The report's pictures: the slices overlay-choice.ts picks, drawn as the app first shows a slice (src/core/overlay.ts:
 * FLAIR in gray, the outline green with an unbroken edge, the truth red with a dashed edge, both yellow), one PNG each
 * under overlays/, and overlays.md with a caption under each picture.
 *
 * The pictures are patient data: they belong beside the data, never in public/ (the app ships that folder).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { IMAGE_CHANNELS } from '../../../src/core/constants';
import { segmenterMasks } from '../../../src/core/mask';
import { diceFromOverlap } from '../../../src/core/metrics';
import { composite, DEFAULT_VIEW } from '../../../src/core/overlay';
import { segmentEach, type Predictor } from '../../../src/inference/analyze';
import { encodePng } from '../../../scripts/png-writer';
import type { SliceRecord } from '../data';
import { loadSlices } from '../data/load';
import { chooseOverlays, drawnOverlap, slicesToDraw, type OverlaySection } from './overlay-choice';
import { decisionProbability, labeledSlices, type SliceRow } from './run';

export const OVERLAYS_FILE = 'overlays.md';
export const OVERLAYS_DIR = 'overlays';
/** Pictures side by side in overlays.md. */
const COLUMNS = 4;
/** Slices decoded and segmented at a time. */
const BATCH = 8;

/** overlays/TCGA_CS_4941_19990121_12.png for the slice file TCGA_CS_4941_19990121_12.tif. */
export const pictureFile = (r: Pick<SliceRow, 'file'>) => `${OVERLAYS_DIR}/${r.file.replace(/\.tiff?$/i, '')}.png`;

/** The slice drawn as RGB pixels (the PNG needs no alpha: every pixel is opaque). */
function picture(image: Parameters<typeof composite>[0], options: Parameters<typeof composite>[1]): Uint8Array {
  const rgba = composite(image, options);
  const rgb = new Uint8Array((rgba.length / 4) * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) rgb.set(rgba.subarray(i, i + 3), j);
  return rgb;
}

const count = (n: number) => n.toLocaleString('en-US');
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Under a picture: which slice, the probability the app decides on, and the outline against the truth. */
export function caption(r: SliceRow): string {
  const o = drawnOverlap(r);
  const where = `${r.patient}${r.index === null ? ` ${r.file}` : `, slice ${r.index}`}`;
  const masks = r.tumor
    ? `truth ${count(o.truth)} px, outline ${count(o.predicted)} px, Dice ${diceFromOverlap(o).toFixed(2)}`
    : `no tumor in the truth, outline ${o.predicted ? `${count(o.predicted)} px` : 'none'}`;
  return `${where}: probability ${decisionProbability(r).toFixed(3)}; ${masks}`;
}

function sectionHtml(s: OverlaySection): string[] {
  const cells = s.rows.map((r) => `<td><img src="${escapeHtml(pictureFile(r))}" width="256" height="256" alt="${escapeHtml(caption(r))}"><br>${escapeHtml(caption(r))}</td>`);
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += COLUMNS) rows.push(`<tr>${cells.slice(i, i + COLUMNS).join('')}</tr>`);
  return [`## ${s.title}`, '', s.about, '', '<table>', ...rows, '</table>', ''];
}

export function overlaysMarkdown(sections: OverlaySection[], context: { generated: string; data: string; hasSecondSegmenter: boolean }): string {
  const outline = context.hasSecondSegmenter ? "the outline the app draws (the mean of both segmenters' maps, post-processed)" : 'the outline the app draws (the segmenter\'s post-processed mask)';
  return [
    '# The slices behind the numbers',
    '',
    `Generated ${context.generated} by \`npm run evaluate\` with [report.md](report.md). Data: ${context.data}.`,
    '',
    `Each picture is a slice as the app first shows it: FLAIR in gray, masks at ${Math.round(DEFAULT_VIEW.opacity * 100)}% opacity. **Green** (unbroken edge): ${outline}, drawn here whatever the probability (the app draws it only on a slice it calls tumor). **Red** (dashed edge): the truth mask. **Yellow**: both. The probability is the one the app shows and decides on.`,
    '',
    '_These pictures are patient slices: keep them with the data. They are never written into `public/`, which the app ships._',
    '',
    ...sections.flatMap(sectionHtml),
  ].join('\n');
}

/** Old pictures go first, so the folder holds only this run's (only PNGs are removed: nothing else is ours). */
function emptyPictureFolder(dir: string): void {
  const folder = join(dir, OVERLAYS_DIR);
  if (existsSync(folder)) for (const f of readdirSync(folder)) if (f.toLowerCase().endsWith('.png')) rmSync(join(folder, f));
  mkdirSync(folder, { recursive: true });
}

/**
 * Draws the chosen slices into `dir` (overlays/*.png and overlays.md) with the segmenters the evaluation ran, and
 * returns overlays.md's path and the number of pictures. The slices are read again from their files (only these few).
 */
export async function writeOverlays(
  dir: string,
  rows: SliceRow[],
  segmenters: Predictor[],
  records: SliceRecord[],
  context: { generated: string; data: string },
): Promise<{ file: string; pictures: number }> {
  const sections = chooseOverlays(rows);
  const toDraw = slicesToDraw(sections);
  const recordOf = new Map(records.map((r) => [`${r.patient}/${basename(r.imagePath)}`, r]));
  emptyPictureFolder(dir);
  for (let start = 0; start < toDraw.length; start += BATCH) {
    const batch = toDraw.slice(start, start + BATCH);
    const slices = labeledSlices(loadSlices(batch.map((r) => recordOf.get(`${r.patient}/${r.file}`)!)));
    const maps = await segmentEach(segmenters, slices.map((s) => s.image));
    slices.forEach((s, i) => {
      const { outline } = segmenterMasks(maps.map((m) => m[i]), s.mask.width, s.mask.height);
      const pixels = picture(s.image, { channel: DEFAULT_VIEW.channel, opacity: DEFAULT_VIEW.opacity, predicted: outline, truth: s.mask });
      writeFileSync(join(dir, pictureFile(batch[i])), encodePng(s.image.width, s.image.height, pixels, IMAGE_CHANNELS));
    });
  }
  const file = join(dir, OVERLAYS_FILE);
  writeFileSync(file, overlaysMarkdown(sections, { ...context, hasSecondSegmenter: segmenters.length > 1 }) + '\n');
  return { file, pictures: toDraw.length };
}
