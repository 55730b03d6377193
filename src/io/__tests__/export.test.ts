import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCsv, parseResultsCsv, partialFileName, resultsCsv, resultsCsvFileName, type CsvRow } from '../exportCsv';
import { maskTiff, predictedMaskFileName } from '../exportTiff';
import { crc32, predictedMasksZipName, storedZip } from '../exportZip';
import { decodeTiff } from '../tiff';
import { rasterToMask } from '../raster';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/lgg/fixtures');

describe('mask TIFF writer', () => {
  it('writes a dataset mask that decodeTiff reads back pixel for pixel', () => {
    const file = 'TCGA_FG_6688_20020215_20_mask.tif'; // a slice with tumor
    const original = rasterToMask(decodeTiff(fs.readFileSync(path.join(FIXTURES, file)), file).raster).value;
    expect(original.data.some((v) => v)).toBe(true);
    const written = maskTiff(original);
    const back = decodeTiff(written, 'written.tif').raster;
    expect([back.width, back.height]).toEqual([original.width, original.height]);
    const gray = Array.from({ length: back.width * back.height }, (_, i) => back.data[i * back.channels]);
    expect(gray.every((v, i) => v === (original.data[i] ? 255 : 0))).toBe(true);
    expect(Array.from(rasterToMask(back).value.data)).toEqual(Array.from(original.data));
  });

  it('round-trips an arbitrary non-square pattern', () => {
    const w = 7, h = 5;
    const m = { width: w, height: h, data: Uint8Array.from({ length: w * h }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0)) };
    const back = decodeTiff(maskTiff(m), 'x.tif').raster;
    expect([back.width, back.height]).toEqual([w, h]);
    expect(Array.from({ length: w * h }, (_, i) => (back.data[i * back.channels] ? 1 : 0))).toEqual(Array.from(m.data));
  });

  it('names masks like the dataset', () => {
    expect(predictedMaskFileName('TCGA_CS_4942_19970222_7.tif')).toBe('TCGA_CS_4942_19970222_7_predicted_mask.tif');
    expect(predictedMaskFileName('a.png')).toBe('a_predicted_mask.tif');
  });
});

