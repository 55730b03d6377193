/** Bad data folders fail with a message that names the file or folder at fault, in the reader and through the CLI. */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kaggleRoot, listPatients, readPatient } from '../../src/evaluate/slices-reader';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = resolve(repo, '../shared/data/lgg/fixtures');
const P = 'TCGA_FG_6688_20020215';
let tmp: string;

function patientDir(root: string, files: Record<string, string | null>): string {
  const dir = join(root, 'kaggle_3m', P);
  mkdirSync(dir, { recursive: true });
  // null: copy the fixture of that name; a string: write it as the file's (broken) content.
  for (const [name, content] of Object.entries(files)) content === null ? copyFileSync(join(fixtures, name), join(dir, name)) : writeFileSync(join(dir, name), content);
  return dir;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'lgg-eval-bad-'));
});
afterAll(() => tmp && rmSync(tmp, { recursive: true, force: true }));

describe('the evaluation data reader', () => {
  it('reads a good patient folder, image and mask decoded, in slice order', () => {
    const root = join(tmp, 'good');
    patientDir(root, { [`${P}_20.tif`]: null, [`${P}_20_mask.tif`]: null, [`${P}_12.tif`]: null, [`${P}_12_mask.tif`]: null });
    writeFileSync(join(root, 'kaggle_3m', 'data.csv'), 'not a patient\n');
    expect(kaggleRoot(root)).toBe(join(root, 'kaggle_3m'));
    expect(listPatients(kaggleRoot(root))).toEqual([P]);
    const slices = readPatient(kaggleRoot(root), P);
    expect(slices.map((s) => s.index)).toEqual([12, 20]);
    expect(slices.map((s) => s.mask.data.some(Boolean))).toEqual([false, true]);
    expect(slices[0].image.data).toHaveLength(256 * 256 * 3);
  });

  it('names the image whose mask is missing, the broken TIFF, the empty folder', () => {
    const a = patientDir(join(tmp, 'nomask'), { [`${P}_20.tif`]: null });
    expect(() => readPatient(join(tmp, 'nomask', 'kaggle_3m'), P)).toThrow(`${join(a, `${P}_20.tif`)}: missing mask ${P}_20_mask.tif`);
    const b = patientDir(join(tmp, 'broken'), { [`${P}_20.tif`]: 'this is no tiff', [`${P}_20_mask.tif`]: null });
    expect(() => readPatient(join(tmp, 'broken', 'kaggle_3m'), P)).toThrow(`${join(b, `${P}_20.tif`)}: not a TIFF file`);
    const c = patientDir(join(tmp, 'orphan'), { [`${P}_20_mask.tif`]: null });
    expect(() => readPatient(join(tmp, 'orphan', 'kaggle_3m'), P)).toThrow(`${join(c, `${P}_20_mask.tif`)}: mask without its image`);
    const d = patientDir(join(tmp, 'empty'), {});
    expect(() => readPatient(join(tmp, 'empty', 'kaggle_3m'), P)).toThrow(`${d}: patient folder has no slices`);
    mkdirSync(join(tmp, 'nopatients'));
    expect(() => listPatients(join(tmp, 'nopatients'))).toThrow(`${join(tmp, 'nopatients')}: no patient folders`);
  });
});

describe('npm run evaluate on bad data', () => {
  const run = (args: string[]) =>
    promisify(execFile)(join(repo, 'node_modules/.bin/tsx'), [join(repo, 'training/src/cli/evaluate.ts'), ...args], { cwd: repo }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('exits 2 with a message naming the file, without a stack trace', async () => {
    const dir = patientDir(join(tmp, 'cli'), { [`${P}_12.tif`]: null });
    const r = await run(['--data', join(tmp, 'cli'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`data error: ${join(dir, `${P}_12.tif`)}: missing mask ${P}_12_mask.tif`);
  });

  it('names a data folder that does not exist, and prints usage without --data', async () => {
    const [r, u] = await Promise.all([run(['--data', join(tmp, 'nowhere')]), run([])]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`data error: ${join(tmp, 'nowhere')}: no such data folder`);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/^usage: npm run evaluate -- --data DIR/);
  });
});
