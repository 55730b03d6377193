/**
 * The report's pictures: the slices overlay-choice.ts picks, drawn as the app first shows a slice (src/core/overlay.ts:
 * FLAIR in gray, the outline green with an unbroken edge, the truth red with a dashed edge, both yellow), one PNG each
 * under overlays/, and overlays.md with a caption under each picture.
 *
 * The pictures are patient data: they belong beside the data, never in public/ (the app ships that folder).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { IMAGE_CHANNELS, IMAGE_SIZE } from '../../../src/core/constants';
import { segmenterMasks } from '../../../src/core/mask';
import { diceFromOverlap } from '../../../src/core/metrics';
import { DEFAULT_VIEW } from '../../../src/core/overlay';
import { segmentEach, type Predictor } from '../../../src/inference/analyze';
import { encodePng } from '../../../scripts/png-writer';
import type { SliceRecord } from '../data';
import { loadSlices } from '../data/load';
import { writeFileAtomic } from '../export/atomic';
import { slicePicture } from '../report/slice-picture';
import { chooseOverlays, drawnOverlap, slicesToDraw, type OverlaySection } from './overlay-choice';
import { decisionProbability, labeledSlices, type SliceRow } from './run';
import type { PatientRow } from './summarize';

export const OVERLAYS_FILE = 'overlays.md';
export const OVERLAYS_DIR = 'overlays';
/** Pictures side by side in overlays.md: two of 512 px fit a page of markdown. */
const COLUMNS = 2;
/** Slices decoded and segmented at a time. */
const BATCH = 8;
/** Each slice pixel drawn as SCALE x SCALE: at 256 px the truth's 1-pixel dashed edge reads as a solid line. */
const SCALE = 2;

/** overlays/TCGA_CS_4941_19990121_12.png for the slice file TCGA_CS_4941_19990121_12.tif. */
export const pictureFile = (r: Pick<SliceRow, 'file'>) => `${OVERLAYS_DIR}/${r.file.replace(/\.tiff?$/i, '')}.png`;

const count = (n: number) => n.toLocaleString('en-US');
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const where = (r: SliceRow) => `${r.patient}${r.index === null ? ` ${r.file}` : `, slice ${r.index}`}`;

/** Under a picture: which slice, the probability the app decides on, and the outline against the truth. */
export function caption(r: SliceRow, note?: string): string {
  const o = drawnOverlap(r);
  const masks = r.tumor
    ? `truth ${count(o.truth)} px, outline ${count(o.predicted)} px, Dice ${diceFromOverlap(o).toFixed(2)}`
    : `no tumor in the truth, outline ${o.predicted ? `${count(o.predicted)} px` : 'none'}`;
  return `${where(r)}: probability ${decisionProbability(r).toFixed(3)}; ${masks}${note ? `; ${note}` : ''}`;
}

function sectionHtml(s: OverlaySection): string[] {
  // The caption is the cell's text; the picture's own text only says which slice (a reader would hear it twice).
  const cells = s.rows.map((r, i) => `<td><img src="${escapeHtml(pictureFile(r))}" width="${IMAGE_SIZE * SCALE}" height="${IMAGE_SIZE * SCALE}" alt="${escapeHtml(where(r))}"><br>${escapeHtml(caption(r, s.notes?.[i]))}</td>`);
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += COLUMNS) rows.push(`<tr>${cells.slice(i, i + COLUMNS).join('')}</tr>`);
  return [`## ${s.title}`, '', s.about, '', '<table>', ...rows, '</table>', ''];
}

export function overlaysMarkdown(sections: OverlaySection[], context: { generated: string; data: string; hasSecondSegmenter: boolean }): string {
  const outline = context.hasSecondSegmenter ? "the outline the app draws (the mean of both segmenters' maps, post-processed)" : 'the outline the app draws (the segmenter\'s post-processed mask)';
  return [
    `<!-- ${GENERATED_TAG}${context.generated} -->`,
    '# The slices behind the numbers',
    '',
    `Generated ${context.generated} by \`npm run evaluate\` with [report.md](report.md). Data: ${context.data}.`,
    '',
    `Each picture is a slice as the app first shows it, each pixel drawn ${SCALE}×${SCALE}: FLAIR in gray, masks at ${Math.round(DEFAULT_VIEW.opacity * 100)}% opacity. **Green** (unbroken edge): ${outline}, drawn here whatever the probability (the app draws it only on a slice it calls tumor). **Red** (edge dashed red and dark red): the truth mask. **Yellow**: both. The probability is the one the app shows and decides on.`,
    '',
    '_These pictures are patient slices: keep them with the data. They are never written into `public/`, which the app ships._',
    '',
    ...sections.flatMap(sectionHtml),
  ].join('\n');
}