describe('CSV', () => {
  const row = (r: Partial<CsvRow> & { file: string }): CsvRow => ({ probability: null, classifierProbability: null, decision: null, predictedPixels: null, dice: null, truthTumor: null, inputNote: null, ...r });

  it('round-trips rows, quoting names with commas and quotes; probabilities to 6 decimals, both of them', () => {
    const rows = [
      row({ file: 'a,"b".tif', probability: 0.25, classifierProbability: 0.04328618739544827, decision: false, predictedPixels: 0, dice: 0, truthTumor: true }),
      row({ file: 'c.tif', probability: 0.9, classifierProbability: 0.9, decision: true, predictedPixels: 42 }),
      row({ file: 'not-reached.tif' }),
    ];
    const text = resultsCsv(rows, 0.5);
    expect(parseCsv(text)[0]).toEqual(['file', 'probability', 'classifier_probability', 'decision', 'predicted_tumor_pixels', 'truth_tumor', 'dice', 'threshold', 'input_note']);
    expect(parseCsv(text).slice(1)).toEqual([
      ['a,"b".tif', '0.25', '0.043286', 'no tumor', '0', 'yes', '0', '0.50', ''],
      ['c.tif', '0.9', '0.9', 'tumor', '42', '', '', '0.50', ''],
      ['not-reached.tif', '', '', '', '', '', '', '0.50', ''],
    ]);
    expect(parseResultsCsv(text)[0]).toEqual({ file: 'a,"b".tif', probability: '0.25', classifier_probability: '0.043286', decision: 'no tumor', predicted_tumor_pixels: '0', truth_tumor: 'yes', dice: '0', threshold: '0.50', input_note: '' });
  });

  it('records the threshold the decisions were made at, on every row and in the file names of both patient exports', () => {
    const r = row({ file: 'a.tif', probability: 0.07, classifierProbability: 0.02, decision: true, predictedPixels: 12, dice: 0.5, truthTumor: true });
    expect(parseResultsCsv(resultsCsv([r], 0.05))[0].threshold).toBe('0.05');
    expect(resultsCsvFileName('TCGA_CS_4942_19970222', 0.5)).toBe('TCGA_CS_4942_19970222_results_t0.50.csv');
    expect(resultsCsvFileName('TCGA_CS_4942_19970222', 0.05)).toBe('TCGA_CS_4942_19970222_results_t0.05.csv');
    expect(predictedMasksZipName('TCGA_CS_4942_19970222', 0.5)).toBe('TCGA_CS_4942_19970222_predicted_masks_t0.50.zip');
    expect(predictedMasksZipName('images', 0.05)).toBe('images_predicted_masks_t0.05.zip');
  });

  it('names a stopped run\'s exports apart: _partial before the extension', () => {
    expect(partialFileName(resultsCsvFileName('TCGA_CS_4942_19970222', 0.5))).toBe('TCGA_CS_4942_19970222_results_t0.50_partial.csv');
    expect(partialFileName(predictedMasksZipName('TCGA_CS_4942_19970222', 0.5))).toBe('TCGA_CS_4942_19970222_predicted_masks_t0.50_partial.zip');
    expect(partialFileName(resultsCsvFileName('images', 0.05))).toBe('images_results_t0.05_partial.csv');
  });

  it('rounds dice to 6 decimals like the probabilities; the input note, quoted, in the last column', () => {
    const r = row({ file: 'a.tif', probability: 0.5, decision: true, predictedPixels: 10, dice: 0.8421052631578947, truthTumor: true, inputNote: '16-bit samples stretched to 8 bits; one gray channel, not the three MRI sequences' });
    const [back] = parseResultsCsv(resultsCsv([r, row({ file: 'b.tif', dice: 2 / 3, truthTumor: true, predictedPixels: 3 })], 0.5));
    expect(back.dice).toBe('0.842105');
    expect(back.input_note).toBe('16-bit samples stretched to 8 bits; one gray channel, not the three MRI sequences');
    expect(parseResultsCsv(resultsCsv([row({ file: 'b.tif', dice: 2 / 3, truthTumor: true, predictedPixels: 3 })], 0.5))[0].dice).toBe('0.666667');
    const withComma = resultsCsv([row({ file: 'c.tif', inputNote: 'x, y' })], 0.5);
    expect(withComma.split('\n')[1].endsWith(',"x, y"')).toBe(true);
  });

  it('leaves dice empty where neither the truth nor the prediction holds tumor (the metric\'s 1 is a convention, not a perfect outline)', () => {
    const rows = [
      row({ file: 'empty-both.tif', probability: 0.1, decision: false, predictedPixels: 0, dice: 1, truthTumor: false }),
      row({ file: 'false-alarm.tif', probability: 0.8, decision: true, predictedPixels: 30, dice: 0, truthTumor: false }),
      row({ file: 'found.tif', probability: 0.9, decision: true, predictedPixels: 40, dice: 0.8, truthTumor: true }),
    ];
    expect(parseResultsCsv(resultsCsv(rows, 0.5)).map((r) => [r.dice, r.truth_tumor])).toEqual([['', 'no'], ['0', 'no'], ['0.8', 'yes']]);
  });
});

describe('stored zip', () => {
  it('uses the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('is a zip that the system unzip lists and extracts byte for byte', async () => {
    const { execFileSync } = await import('node:child_process');
    const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'zip-'));
    const a = new Uint8Array([1, 2, 3, 255]);
    const b = new TextEncoder().encode('hello');
    fs.writeFileSync(path.join(dir, 'x.zip'), storedZip([{ name: 'a_mask.tif', data: a }, { name: 'b.txt', data: b }], new Date(2026, 10, 29, 21, 30, 44)));
    // Dated when saved (all zeros read as 1980-00-00, an invalid date, in every unzip tool).
    const dates = execFileSync('python3', ['-c', 'import zipfile; print([i.date_time for i in zipfile.ZipFile("x.zip").infolist()])'], { cwd: dir }).toString().trim();
    expect(dates).toBe('[(2026, 11, 29, 21, 30, 44), (2026, 11, 29, 21, 30, 44)]');
    let ok = true;
    try {
      execFileSync('unzip', ['-q', 'x.zip'], { cwd: dir });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') ok = false;
      else throw e;
    }
    if (!ok) {
      // No unzip on this machine: check the archive with python's zipfile instead.
      execFileSync('python3', ['-c', 'import zipfile,sys; zipfile.ZipFile("x.zip").extractall()'], { cwd: dir });
    }
    expect(Array.from(fs.readFileSync(path.join(dir, 'a_mask.tif')))).toEqual(Array.from(a));
    expect(fs.readFileSync(path.join(dir, 'b.txt'), 'utf8')).toBe('hello');
    fs.rmSync(dir, { recursive: true });
  });
});
