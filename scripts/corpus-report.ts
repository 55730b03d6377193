/**
 * Prints the bad-input corpus as a Markdown table: each file, what it is, and the message or notes the
 * decoder gives it (what the user sees). For closing notes and reviews.
 *   npx tsx scripts/corpus-report.ts
 */
import { corpusCases } from './bad-corpus';
import { InputError } from '../src/io/errors';
import { checkMaskMatchesImage, rasterToMask, rasterToSlice } from '../src/io/raster';
import { decodeTiff } from '../src/io/tiff';

const cases = corpusCases();
const bytesOf = new Map(cases.map((c) => [c.file, c.bytes] as const));
console.log('| file | what | outcome | message or notes |\n| --- | --- | --- | --- |');
for (const c of cases) {
  let outcome: string;
  let text: string;
  try {
    const { raster, notes } = decodeTiff(c.bytes(), c.file);
    let more: string[];
    if (c.role === 'mask') {
      checkMaskMatchesImage(raster, decodeTiff(bytesOf.get(c.pairedWith!)!(), c.pairedWith!).raster, c.file);
      more = rasterToMask(raster).notes;
    } else more = rasterToSlice(raster).notes;
    outcome = `decoded ${raster.width}x${raster.height}x${raster.channels}`;
    text = [...notes, ...more].join('; ') || '(no note)';
  } catch (e) {
    outcome = e instanceof InputError ? 'refused' : 'CRASHED';
    text = (e as Error).message;
  }
  console.log(`| ${c.file} | ${c.what} | ${outcome} | ${text.replace(/\|/g, '\\|')} |`);
}