const GENERATED_TAG = 'generated ';

/** When the overlays.md in `dir` was generated (its first line), or null without one. */
export function overlaysGenerated(dir: string): string | null {
  const file = join(dir, OVERLAYS_FILE);
  if (!existsSync(file)) return null;
  const first = readFileSync(file, 'utf8').split('\n', 1)[0];
  return first.startsWith(`<!-- ${GENERATED_TAG}`) ? first.slice(`<!-- ${GENERATED_TAG}`.length, -' -->'.length) : null;
}

/**
 * Removes an earlier run's overlays.md and the pictures it lists, so a report folder never holds patient pictures
 * beside numbers they do not belong to; other files, a user's own pictures too, stay. Returns how many pictures went.
 */
export function removeOverlays(dir: string): number {
  const file = join(dir, OVERLAYS_FILE);
  if (!existsSync(file)) return 0;
  const listed = [...readFileSync(file, 'utf8').matchAll(/<img src="([^"]+)"/g)].map((m) => unescapeHtml(m[1])).filter((f) => /^overlays\/[^/\\]+\.png$/.test(f));
  const gone = [...new Set(listed)].filter((f) => existsSync(join(dir, f)));
  for (const f of gone) rmSync(join(dir, f));
  rmSync(file);
  return gone.length;
}

const unescapeHtml = (s: string) => s.replace(/&quot;/g, '"').replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&amp;/g, '&');

/** What a run drew: overlays.md's path, how many slices, and its sections' titles (for report.md's link). */
export interface OverlaysWritten {
  file: string;
  pictures: number;
  sections: string[];
}

/**
 * Draws the chosen slices into `dir` (overlays/*.png, then overlays.md) with the segmenters the evaluation ran, after
 * removing an earlier run's. The slices are read again from their files (only these few). Null when no slice is worth
 * a picture (nothing is written then).
 */
export async function writeOverlays(
  dir: string,
  rows: SliceRow[],
  perPatient: PatientRow[],
  segmenters: Predictor[],
  records: SliceRecord[],
  context: { generated: string; data: string },
): Promise<OverlaysWritten | null> {
  removeOverlays(dir);
  const sections = chooseOverlays(rows, perPatient);
  const toDraw = slicesToDraw(sections);
  if (toDraw.length === 0) return null;
  const recordOf = new Map(records.map((r) => [`${r.patient}/${basename(r.imagePath)}`, r]));
  mkdirSync(join(dir, OVERLAYS_DIR), { recursive: true });
  for (let start = 0; start < toDraw.length; start += BATCH) {
    const batch = toDraw.slice(start, start + BATCH);
    const slices = labeledSlices(loadSlices(batch.map((r) => recordOf.get(`${r.patient}/${r.file}`)!)));
    const maps = await segmentEach(segmenters, slices.map((s) => s.image));
    slices.forEach((s, i) => {
      const { outline } = segmenterMasks(maps.map((m) => m[i]), s.mask.width, s.mask.height);
      const drawn = slicePicture(s.image, { channel: DEFAULT_VIEW.channel, opacity: DEFAULT_VIEW.opacity, predicted: outline, truth: s.mask }, SCALE);
      writeFileSync(join(dir, pictureFile(batch[i])), encodePng(drawn.width, drawn.height, drawn.pixels, IMAGE_CHANNELS));
    });
  }
  // Last, and whole or not at all: it is what lists the pictures (and what removes them next time).
  const file = join(dir, OVERLAYS_FILE);
  writeFileAtomic(file, overlaysMarkdown(sections, { ...context, hasSecondSegmenter: segmenters.length > 1 }) + '\n');
  return { file, pictures: toDraw.length, sections: sections.map((s) => s.title) };
}
